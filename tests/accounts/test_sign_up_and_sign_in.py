import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from fund.models import FundRole
from tests.factories import PASSWORD, UserFactory, fund_with_tiers, staff

pytestmark = pytest.mark.django_db


def _link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_sign_up_asks_to_verify_email_and_the_link_signs_the_person_in(client, tasks):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Sam Hughes",
            "email": "Sam.Hughes@Example.org",
            "password1": "a-long-walk-in-haigh-woods",
            "password2": "a-long-walk-in-haigh-woods",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get()
    assert user.email == "sam.hughes@example.org"
    assert user.full_name == "Sam Hughes"

    # The e-mail goes by the task worker, not in the request.
    assert mail.outbox == []
    assert tasks() == 1
    [message] = mail.outbox
    assert message.to == ["sam.hughes@example.org"]

    confirm_url = _link_in(message)
    page = client.get(confirm_url)
    assert page.status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    home = client.get(reverse("work:home"))
    assert "Set up your group" in home.content.decode()
    assert "Signed in as Sam Hughes" in home.content.decode()


def test_unverified_person_cannot_sign_in_until_they_confirm(client, tasks):
    UserFactory(email="new@example.org", verified=False)
    response = client.post(reverse("account_login"), {"login": "new@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not client.get(reverse("applications:applicant_home")).wsgi_request.user.is_authenticated
    tasks()
    assert mail.outbox[0].to == ["new@example.org"]


def test_sign_up_errors_are_summarised_and_typed_values_kept(client):
    response = client.post(
        reverse("account_signup"),
        {"full_name": "", "email": "sam@example.org", "password1": "short", "password2": "different"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Create an account" in html
    assert "There is a problem" in html
    assert '<a href="#id_full_name">Enter your full name</a>' in html
    assert "Your password must be 10 characters or more" in html
    assert 'value="sam@example.org"' in html
    assert not User.objects.exists()


def test_signing_up_with_an_address_already_registered_does_not_reveal_it(client, tasks):
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Someone Else",
            "email": "TAKEN@example.org",
            "password1": "a-long-walk-in-haigh-woods",
            "password2": "a-long-walk-in-haigh-woods",
        },
    )
    # The page looks the same as for a new address; the owner is told by e-mail.
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.count() == 1
    tasks()
    assert mail.outbox[0].to == ["taken@example.org"]


def test_sign_in_with_a_wrong_password_says_so_and_keeps_the_email(client):
    UserFactory(email="someone@example.org")
    response = client.post(
        reverse("account_login"), {"login": "someone@example.org", "password": "not-the-password"}
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the email address and password you signed up with" in html
    assert 'value="someone@example.org"' in html


@pytest.mark.parametrize(
    ("role", "pages", "section"),
    [
        (FundRole.Role.OFFICER, "fund:officer_home", "Fund officer"),
        (FundRole.Role.FINANCE, "reporting:finance_home", "Finance"),
        (FundRole.Role.PANEL, "assessment:panel_home", "Panel member"),
        (FundRole.Role.MENTOR, "mentoring:mentor_home", "Mentor"),
    ],
)
def test_each_role_lands_on_its_work_after_signing_in(client, role, pages, section):
    fund = fund_with_tiers()
    person = staff(role, fund)
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("work:home")
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Your work</h1>' in html
    assert f">{section}</h2>" in html
    # The role's own pages are a click away, in the header.
    assert f'href="{reverse(pages)}"' in html
    # The header says who is signed in and with which roles.
    assert f"{FundRole.Role(role).label} ({fund.name})" in response.content.decode()


def test_password_reset_by_email_link(client, tasks):
    UserFactory(email="forgetful@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    tasks()
    [message] = mail.outbox
    reset_url = _link_in(message)
    # allauth moves the key out of the address into the session, then shows the form.
    form_page = client.get(reset_url, follow=True)
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_url
    response = client.post(
        form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )
    assert response.status_code == 302
    client.logout()
    assert client.login(email="forgetful@example.org", password="a-brand-new-passphrase")


def test_password_reset_for_an_unknown_address_reveals_nothing(client, tasks):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
