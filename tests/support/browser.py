"""Signing in through the sign-in page, for a browser context made by the test itself (one with
JavaScript off, or a phone's screen), which the ``person`` fixture's signed-in pages are not."""

from tests.factories import PASSWORD


def signed_in_tab(context, user):
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.goto("/accounts/login/")
    tab.get_by_label("Email address").fill(user.email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    return tab


def record_first_payment(tab, investment, *, reference: str, how: str) -> None:
    """Finance records the investment's first tranche as paid in full today, on the payments page
    ``tab`` shows, and sees it recorded."""
    import re

    from django.utils import timezone
    from playwright.sync_api import expect

    today = timezone.localdate()
    paid_on = tab.get_by_role("group", name="Date paid").first
    for label, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
        paid_on.get_by_label(label).fill(str(value))
    first = investment.payments.order_by("number").first()
    tab.get_by_label("Amount paid").first.fill(str(first.amount))
    tab.get_by_label("Payment reference").first.fill(reference)
    tab.get_by_label("The award's conditions for this payment are met").first.check()
    tab.get_by_label("How do you know?").first.fill(how)
    tab.get_by_role("button", name="Record payment").first.click()
    expect(tab.get_by_text(re.compile("recorded against payment 1: it is paid"))).to_be_visible()
