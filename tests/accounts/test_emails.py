"""E-mails: subjects always on one line, and an e-mail that cannot be sent is seen by the fund team."""

import socket

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from fund.models import FundRole
from organisations.models import Organisation
from tests.factories import OrganisationFactory, UserFactory, fund_with_tiers, staff, submitted_application

pytestmark = pytest.mark.django_db

GROUP = {
    "name": "Hindley Green\nKnit and Natter",
    "legal_form": Organisation.LegalForm.UNINCORPORATED,
    "address_line_1": "12 Market Street",
    "town": "Hindley",
    "postcode": "WN2 3AB",
    "contact_name": "Sam Hughes",
    "contact_email": "sam@example.org",
}


def test_a_group_name_on_two_lines_is_refused_and_the_rest_kept(client):
    client.force_login(UserFactory())
    response = client.post(reverse("organisations:organisation_create"), GROUP)
    html = response.content.decode()
    assert "The name of your group must be on one line, with no line breaks or tabs" in html
    assert 'value="Hindley"' in html and 'value="sam@example.org"' in html
    assert not Organisation.objects.exists()


def test_a_name_with_an_invisible_character_is_refused(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("organisations:organisation_create"), {**GROUP, "name": "Knit and\x1b Natter"}
    )
    assert (
        "The name of your group contains a hidden character that cannot be used" in response.content.decode()
    )


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    def invite(organisation, owner, email="new.member@example.org"):
        client.force_login(owner)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("organisations:invite", args=[organisation.pk]), {"email": email, "role": "member"}
            )

    return invite


def test_an_invitation_subject_is_one_line_even_if_a_stored_name_is_not(invite, tasks):
    # A name saved before the rule (or through the admin) still makes an e-mail that can be sent.
    owner = UserFactory()
    organisation = OrganisationFactory(name="Knit\r\nand Natter", members=[owner])
    invite(organisation, owner)
    tasks()
    assert not DBTaskResult.objects.failed().exists()
    [message] = mail.outbox
    assert message.subject == "Join Knit and Natter on the Community Investment Fund"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket closes


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 5},
        }
    }


def test_an_email_that_cannot_be_sent_is_logged_and_shown_to_that_funds_officers(
    client, tasks, mail_server_down, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted_application()  # the group is told its application arrived
    fund = application.round.fund
    with caplog.at_level("ERROR"):
        tasks()
    assert DBTaskResult.objects.failed().count() == 1
    assert f'Could not send the email "Application received: {application.reference}" to' in caplog.text

    officer = staff(FundRole.Role.OFFICER, fund)
    client.force_login(officer)
    home = client.get(reverse("fund:officer_home")).content.decode()
    assert "1 email could not be sent" in home
    page = client.get(reverse("portal:emails_not_sent"))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Application received: {application.reference}" in html
    assert "The mail server could not be reached" in html
    # The addresses are the group's business, and the raw error the administrators'.
    for member in application.organisation.memberships.all():
        assert member.user.email not in html
    assert "ConnectionRefusedError" not in html

    # Another fund's officers learn nothing of it.
    client.force_login(staff(FundRole.Role.OFFICER, fund_with_tiers()))
    assert "could not be sent" not in client.get(reverse("fund:officer_home")).content.decode()
    assert application.reference not in client.get(reverse("portal:emails_not_sent")).content.decode()


def test_an_email_about_no_fund_that_failed_is_for_the_administrators(
    client, invite, tasks, mail_server_down
):
    owner = UserFactory()
    organisation = OrganisationFactory(name="Atherton Men's Shed", members=[owner])
    assert invite(organisation, owner, email="friend.of.the.shed@example.org").status_code == 302
    tasks()
    assert DBTaskResult.objects.failed().count() == 1
    subject = "Join Atherton Men&#x27;s Shed on the Community Investment Fund"
    client.force_login(staff(FundRole.Role.OFFICER, fund_with_tiers()))
    assert subject not in client.get(reverse("portal:emails_not_sent")).content.decode()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("portal:emails_not_sent")).content.decode()
    assert subject in html and "1 person" in html
    assert "friend.of.the.shed@example.org" not in html


def test_only_officers_see_the_emails_not_sent(client):
    fund = fund_with_tiers()
    for person in (UserFactory(), staff(FundRole.Role.FINANCE, fund), staff(FundRole.Role.PANEL, fund)):
        client.force_login(person)
        assert client.get(reverse("portal:emails_not_sent")).status_code == 403
    client.logout()
    assert client.get(reverse("portal:emails_not_sent")).status_code == 302


def test_the_officers_page_says_when_every_email_was_sent(client):
    client.force_login(staff(FundRole.Role.OFFICER, fund_with_tiers()))
    assert "could not be sent" not in client.get(reverse("fund:officer_home")).content.decode()
    assert (
        "Every email in the last 14 days was sent."
        in client.get(reverse("portal:emails_not_sent")).content.decode()
    )
