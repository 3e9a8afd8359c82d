"""A panel member scoring a long big idea: the criteria, what each means and how much it counts,
and the score form are near the top of the page, not under the whole application."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessment import services as assessment
from fund.models import FundRole
from tests.factories import (
    BudgetLineFactory,
    CriterionFactory,
    GoalFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
    staff,
    submitted_application,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARAGRAPH = (
    "Scholes has no place where older people, young families and people new to the area meet. "
    "The hub will open five days a week with a café run by volunteers, advice sessions with the "
    "Citizens Advice Bureau, a food club, digital help, and rooms local groups can hire cheaply. "
)
CRITERIA = [
    ("Difference for local people", "The project changes lives in the footprint it serves.", "3"),
    ("Local people involved", "People who will use it shaped the idea and will help run it.", "2"),
    ("Value for money", "The budget is realistic and the costs are fair.", "2"),
    ("Keeps going", "A believable plan to keep going once the investment is spent.", "2"),
    ("Partnership", "Works with other local organisations rather than alone.", "1"),
]


@pytest.fixture
def review():
    fund = fund_with_tiers(name="Deal for Communities", reference_prefix="DFC")
    round = RoundFactory(fund=fund, name="Round 1: 2026 to 2027", budget=Decimal("1000000.00"))
    for title, guidance, weight in CRITERIA:
        CriterionFactory(round=round, title=title, guidance=guidance, weight=Decimal(weight))
    member = UserFactory()
    group = OrganisationFactory(
        name="Scholes Community Hub", legal_form="cio", charity_number="1180000", members=[member]
    )
    application = submitted_application(
        round=round, amount_requested=Decimal("73969.00"), organisation=group, member=member
    )
    # A realistic big idea: long answers, many goals and a budget of many lines.
    for field in ("summary", "who_it_helps", "why_it_matters", "how_people_involved", "sustainability_plan"):
        setattr(application, field, PARAGRAPH * 6)
    application.save()
    for number in range(4):
        GoalFactory(application=application, description=f"Goal {number}: " + PARAGRAPH)
    for number in range(12):
        BudgetLineFactory(application=application, item=f"Budget line {number}", amount=Decimal("100.00"))
    officer = staff(FundRole.Role.OFFICER, fund)
    reviewer = staff(FundRole.Role.PANEL, fund, full_name="Priya Panel")
    assessment.mark_eligible(application=application, by=officer)
    review = assessment.assign_reviewer(application=application, reviewer=reviewer, by=officer)
    assessment.declare_interest(review=review, by=reviewer, conflict=False)
    return review


def test_the_score_form_is_near_the_top_of_a_long_application(review, person, assert_accessible):
    tab = person(review.reviewer)
    tab.set_viewport_size({"width": 1280, "height": 800})
    tab.goto(f"/panel/reviews/{review.pk}/")
    expect(tab.get_by_role("heading", level=1)).to_contain_text(review.application.reference)

    first = tab.get_by_role("group", name="Difference for local people")
    expect(first).to_contain_text("The project changes lives in the footprint it serves.")
    expect(first).to_contain_text("Weight 3: 30 of the 100 points. Score from 0 to 5.")
    expect(tab.get_by_role("group", name="Partnership")).to_contain_text("Weight 1: 10 of the 100 points.")
    box = (
        tab.get_by_role("group", name="Difference for local people")
        .get_by_label("0", exact=True)
        .bounding_box()
    )
    assert box["y"] + box["height"] <= 1200, f"the first score is {box['y']:.0f} px down the page"
    assert_accessible(tab)

    # The application is all there, a part at a time.
    idea = tab.locator("details", has_text="Your idea")
    idea.locator("summary").click()
    expect(idea.get_by_text("Scholes has no place", exact=False).first).to_be_visible()

    # Scoring still works from there.
    for title, _guidance, _weight in CRITERIA:
        tab.get_by_role("group", name=title).get_by_label("4", exact=True).check()
    tab.get_by_label("Fund", exact=True).check()
    tab.get_by_role("button", name="Submit scores").click()
    expect(tab.get_by_text("Your scores have been submitted.")).to_be_visible()
