"""A first-time group signs up and applies for a small investment, in a real browser,
with axe's WCAG 2.2 AA checks on every page of the journey, and in no more page loads than the
fund's promise of minutes allows (``MOST_PAGE_LOADS``): a change that adds a page fails here."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import RoundFactory, fund_with_tiers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Signing up, setting up the group and sending a small application with three goals and three
# budget lines: each page the browser loads counts, however it got there (a link, a form, a redirect).
MOST_PAGE_LOADS = 18


@pytest.fixture
def open_round():
    fund = fund_with_tiers(name="Deal for Communities", reference_prefix="DFC")
    fund.places.create(name="Leigh")
    fund.places.create(name="Hindley")
    fund.themes.create(name="Less loneliness and isolation")
    return RoundFactory(fund=fund, name="Round 1: 2026 to 2027")


def test_new_group_signs_up_and_sends_a_small_application(page, assert_accessible, open_round, tasks):
    def heading(text):
        expect(page.get_by_role("heading", level=1)).to_have_text(text)
        assert_accessible(page)

    def continue_():
        page.get_by_role("button", name="Save and continue").click()

    def complete_section():
        page.get_by_label("Yes, I’ve completed this section").check()
        continue_()

    loads: list[str] = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    heading("Create an account")
    page.get_by_label("Your full name").fill("Sam Hughes")
    page.get_by_label("Email address").fill("sam@knit.example.org")
    page.get_by_label("Password", exact=True).fill("a-long-walk-in-pennington-flash")
    page.get_by_label("Confirm your password").fill("a-long-walk-in-pennington-flash")
    page.get_by_role("button", name="Create account").click()
    assert_accessible(page)

    # Sam opens the email and follows its link.
    tasks()
    link = re.search(r"http://[^\s]+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    # A new account goes straight to setting up the group, then straight on to applying.
    heading("Tell us about your group")
    page.get_by_label("Name of your group").fill("Leigh Knit and Natter")
    page.get_by_label("Unincorporated community group").check()
    page.get_by_label("Address line 1").fill("1 Bradshawgate")
    page.get_by_label("Town or city").fill("Leigh")
    page.get_by_label("Postcode").fill("WN7 1DQ")
    page.get_by_label("Leigh", exact=True).check()
    page.get_by_label("Contact's full name").fill("Sam Hughes")
    page.get_by_label("Contact's email address").fill("sam@knit.example.org")
    page.get_by_role("button", name="Save").click()
    heading("Apply for an investment")
    expect(page.get_by_text("Leigh Knit and Natter has been set up.")).to_be_visible()
    page.get_by_label(re.compile("Round 1: 2026 to 2027")).check()
    page.get_by_label("How much are you asking for?").fill("£1,500")
    page.get_by_role("button", name="Continue").click()
    heading("Your application")
    expect(page.get_by_text("You are applying for a small investment (up to £2,000).")).to_be_visible()
    expect(page.get_by_text("You have completed 0 of 5 sections.")).to_be_visible()

    page.get_by_role("link", name="About your group").click()
    heading("About your group")
    complete_section()

    page.get_by_role("link", name="Your idea").click()
    heading("Your idea")
    page.get_by_label("Project name").fill("Knit and natter")
    page.get_by_label("What will you do?").fill("Weekly knitting afternoons at the library.")
    page.get_by_label("Who will it help?").fill("Older people living alone in Leigh.")
    page.get_by_label("Leigh", exact=True).check()
    page.get_by_label("Why does it matter to local people?").fill("Loneliness shortens lives.")
    page.get_by_label("How were local people involved in the idea?").fill("Our members asked for it.")
    complete_section()

    # Three goals on one page.
    page.get_by_role("link", name="Your goals").click()
    heading("Your goals")
    for number, goal in enumerate(
        ("Fewer older people in Leigh feel alone", "More people learn to knit", "Blankets for the hospice"),
        start=1,
    ):
        row = page.get_by_role("group", name=f"Goal {number}")
        row.get_by_label("What will be different for local people?").fill(goal)
    page.get_by_role("group", name="Goal 1").get_by_label("Less loneliness and isolation").check()
    complete_section()

    # Three budget lines in one table.
    page.get_by_role("link", name="Budget").click()
    heading("Budget")
    page.get_by_label("What it is for, line 1").fill("Wool and needles")
    page.get_by_label("Cost in pounds, line 1").fill("700")
    page.get_by_label("What it is for, line 2").fill("Tea and biscuits")
    page.get_by_label("Cost in pounds, line 2").fill("300")
    page.get_by_label("What it is for, line 3").fill("Room hire")
    page.get_by_label("Cost in pounds, line 3").fill("500.00")
    complete_section()

    expect(page.get_by_text("You have completed 4 of 5 sections.")).to_be_visible()
    page.get_by_role("link", name="Declaration").click()
    heading("Declaration")
    page.get_by_label(re.compile("I confirm that the information")).check()
    page.get_by_label("Your full name").fill("Sam Hughes")
    continue_()

    heading("Check your answers before sending your application")
    expect(page.get_by_text("Tea and biscuits")).to_be_visible()
    expect(page.get_by_text("Blankets for the hospice")).to_be_visible()
    page.get_by_role("button", name="Accept and send").click()
    heading("Application sent")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"DFC-\d{4}-00001", reference)
    assert len(loads) <= MOST_PAGE_LOADS, "\n".join(loads)
    print(f"Signing up and sending a small application: {len(loads)} page loads (at most {MOST_PAGE_LOADS})")

    page.get_by_role("link", name="go to your applications").click()
    heading("Your applications")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    expect(page.get_by_text("Submitted", exact=True)).to_be_visible()


def test_goals_and_budget_lines_are_added_without_javascript_on_a_phone(chromium, live_server):
    from applications.models import BudgetLine, Goal
    from tests.factories import ApplicationFactory, OrganisationFactory, UserFactory
    from tests.support.browser import signed_in_tab

    member = UserFactory()
    application = ApplicationFactory(organisation=OrganisationFactory(members=[member]))
    context = chromium.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    try:
        tab = signed_in_tab(context, member)
        tab.goto(f"/applications/{application.pk}/budget/")
        for line, (item, cost) in enumerate((("Wool", "700"), ("Tea", "300"), ("Room hire", "400")), start=1):
            tab.get_by_label(f"What it is for, line {line}").fill(item)
            tab.get_by_label(f"Cost in pounds, line {line}").fill(cost)
        tab.get_by_role("button", name="Add another line").click()
        # The same lines come back, with what was typed, and one more; nothing is saved yet.
        expect(tab.get_by_label("What it is for, line 2")).to_have_value("Tea")
        tab.get_by_label("What it is for, line 4").fill("Leaflets")
        tab.get_by_label("Cost in pounds, line 4").fill("100")
        # Enter in a box saves, as the main button does: here it asks whether the section is done.
        tab.get_by_label("Cost in pounds, line 4").press("Enter")
        expect(tab.get_by_role("alert")).to_contain_text("Select whether you have completed this section")
        expect(tab.get_by_label("What it is for, line 4")).to_have_value("Leaflets")
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
        tab.get_by_label("Yes, I’ve completed this section").check()
        tab.get_by_role("button", name="Save and continue").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("Your application")
        assert BudgetLine.objects.filter(application=application).count() == 4

        tab.goto(f"/applications/{application.pk}/goals/")
        tab.get_by_role("group", name="Goal 1").get_by_label("What will be different for local people?").fill(
            "Fewer people feel alone"
        )
        tab.get_by_role("group", name="Goal 2").get_by_label("How will you know? (optional)").fill("Smiles")
        tab.get_by_label("Yes, I’ve completed this section").check()
        tab.get_by_role("button", name="Save and continue").click()
        expect(tab.get_by_role("alert")).to_contain_text("Say what will be different for local people")
        expect(
            tab.get_by_role("group", name="Goal 1").get_by_label("What will be different for local people?")
        ).to_have_value("Fewer people feel alone")
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
        tab.get_by_role("group", name="Goal 2").get_by_label("What will be different for local people?").fill(
            "People have somewhere to go on Wednesdays"
        )
        tab.get_by_role("button", name="Save and continue").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("Your application")
        assert Goal.objects.filter(application=application).count() == 2
    finally:
        context.close()
