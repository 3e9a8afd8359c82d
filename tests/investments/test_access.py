"""Who may open each page after an award: every new view against every kind of person."""

import pytest
from django.urls import reverse

from fund.models import FundRole
from mentoring.models import MentorProfile
from mentoring.services import assign_mentor
from tests.factories import UserFactory, awarded_investment, first_update_due_now, staff

pytestmark = pytest.mark.django_db

LOGIN = "login"


@pytest.fixture
def world():
    member = UserFactory()
    investment = awarded_investment(member=member, start_date=first_update_due_now())
    fund = investment.round.fund
    officer = fund.roles.get(role=FundRole.Role.OFFICER).user
    mentor, other_mentor = (staff(FundRole.Role.MENTOR, fund) for _ in range(2))
    MentorProfile.objects.create(user=mentor)
    assign_mentor(investment=investment, mentor=mentor, by=officer)
    other = awarded_investment()
    goal = investment.application.goals.current().get()
    pk = investment.pk
    pages = {
        "investment": reverse("investments:investment", args=[pk]),
        "update": reverse("investments:update_form", args=[pk, 1]),
        "update check": reverse("investments:update_check", args=[pk, 1]),
        "goals": reverse("investments:goals", args=[pk]),
        "goal add": reverse("investments:goal_add", args=[pk]),
        "goal change": reverse("investments:goal_change", args=[pk, goal.pk]),
        "goal stop": reverse("investments:goal_retire", args=[pk, goal.pk]),
        "officer list": reverse("investments:investments"),
        "officer page": reverse("investments:oversight_investment", args=[pk]),
        "mentor home": reverse("mentoring:mentor_home"),
        "mentor page": reverse("mentoring:investment", args=[pk]),
        "payments": reverse("investments:investment_payments", args=[pk]),
    }
    people = {
        "anonymous": None,
        "group member": member,
        "member of another group": other.application.organisation.memberships.get().user,
        "mentor assigned": mentor,
        "another mentor": other_mentor,
        "officer": officer,
        "officer of another fund": other.round.fund.roles.get(role=FundRole.Role.OFFICER).user,
        "finance": staff(FundRole.Role.FINANCE, fund),
    }
    return pages, people


GROUP_PAGES = ["investment", "update", "update check", "goals", "goal add", "goal change", "goal stop"]
EXPECTED = {
    # Pages not named: 404 for group pages (someone else's investment does not exist for them),
    # 403 for role pages the person holds no role for, LOGIN for anonymous.
    "group member": dict.fromkeys(GROUP_PAGES, 200),
    "member of another group": {},
    "mentor assigned": {"mentor home": 200, "mentor page": 200},
    "another mentor": {"mentor home": 200, "mentor page": 404},
    "officer": {"officer list": 200, "officer page": 200},
    "officer of another fund": {"officer list": 200, "officer page": 404},
    "finance": {"payments": 200},
    "anonymous": {},
}


@pytest.mark.parametrize("person", list(EXPECTED))
def test_access_matrix(client, world, person):
    pages, people = world
    user = people[person]
    if user:
        client.force_login(user)
    for page, url in pages.items():
        response = client.get(url)
        default = LOGIN if user is None else (404 if page in GROUP_PAGES else 403)
        expected = EXPECTED[person].get(page, default)
        if expected == LOGIN:
            assert response.status_code == 302 and response["Location"].startswith(
                reverse("account_login")
            ), page
        else:
            assert response.status_code == expected, f"{person} on {page}: {response.status_code}"
