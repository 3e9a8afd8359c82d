"""Security headers on every kind of page, and the limit on sign-in attempts."""

import re

import pytest
from django.urls import reverse

from fund.models import FundRole
from tests.factories import PASSWORD, UserFactory, awarded_investment, staff

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def _assert_protected(response) -> None:
    directives = _directives(response["Content-Security-Policy"])
    for name, value in POLICY.items():
        assert directives[name] == value, f"{response.wsgi_request.path}: {name} is {directives.get(name)!r}"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    html = response.content.decode()
    # Nothing inline for the policy to block: every script has a src, and no style is inline.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), response.wsgi_request.path
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)


def test_public_pages_sign_in_and_errors_carry_the_security_headers(client):
    investment = awarded_investment()
    slug = investment.round.fund.slug
    for url in [
        reverse("portal:index"),
        reverse("public:fund", args=[slug]),
        reverse("public:funded", args=[slug]),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("privacy:notice"),
        "/no-such-page/",
    ]:
        response = client.get(url)
        assert response.status_code in {200, 404}
        _assert_protected(response)


def test_signed_in_pages_with_charts_and_forms_carry_the_security_headers(client):
    investment = awarded_investment()
    fund = investment.round.fund
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    for url in [
        reverse("reporting:finance_home"),
        reverse("reporting:sroi", args=[fund.slug]),
        reverse("reporting:proxies", args=[fund.slug]),
        reverse("privacy:your_data"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_protected(response)


def test_five_wrong_passwords_lock_that_address_out_for_a_while(client):
    UserFactory(email="jo@example.org")
    UserFactory(email="sam@example.org")
    login = reverse("account_login")
    for _ in range(5):
        response = client.post(login, {"login": "jo@example.org", "password": "not-the-password"})
        assert response.status_code == 200
        assert "Enter the email address and password you signed up with" in response.content.decode()

    # Even the right password is refused now, with a message saying what to do.
    response = client.post(login, {"login": "jo@example.org", "password": PASSWORD})
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have tried to sign in too many times. Wait 5 minutes and try again" in page
    assert 'value="jo@example.org"' in page  # what was typed stays
    assert not response.wsgi_request.user.is_authenticated

    # Another person signing in from the same place is not held up.
    response = client.post(login, {"login": "sam@example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_behind_a_proxy_each_visitors_own_address_is_counted(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    login = reverse("account_login")
    UserFactory(email="jo@example.org")
    for attempt in range(10):
        client.post(
            login,
            {"login": f"guess{attempt}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    refused = client.post(
        login, {"login": "jo@example.org", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert refused.status_code == 200
    assert "tried to sign in too many times" in refused.content.decode()
    # Someone else behind the same load balancer signs in as usual.
    allowed = client.post(
        login, {"login": "jo@example.org", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert allowed.status_code == 302
