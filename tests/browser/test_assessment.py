"""The fund team and the panel in real browsers: check, assign, declare, score, award, and the
group reading the decision. axe checks every page visited."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessment import services as assessment
from fund.models import FundRole
from tests.factories import (
    CriterionFactory,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
    staff,
    submitted_application,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    fund = fund_with_tiers(name="Deal for Communities", reference_prefix="DFC")
    round = RoundFactory(fund=fund, name="Round 1: 2026 to 2027", budget=Decimal("100000.00"))
    CriterionFactory(round=round, title="Difference for local people", weight=Decimal(3))
    CriterionFactory(round=round, title="Value for money", weight=Decimal(1))
    member = UserFactory(email="sam@knit.example.org", full_name="Sam Hughes")
    application = submitted_application(round=round, amount_requested=Decimal("5000.00"), member=member)
    return {
        "application": application,
        "member": member,
        "officer": staff(FundRole.Role.OFFICER, fund, full_name="Olivia Officer"),
        "reviewers": [
            staff(FundRole.Role.PANEL, fund, full_name="Priya Panel"),
            staff(FundRole.Role.PANEL, fund, full_name="Rob Reviewer"),
        ],
    }


def _heading(page, text, assert_accessible):
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(text))
    assert_accessible(page)


def _declare_no_conflict(page, reference, assert_accessible):
    page.get_by_role("link", name=reference).click()
    _heading(page, "Declare your interests", assert_accessible)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    _heading(page, f"Review {reference}", assert_accessible)


def _score(page, value: str, recommendation: str, comment: str):
    for criterion in ("Difference for local people", "Value for money"):
        page.get_by_role("group", name=criterion).get_by_label(value, exact=True).check()
    page.get_by_label(recommendation, exact=True).check()
    page.get_by_label("Overall comment (optional)").fill(comment)


def test_check_assign_score_and_award_then_the_group_reads_the_decision(world, person, assert_accessible):
    application = world["application"]
    reference = application.reference

    officer = person(world["officer"])
    _heading(officer, "Your work", assert_accessible)
    officer.get_by_role("link", name="1 application to check").click()
    _heading(officer, "Applications", assert_accessible)
    officer.get_by_role("link", name=reference).click()
    _heading(officer, reference, assert_accessible)
    officer.get_by_label("Yes, it is eligible").check()
    officer.get_by_role("button", name="Save the check").click()
    expect(officer.get_by_text(f"{reference} is eligible. Now assign reviewers.")).to_be_visible()
    officer.get_by_text("Choose reviewers by hand").click()
    officer.get_by_label("Priya Panel").check()
    officer.get_by_label("Rob Reviewer").check()
    officer.get_by_role("button", name="Assign reviewers", exact=True).click()
    expect(officer.get_by_text("The reviewers have been assigned.")).to_be_visible()
    assert_accessible(officer)

    first = person(world["reviewers"][0])
    # The review waits on the panel member's landing page, with what to do first.
    _heading(first, "Your work", assert_accessible)
    expect(first.get_by_text("Declare any conflict of interest first")).to_be_visible()
    _declare_no_conflict(first, reference, assert_accessible)
    _score(first, "4", "Fund", "Priya: a strong, well-loved group.")
    first.get_by_role("button", name="Save as a draft").click()
    expect(first.get_by_text("Your draft scores have been saved.")).to_be_visible()

    second = person(world["reviewers"][1])
    _declare_no_conflict(second, reference, assert_accessible)
    _score(second, "2", "Fund with conditions", "Rob: needs a partner for the venue.")
    second.get_by_role("button", name="Submit scores").click()
    expect(second.get_by_text("Your scores have been submitted.")).to_be_visible()
    assert_accessible(second)

    # The first reviewer has not submitted: the second's scores stay hidden from them.
    first.reload()
    expect(first.get_by_text("Rob: needs a partner for the venue.")).to_have_count(0)
    first.get_by_role("button", name="Submit scores").click()
    expect(first.get_by_role("heading", name="Other reviewers")).to_be_visible()
    expect(first.get_by_text("Rob: needs a partner for the venue.")).to_be_visible()
    assert_accessible(first)

    officer.reload()
    officer.get_by_label("Award", exact=True).check()
    officer.get_by_label("Amount to award").fill("4500")
    conditions = "Agree the venue with the library before the first payment."
    officer.get_by_label("Conditions (optional)").fill(conditions)
    officer.get_by_role("button", name="Record the decision").click()
    expect(officer.get_by_text(f"{reference}: awarded £4,500. The group has been told.")).to_be_visible()
    assert_accessible(officer)

    group = person(world["member"])
    _heading(group, "Your work", assert_accessible)
    group.get_by_role("link", name="Your applications", exact=True).first.click()
    _heading(group, "Your applications", assert_accessible)
    group.get_by_role("link", name=reference).click()
    expect(group.get_by_role("heading", name="Investment of £4,500")).to_be_visible()
    expect(group.get_by_text(conditions)).to_be_visible()
    assert_accessible(group)


def test_a_reviewer_who_declares_a_conflict_loses_the_application(world, person, assert_accessible):
    application = world["application"]
    assessment.mark_eligible(application=application, by=world["officer"])
    review = assessment.assign_reviewer(
        application=application, reviewer=world["reviewers"][0], by=world["officer"]
    )

    reviewer = person(world["reviewers"][0])
    reviewer.get_by_role("link", name=application.reference).click()
    _heading(reviewer, "Declare your interests", assert_accessible)
    reviewer.get_by_role("button", name="Continue").click()
    expect(reviewer.get_by_role("alert")).to_contain_text("Say whether you have a conflict of interest")
    assert_accessible(reviewer)
    reviewer.get_by_label("Yes", exact=True).check()
    reviewer.get_by_label("If yes, what is the conflict?").fill("I am the group's treasurer.")
    reviewer.get_by_role("button", name="Continue").click()
    _heading(reviewer, "Panel", assert_accessible)
    expect(reviewer.get_by_text("another panel member will review it")).to_be_visible()
    expect(reviewer.get_by_role("link", name=application.reference)).to_have_count(0)

    response = reviewer.goto(f"/panel/reviews/{review.pk}/")
    assert response.status == 404
    _heading(reviewer, "Page not found", assert_accessible)
