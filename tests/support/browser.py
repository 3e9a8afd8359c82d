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
