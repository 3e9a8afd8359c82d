"""Invitations: the e-mailed link joins the group, and the page it opens, for each person who may
open it."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisations.models import Invitation, Membership
from tests.factories import InvitationFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation():
    owner = UserFactory(full_name="Priya Shah")
    group = OrganisationFactory(
        name="Hindley Gardeners", contact_email="secretary@gardeners.example.org", members=[owner]
    )
    return InvitationFactory(organisation=group, email="ali@example.org", invited_by=owner)


def _url(invitation: Invitation) -> str:
    return reverse("organisations:invitation_accept", args=[invitation.token])


def _links(html: str) -> dict[str, str]:
    """{link text: address} for the page's button links."""
    import re

    return {
        text.strip(): href.replace("&amp;", "&")
        for href, text in re.findall(r'<a href="([^"]+)" role="button"[^>]*>([^<]+)</a>', html)
    }


def test_someone_not_signed_in_is_told_which_group_and_offered_to_sign_up_or_in(client, invitation):
    response = client.get(_url(invitation))
    html = response.content.decode()

    assert response.status_code == 200
    assert "You have been invited to join Hindley Gardeners" in html
    links = _links(html)
    signup = urlsplit(links["Create an account"])
    assert signup.path == reverse("account_signup")
    assert parse_qs(signup.query) == {"email": ["ali@example.org"], "next": [_url(invitation)]}
    login = urlsplit(links["Sign in"])
    assert login.path == reverse("account_login")
    assert parse_qs(login.query) == {"next": [_url(invitation)]}
    # Only the group's name: not who sent it, nor the group's contact details.
    assert "Priya Shah" not in html
    assert "secretary@gardeners.example.org" not in html
    assert "Accept invitation" not in html
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_accepting_needs_signing_in_first(client, invitation):
    response = client.post(_url(invitation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Membership.objects.filter(user__email="ali@example.org").exists()


def test_the_invited_person_signed_in_sees_who_invited_them_and_accepts(client, invitation):
    ali = UserFactory(email="ali@example.org")
    client.force_login(ali)

    html = client.get(_url(invitation)).content.decode()
    assert "You have been invited to join Hindley Gardeners" in html
    assert "Priya Shah invited you to join as a member" in html
    assert "Accept invitation" in html

    response = client.post(_url(invitation), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "applications:organisation_detail", args=[invitation.organisation.pk]
    )
    assert "You are now a member of Hindley Gardeners." in response.content.decode()
    assert invitation.organisation.memberships.get(user=ali).role == Membership.Role.MEMBER


def test_someone_signed_in_with_another_address_is_told_and_cannot_join(client, invitation):
    client.force_login(UserFactory(email="sam@example.org"))

    response = client.get(_url(invitation))
    html = response.content.decode()
    assert response.status_code == 403
    assert "There is a problem" in html
    assert "but you are signed in as sam@example.org" in html
    assert "Sign out" in html
    assert "Accept invitation" not in html

    client.post(_url(invitation))
    assert not invitation.organisation.memberships.filter(user__email="sam@example.org").exists()


def test_a_used_invitation_says_so_to_anyone_but_the_person_who_joined(client, invitation):
    ali = UserFactory(email="ali@example.org")
    client.force_login(ali)
    client.post(_url(invitation))

    client.logout()
    response = client.get(_url(invitation))
    assert response.status_code == 410
    assert "This invitation has already been used" in response.content.decode()
    assert "Create an account" not in response.content.decode()

    client.force_login(ali)
    response = client.get(_url(invitation), follow=True)
    assert "You are a member of Hindley Gardeners." in response.content.decode()


def test_an_expired_invitation_says_when_it_expired(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=31))
    client.force_login(UserFactory(email="ali@example.org"))

    response = client.post(_url(invitation))

    assert response.status_code == 410
    assert "This invitation expired on" in response.content.decode()
    assert not invitation.organisation.memberships.filter(user__email="ali@example.org").exists()


def test_an_unknown_invitation_link_gets_a_clear_page(client):
    response = client.get(reverse("organisations:invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "Invitation not found" in response.content.decode()
    assert "This invitation link does not work" in response.content.decode()


def test_an_invited_person_joins_the_group_with_the_emailed_link(
    client, tasks, django_capture_on_commit_callbacks
):
    owner = UserFactory(full_name="Priya Shah")
    group = OrganisationFactory(members=[owner])
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("organisations:invite", args=[group.pk]), {"email": "ali@example.org", "role": "member"}
        )
    tasks()
    [message] = mail.outbox
    assert "Priya Shah has invited you to join" in message.body
    link = next(word for word in message.body.split() if "/invitations/" in word).replace(
        "http://testserver", ""
    )

    client.force_login(UserFactory(email="ali@example.org"))
    client.post(link)
    assert group.memberships.get(user__email="ali@example.org").role == Membership.Role.MEMBER
    assert client.get(reverse("applications:organisation_detail", args=[group.pk])).status_code == 200
    # Used once: nobody else can use it.
    client.force_login(UserFactory(email="someone@example.org"))
    assert "already been used" in client.post(link).content.decode()
    assert InvitationFactory._meta.model.objects.get().accepted_at is not None
