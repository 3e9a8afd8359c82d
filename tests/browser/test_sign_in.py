"""A person in a real browser: the start page, signing in and out, with axe checks on each page."""

import pytest
from playwright.sync_api import expect

from fund.models import FundRole
from tests.factories import PASSWORD, RoundFactory, UserFactory, fund_with_tiers, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer():
    fund = fund_with_tiers(name="Deal for Communities")
    RoundFactory(fund=fund, name="Round 1: 2026 to 2027")
    return staff(FundRole.Role.OFFICER, fund, full_name="Olivia Officer")


def _sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_visitor_reads_the_start_page_and_finds_sign_in(page, assert_accessible, officer):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Community Investment Fund")
    expect(page.get_by_text("Round 1: 2026 to 2027")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Sign in").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)


def test_officer_signs_in_lands_on_their_work_and_signs_out(page, assert_accessible, officer):
    page.goto("/accounts/login/")
    _sign_in(page, officer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    expect(page.get_by_role("heading", level=2, name="Fund officer")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Fund management").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fund management")
    expect(
        page.get_by_text("Signed in as Olivia Officer – Fund officer (Deal for Communities).")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Deal for Communities", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Tiers")).to_be_visible()
    assert_accessible(page)

    # One step: the header's "Sign out" is a button that sends the form.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    assert_accessible(page)


def test_a_wrong_password_is_summarised_and_the_email_kept(page, assert_accessible):
    UserFactory(email="sam@example.org")
    page.goto("/accounts/login/")
    _sign_in(page, "sam@example.org", "not-my-password")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(page.get_by_label("Email address")).to_have_value("sam@example.org")
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_signing_in_and_out_works_with_javascript_switched_off(chromium, live_server, officer):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        _sign_in(page, officer.email)
        expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    finally:
        context.close()
