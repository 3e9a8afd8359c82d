"""Bad input about a group and its invitations: each gets a clear message saying how to fix it,
and nothing saved before is lost."""

import pytest
from django.urls import reverse

from organisations.models import Organisation
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    person = UserFactory()
    client.force_login(person)
    return person


@pytest.fixture
def group(person):
    return OrganisationFactory(members=[person])


def _html(response) -> str:
    return response.content.decode()


# --- Organisations -------------------------------------------------------------------


def _group_post(**overrides):
    data = {
        "name": "Scholes Hub",
        "legal_form": "charity",
        "charity_number": "1123456",
        "address_line_1": "1 Scholes",
        "town": "Wigan",
        "postcode": "WN1 3NH",
        "contact_name": "Priya Shah",
        "contact_email": "priya@example.org",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"postcode": "ABC 123"}, "Enter a real UK postcode, like WN1 1YN"),
        ({"charity_number": ""}, "Enter the charity number: registered charities and CIOs have one"),
        ({"charity_number": "12AB"}, "Enter the charity number as it appears on the register"),
        ({"legal_form": "cic", "company_number": "ABC"}, "Enter the company number as 8 characters"),
        (
            {"legal_form": "clg", "company_number": ""},
            "Enter the company number: companies and CICs have one",
        ),
        ({"legal_form": "other", "legal_form_other": ""}, "Say what kind of organisation your group is"),
        ({"contact_email": "priya at example"}, "Enter an email address in the correct format"),
        ({"name": "x" * 201}, "The name of your group must be 200 characters or fewer"),
    ],
)
def test_group_details_are_checked_and_kept(client, person, overrides, message):
    response = client.post(reverse("organisations:organisation_create"), _group_post(**overrides))
    assert message in _html(response)
    assert 'value="1 Scholes"' in _html(response)
    assert not Organisation.objects.exists()


def test_company_numbers_keep_their_leading_zero(client, person):
    client.post(
        reverse("organisations:organisation_create"), _group_post(legal_form="clg", company_number="1234567")
    )
    assert Organisation.objects.get().company_number == "01234567"


def test_places_of_two_funds_with_the_same_name_say_which_fund_they_belong_to(client):
    from tests.factories import fund_with_tiers

    wigan = fund_with_tiers(name="Wigan Fund")
    county = fund_with_tiers(name="County Fund")
    wigan.places.create(name="Leigh")
    county.places.create(name="Leigh")
    client.force_login(UserFactory())
    page = client.get(reverse("organisations:organisation_create")).content.decode()
    assert "Leigh (Wigan Fund)" in page and "Leigh (County Fund)" in page


# --- Invitations -----------------------------------------------------------------------


def test_inviting_someone_already_in_the_group_says_so(client, person, group):
    MembershipFactory(organisation=group, user=UserFactory(email="ali@example.org"), role="member")
    response = client.post(
        reverse("organisations:invite", args=[group.pk]), {"email": "Ali@Example.org", "role": "member"}
    )
    assert f"ali@example.org is already a member of {group.name}" in _html(response)


def test_an_invitation_for_another_address_is_not_accepted(client, person):
    invitation = InvitationFactory(email="someone-else@example.org")
    response = client.post(reverse("organisations:invitation_accept", args=[invitation.token]))
    assert "This invitation was sent to someone-else@example.org" in _html(response)
    assert not invitation.organisation.memberships.filter(user=person).exists()
