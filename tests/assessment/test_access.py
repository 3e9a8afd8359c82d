"""Who may open each assessment page: every new view against every kind of person."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from assessment import services as assessment
from assessment.models import Review
from fund.models import FundRole
from tests.factories import CriterionFactory, UserFactory, staff, submitted_application

pytestmark = pytest.mark.django_db

LOGIN = "login"


@pytest.fixture
def world():
    """A start-up application in review: one reviewer scoring, one conflicted, one not on it."""
    member = UserFactory(full_name="Group Member")
    application = submitted_application(amount_requested=Decimal("5000.00"), member=member)
    fund = application.round.fund
    CriterionFactory(round=application.round)
    officer = staff(FundRole.Role.OFFICER, fund)
    assessment.mark_eligible(application=application, by=officer)
    assigned, conflicted, not_assigned = (staff(FundRole.Role.PANEL, fund) for _ in range(3))
    review = assessment.assign_reviewer(application=application, reviewer=assigned, by=officer)
    assessment.declare_interest(review=review, by=assigned, conflict=False)
    conflicted_review = assessment.assign_reviewer(application=application, reviewer=conflicted, by=officer)
    assessment.declare_interest(review=conflicted_review, by=conflicted, conflict=True, reason="Trustee")
    # The conflict made the portal give the application to the remaining panel member.
    Review.objects.filter(reviewer=not_assigned).delete()
    other_fund_officer = staff(FundRole.Role.OFFICER, submitted_application().round.fund)
    return {
        "application": application,
        "review": review,
        "conflicted_review": conflicted_review,
        "people": {
            "anonymous": None,
            "applicant": member,
            "reviewer": assigned,
            "reviewer not assigned": not_assigned,
            "reviewer with a conflict": conflicted,
            "officer": officer,
            "officer of another fund": other_fund_officer,
            "finance": staff(FundRole.Role.FINANCE, fund),
        },
    }


def _pages(world):
    application = world["application"]
    return {
        "queue": reverse("assessment:queue"),
        "application": reverse("assessment:staff_application", args=[application.pk]),
        "version": reverse("assessment:staff_application_version", args=[application.pk, 1]),
        "round applications": reverse("assessment:staff_round_applications", args=[application.round.pk]),
        "panel summary": reverse("assessment:panel_summary", args=[application.round.pk]),
        "reopen": reverse("assessment:reopen_review", args=[application.pk, world["review"].pk]),
        "panel home": reverse("assessment:panel_home"),
        "review": reverse("assessment:review", args=[world["review"].pk]),
        "conflicted review": reverse("assessment:review", args=[world["conflicted_review"].pk]),
    }


STAFF_PAGES = ["queue", "application", "version", "round applications", "panel summary", "reopen"]
EXPECTED = {
    # person: {page: status}; pages not named are 403 for signed-in people and LOGIN for anonymous.
    "anonymous": {},
    "applicant": {},
    "reviewer": {"panel home": 200, "review": 200, "conflicted review": 404},
    "reviewer not assigned": {"panel home": 200, "review": 404, "conflicted review": 404},
    "reviewer with a conflict": {"panel home": 200, "review": 404, "conflicted review": 404},
    "officer": dict.fromkeys(STAFF_PAGES, 200),
    "officer of another fund": {
        "queue": 200,
        "application": 404,
        "version": 404,
        "round applications": 404,
        "panel summary": 404,
        "reopen": 404,
    },
    "finance": {},
}


@pytest.mark.parametrize("person", list(EXPECTED))
def test_access_matrix(client, world, person):
    user = world["people"][person]
    if user:
        client.force_login(user)
    for page, url in _pages(world).items():
        response = client.get(url)
        expected = EXPECTED[person].get(page, LOGIN if user is None else 403)
        if expected == LOGIN:
            assert response.status_code == 302 and response["Location"].startswith(
                reverse("account_login")
            ), page
        else:
            assert response.status_code == expected, f"{person} on {page}: {response.status_code}"


@pytest.mark.parametrize("person", ["applicant", "reviewer", "officer of another fund", "finance"])
def test_people_who_may_not_act_change_nothing(client, world, person):
    application = world["application"]
    client.force_login(world["people"][person])
    for name, data in (
        ("eligibility", {"outcome": "ineligible", "message": "No"}),
        ("assign_reviewers", {"automatic": "1"}),
        ("decide", {"outcome": "decline", "feedback": "No"}),
    ):
        response = client.post(reverse(f"assessment:{name}", args=[application.pk]), data)
        assert response.status_code in (403, 404), (person, name)
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    assert not application.decisions.exists()


def test_a_reviewer_cannot_declare_or_score_for_someone_else(client, world):
    other_review = world["review"]
    client.force_login(world["people"]["reviewer not assigned"])
    assert (
        client.post(
            reverse("assessment:declare_interest", args=[other_review.pk]), {"conflict": "no"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("assessment:review", args=[other_review.pk]), {"save_draft": "1"}).status_code
        == 404
    )


def test_a_reviewer_sees_the_files_only_after_declaring_no_conflict(client, world):
    application = world["application"]
    document = application.documents.first()
    url = reverse("assessment:document_download", args=[application.pk, document.pk])
    client.force_login(world["people"]["reviewer"])
    assert client.get(url).status_code == 200
    client.force_login(world["people"]["reviewer with a conflict"])
    assert client.get(url).status_code == 404
