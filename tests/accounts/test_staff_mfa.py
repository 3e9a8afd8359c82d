import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from fund.models import FundRole
from tests.factories import PASSWORD, UserFactory, fund_with_tiers, staff
from tests.support.totp import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.STAFF_MFA_REQUIRED = True


def _code(secret: str) -> str:
    return current_code(secret)


def _sign_in(client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD}, follow=True)


def _confirm_password(client):
    """allauth asks for the password again before an authenticator is added."""
    return client.post(
        f"{reverse('account_reauthenticate')}?next={reverse('mfa_activate_totp')}",
        {"password": PASSWORD},
        follow=True,
    )


@pytest.mark.parametrize("role", FundRole.Role.values)
def test_staff_are_sent_to_set_up_mfa_before_any_staff_page(client, role):
    person = staff(role, fund_with_tiers())
    response = _sign_in(client, person.email)
    # On the way to the set-up page, allauth asks them to confirm their password.
    assert [url for url, _ in response.redirect_chain][-2:] == [
        reverse("mfa_activate_totp"),
        f"{reverse('account_reauthenticate')}?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    ]
    assert "Staff accounts need two-factor authentication" in response.content.decode()
    for url in (reverse("fund:officer_home"), reverse("reporting:finance_home"), reverse("portal:index")):
        assert client.get(url)["Location"] == reverse("mfa_activate_totp")
    response = _confirm_password(client)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert "Set up an authenticator app" in response.content.decode()


def test_community_group_members_are_not_asked_for_mfa(client):
    person = UserFactory()
    response = _sign_in(client, person.email)
    assert response.redirect_chain[-1][0] == reverse("work:home")


def test_after_setting_up_totp_staff_reach_their_page_and_need_a_code_to_sign_in(client):
    officer = staff(FundRole.Role.OFFICER, fund_with_tiers())
    _sign_in(client, officer.email)
    _confirm_password(client)

    activate = client.get(reverse("mfa_activate_totp"))
    secret = activate.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("fund:officer_home")).status_code == 200
    # Recovery codes were made with the authenticator.
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.RECOVERY_CODES).exists()

    client.logout()
    response = _sign_in(client, officer.email)
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert client.get(reverse("fund:officer_home"))["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Incorrect code" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("work:home")


def test_demo_setting_lets_staff_sign_straight_in_and_the_banner_says_so(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    officer = staff(FundRole.Role.OFFICER, fund_with_tiers())
    response = _sign_in(client, officer.email)
    assert response.redirect_chain[-1][0] == reverse("work:home")
    assert "Staff demo accounts sign in without two-factor authentication" in response.content.decode()
