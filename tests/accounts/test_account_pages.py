"""Account pages and e-mails (allauth's) speak as the service: its name, its address, its layout,
British English, and signing out in one step."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.support.totp import current_code

pytestmark = pytest.mark.django_db

# allauth's own words the portal replaces: American spelling, title case, or not the service's.
NOT_OURS = [
    "Verify Your Email Address",
    "finalize",
    "Sign Out",
    "Password Reset",
    "Change Password",
    "Email Addresses",
    "Confirm Access",
    "Two-Factor Authentication",
    "Make Primary",
    "Re-send Verification",
    "Deactivate",
    "Unverified",
    "Hello from",
    "recognize",
]


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://fund.example.gov.uk"


def _words(text: str) -> None:
    for phrase in NOT_OURS:
        assert phrase not in text, f"{phrase!r} is allauth's wording, not the service's"


def test_the_confirmation_email_names_the_service_and_its_address(client, tasks):
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Sam Hughes",
            "email": "sam@example.org",
            "password1": "a-long-walk-in-haigh-woods",
            "password2": "a-long-walk-in-haigh-woods",
        },
    )
    tasks()
    [message] = mail.outbox
    assert message.subject == "Confirm your email address for the Community Investment Fund"
    body = message.body
    assert body.startswith("Hello,\n")
    assert "an account on the Community Investment Fund at https://fund.example.gov.uk" in body
    assert "/accounts/confirm-email/" in body
    assert body.rstrip().endswith("Community Investment Fund\nWigan Council\nhttps://fund.example.gov.uk")
    assert " on ." not in body and "from !" not in body
    _words(body)


def test_the_password_reset_email_names_the_service(client, tasks):
    UserFactory(email="sam@example.org")
    client.post(reverse("account_reset_password"), {"email": "sam@example.org"})
    tasks()
    [message] = mail.outbox
    assert message.subject == "Reset your password for the Community Investment Fund"
    assert "your account on the Community Investment Fund" in message.body
    assert "https://fund.example.gov.uk" in message.body
    _words(message.body)


def test_a_password_change_notice_is_in_british_english_with_the_time(client, tasks, settings):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True  # off unless the council turns it on
    person = UserFactory(email="sam@example.org")
    _sign_in(client, person)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "another-long-walk-1", "password2": "another-long-walk-1"},
    )
    tasks()
    [message] = [m for m in mail.outbox if "changed" in m.subject]
    assert message.subject == "Your password has been changed on the Community Investment Fund"
    assert "Your password was changed." in message.body
    assert re.search(r"It was made on \d{1,2} \w+ \d{4} at \d\d:\d\d", message.body)
    _words(message.body)


def _sign_in(client, person):
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def _page(client, url: str, heading: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html, f"{url}: no heading {heading!r}"
    assert "govuk-footer" in html and "Community Investment Fund" in html
    _words(html)
    return html


def _reset_link(person) -> str:
    key = default_token_generator.make_token(person)
    return reverse("account_reset_password_from_key", args=[user_pk_to_url_str(person), key])


def test_every_account_page_a_visitor_reaches_is_the_services(client):
    person = UserFactory(email="new@example.org", verified=False)
    address = EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    confirm = reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])
    for url, heading in [
        (reverse("account_login"), "Sign in"),
        (reverse("account_signup"), "Create an account"),
        (reverse("account_email_verification_sent"), "Check your email"),
        (confirm, "Confirm your email address"),
        (reverse("account_confirm_email", args=["not-a-key"]), "Confirm your email address"),
        (reverse("account_reset_password"), "Reset your password"),
        (reverse("account_reset_password_done"), "Check your email"),
        (_reset_link(person), "Choose a new password"),
        (reverse("account_reset_password_from_key", args=["1", "not-a-key"]), "This link has expired"),
        (reverse("account_reset_password_from_key_done"), "Your password has been changed"),
        (reverse("account_inactive"), "This account cannot be used"),
    ]:
        _page(client, url, heading)


def test_every_account_page_a_member_reaches_is_the_services(client):
    person = UserFactory()
    _sign_in(client, person)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    for url, heading in [
        (reverse("account_logout"), "Sign out"),
        (reverse("account_email"), "Your email addresses"),
        (reverse("account_change_password"), "Change your password"),
        (reverse("account_reauthenticate"), "Confirm your password"),
        (reverse("mfa_index"), "Two-factor authentication"),
        (reverse("mfa_activate_totp"), "Set up an authenticator app"),
    ]:
        _page(client, url, heading)


def _code(secret: str) -> str:
    return current_code(secret)


def test_every_two_factor_page_is_the_services(client):
    person = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    RecoveryCodes.activate(person)
    _sign_in(client, person)
    client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    # Changing how one signs in asks for the password again (allauth's rule, kept).
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    for url, heading in [
        (reverse("mfa_index"), "Two-factor authentication"),
        (reverse("mfa_view_recovery_codes"), "Your recovery codes"),
        (reverse("mfa_generate_recovery_codes"), "Make new recovery codes"),
        (reverse("mfa_deactivate_totp"), "Remove your authenticator app"),
        (reverse("mfa_reauthenticate"), "Confirm it is you"),
    ]:
        _page(client, url, heading)


def test_sign_out_is_one_button_in_the_header_that_works_without_javascript(client):
    person = UserFactory()
    client.force_login(person)
    html = client.get(reverse("applications:applicant_home")).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert f'<form class="portal-sign-out" method="post" action="{reverse("account_logout")}">' in header
    assert '<button type="submit" class="portal-sign-out__button">Sign out</button>' in header
    assert 'name="csrfmiddlewaretoken"' in header

    response = client.post(reverse("account_logout"))
    assert response["Location"] == reverse("portal:index")
    assert "_auth_user_id" not in client.session
    assert "You have signed out." in client.get(reverse("portal:index")).content.decode()


def test_the_sign_out_address_opened_directly_is_a_page_of_the_service(client):
    client.force_login(UserFactory())
    html = _page(client, reverse("account_logout"), "Sign out")
    assert "Everything you have saved stays saved." in html


def test_every_message_allauth_can_show_is_in_the_services_words():
    from accounts.adapter import AccountAdapter

    for key, message in AccountAdapter.error_messages.items():
        if key.startswith(("username", "phone")):
            continue  # the portal signs people in by e-mail address only
        for phrase in ("and/or", "Please ", "Incorrect ", "associated with", "Be patient", "Invalid "):
            assert phrase not in str(message), f"{key}: {message}"


def test_a_wrong_password_gets_the_services_message(client):
    person = UserFactory()
    response = client.post(reverse("account_login"), {"login": person.email, "password": "not-the-password"})
    page = response.content.decode()
    assert "Enter the email address and password you signed up with" in page
    assert "and/or" not in page
