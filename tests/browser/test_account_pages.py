"""allauth's pages as people meet them: in the service's layout, checked by axe in Chromium."""

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory
from tests.support.totp import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visit(tab, assert_accessible, url: str, heading: str) -> None:
    response = tab.goto(url)
    assert response.status == 200, url
    expect(tab.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(tab)


def test_the_pages_before_signing_in_pass_axe(page, assert_accessible):
    person = UserFactory(email="new@example.org", verified=False)
    address = EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    reset = reverse(
        "account_reset_password_from_key",
        args=[user_pk_to_url_str(person), default_token_generator.make_token(person)],
    )
    for url, heading in [
        (reverse("account_login"), "Sign in"),
        (reverse("account_signup"), "Create an account"),
        (reverse("account_email_verification_sent"), "Check your email"),
        (
            reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]),
            "Confirm your email address",
        ),
        (reverse("account_confirm_email", args=["not-a-key"]), "Confirm your email address"),
        (reverse("account_reset_password"), "Reset your password"),
        (reverse("account_reset_password_done"), "Check your email"),
        (reset, "Choose a new password"),
        (reverse("account_reset_password_from_key_done"), "Your password has been changed"),
        (reverse("account_inactive"), "This account cannot be used"),
    ]:
        _visit(page, assert_accessible, url, heading)


def test_a_members_account_pages_pass_axe_and_sign_out_is_one_click(person, assert_accessible):
    member = UserFactory()
    tab = person(member)
    tab.goto(f"{reverse('account_reauthenticate')}?next={reverse('mfa_index')}")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Continue").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    for url, heading in [
        (reverse("account_email"), "Your email addresses"),
        (reverse("account_change_password"), "Change your password"),
        (reverse("mfa_index"), "Two-factor authentication"),
        (reverse("mfa_activate_totp"), "Set up an authenticator app"),
        (reverse("account_logout"), "Sign out"),
    ]:
        _visit(tab, assert_accessible, url, heading)
    tab.goto(reverse("applications:applicant_home"))
    tab.get_by_role("button", name="Sign out").click()
    expect(tab.get_by_text("You have signed out.")).to_be_visible()


def test_the_two_factor_pages_pass_axe(person, assert_accessible):
    member = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    RecoveryCodes.activate(member)
    tab = person(member)
    expect(tab.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    assert_accessible(tab)
    tab.get_by_label("Code from your authenticator app").fill(current_code(secret))
    tab.get_by_role("button", name="Sign in").click()
    expect(tab.get_by_role("heading", level=1)).not_to_have_text("Enter the code from your authenticator app")
    tab.goto(f"{reverse('account_reauthenticate')}?next={reverse('mfa_index')}")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Continue").click()
    for url, heading in [
        (reverse("mfa_index"), "Two-factor authentication"),
        (reverse("mfa_view_recovery_codes"), "Your recovery codes"),
        (reverse("mfa_generate_recovery_codes"), "Make new recovery codes"),
        (reverse("mfa_deactivate_totp"), "Remove your authenticator app"),
        (reverse("mfa_reauthenticate"), "Confirm it is you"),
    ]:
        _visit(tab, assert_accessible, url, heading)
