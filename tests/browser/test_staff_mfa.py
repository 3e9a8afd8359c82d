"""A staff member sets up two-factor authentication before reaching any staff page."""

import pytest
from playwright.sync_api import expect

from fund.models import FundRole
from tests.factories import PASSWORD, fund_with_tiers, staff
from tests.support.totp import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _authenticator_app_code(secret: str) -> str:
    """What the person's phone would show for this secret now."""
    return current_code(secret)


def test_officer_sets_up_an_authenticator_app_then_reaches_fund_management(page, assert_accessible, settings):
    settings.STAFF_MFA_REQUIRED = True
    officer = staff(FundRole.Role.OFFICER, fund_with_tiers(name="Deal for Communities"))

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your password")
    expect(page.get_by_text("Staff accounts need two-factor authentication")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the 6-number code from your authenticator app")

    secret = page.locator("#authenticator-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(_authenticator_app_code(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
