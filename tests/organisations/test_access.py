"""Who may change a group."""

import pytest
from django.urls import reverse

from organisations.models import Membership
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_only_owners_change_a_groups_details(client):
    member = UserFactory()
    group = OrganisationFactory(members=[UserFactory(), member])
    assert group.memberships.get(user=member).role == Membership.Role.MEMBER
    client.force_login(member)
    assert client.get(reverse("applications:organisation_detail", args=[group.pk])).status_code == 200
    response = client.get(reverse("organisations:organisation_edit", args=[group.pk]))
    assert response.status_code == 403
    assert f"Only the owners of {group.name} can change its details" in response.content.decode()
