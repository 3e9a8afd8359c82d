"""An officer names a mentor and resolves a mentor's concern on pages of their own."""

import pytest
from django.urls import reverse

from fund.models import FundRole
from mentoring.models import Concern, MentorProfile
from mentoring.services import assign_mentor, raise_concern
from tests.factories import UserFactory, awarded_investment, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    investment = awarded_investment()
    fund = investment.round.fund
    officer = fund.roles.get(role=FundRole.Role.OFFICER).user
    mentor = staff(FundRole.Role.MENTOR, fund, full_name="Martin Mentor")
    MentorProfile.objects.create(user=mentor, capacity=1)
    return investment, officer, mentor


def _pages(investment, concern=None) -> dict[str, str]:
    pages = {"mentor": reverse("mentoring:assign_mentor", args=[investment.pk])}
    if concern:
        pages["concern"] = reverse("mentoring:resolve_concern", args=[investment.pk, concern.pk])
    return pages


def test_the_officer_names_a_mentor_on_its_own_page_and_returns_to_the_investment(client, world):
    investment, officer, mentor = world
    client.force_login(officer)
    page = client.get(_pages(investment)["mentor"])
    assert page.status_code == 200
    assert "Martin Mentor" in page.content.decode()
    response = client.post(_pages(investment)["mentor"], {"mentor": str(mentor.pk)})
    assert response.status_code == 302
    assert response["Location"] == reverse("investments:oversight_investment", args=[investment.pk])
    overview = client.get(response["Location"]).content.decode()
    assert "Martin Mentor is now the mentor." in overview
    assert "Change the mentor" in overview
    assert "Change mentor</button>" in client.get(_pages(investment)["mentor"]).content.decode()


def test_choosing_no_mentor_or_one_not_offered_says_so_and_keeps_the_reason(client, world):
    investment, officer, _ = world
    client.force_login(officer)
    for choice, message in (("", "Choose a mentor"), ("999999", "Choose one of the mentors listed")):
        response = client.post(
            _pages(investment)["mentor"], {"mentor": choice, "override_reason": "Knows the group"}
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert message in body and "govuk-error-summary" in body
        assert "Knows the group" in body
    assert not investment.mentor_assignments.exists()


def test_the_officer_resolves_a_concern_and_an_empty_answer_is_refused(client, world):
    investment, officer, mentor = world
    assign_mentor(investment=investment, mentor=mentor, by=officer)
    concern = raise_concern(investment=investment, by=mentor, text="The treasurer has left.")
    client.force_login(officer)
    url = _pages(investment, concern)["concern"]
    assert "The treasurer has left." in client.get(url).content.decode()
    refused = client.post(url, {"resolution": "  "})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()
    response = client.post(url, {"resolution": "A new treasurer was elected."})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.resolved_by == officer and concern.resolution == "A new treasurer was elected."
    assert "Resolved" in client.get(url).content.decode()  # the page now says how, with no form


@pytest.mark.parametrize("who", ["anonymous", "group member", "mentor", "finance", "officer of another fund"])
def test_nobody_else_names_a_mentor_or_resolves_a_concern(client, world, who):
    investment, officer, mentor = world
    assign_mentor(investment=investment, mentor=mentor, by=officer)
    concern = raise_concern(investment=investment, by=mentor, text="Worried.")
    fund = investment.round.fund
    people = {
        "anonymous": None,
        "group member": investment.application.organisation.memberships.first().user,
        "mentor": mentor,
        "finance": staff(FundRole.Role.FINANCE, fund),
        "officer of another fund": awarded_investment().round.fund.roles.get(role=FundRole.Role.OFFICER).user,
    }
    if people[who]:
        client.force_login(people[who])
    for url in _pages(investment, concern).values():
        assert client.get(url).status_code in (302, 403, 404), (who, url)
        response = client.post(url, {"mentor": str(UserFactory().pk), "resolution": "Done"})
        assert response.status_code in (302, 403, 404), (who, url)
        if people[who] is not None:
            assert response.status_code in (403, 404)
    concern.refresh_from_db()
    assert concern.resolved_at is None
    assert investment.mentor_assignments.count() == 1
    assert Concern.objects.count() == 1
