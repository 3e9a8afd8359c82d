"""An officer runs the fund's team: invites people to a role, changes and removes roles, and
gives away what someone who left had in hand. Every change is in the audit trail."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessment import services as assessment
from assessment.models import Review
from fund.models import FundRole
from mentoring.models import MentorProfile
from team.models import TeamInvitation
from tests.factories import (
    PlaceFactory,
    TeamInvitationFactory,
    ThemeFactory,
    UserFactory,
    fund_with_tiers,
    staff,
    submitted_application,
)
from tests.support.downloads import body_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund():
    return fund_with_tiers()


@pytest.fixture
def officer(fund):
    return staff(FundRole.Role.OFFICER, fund, full_name="Olivia Officer")


def _invite(client, fund, capture, **data):
    with capture(execute=True):
        return client.post(reverse("team:invite", args=[fund.slug]), data)


def _link(message) -> str:
    return next(word for word in message.body.split() if "/team/invitations/" in word).replace(
        "http://testserver", ""
    )


def test_an_officer_invites_a_panel_member_who_accepts_and_is_asked_to_set_up_two_factor_sign_in(
    client, fund, officer, tasks, django_capture_on_commit_callbacks, settings
):
    client.force_login(officer)
    response = _invite(
        client, fund, django_capture_on_commit_callbacks, email="Pat@Council.example", role="panel"
    )
    assert response.status_code == 302
    page = client.get(reverse("team:team", args=[fund.slug])).content.decode()
    assert "pat@council.example" in page and "Panel member" in page
    tasks()
    [message] = mail.outbox
    assert message.to == ["pat@council.example"]
    assert f"Olivia Officer has invited you to join the team of {fund.name}" in message.body
    assert "as a panel member" in message.body

    pat = UserFactory(email="pat@council.example", full_name="Pat Panel")
    client.force_login(pat)
    link = _link(message)
    assert "to be a panel member: scores the applications they are given" in client.get(link).content.decode()
    accepted = client.post(link)
    assert accepted.status_code == 302
    assert fund.roles.filter(user=pat, role=FundRole.Role.PANEL).exists()
    # Staff rules apply at once: the next page asks for two-factor sign-in.
    settings.STAFF_MFA_REQUIRED = True
    assert client.get(reverse("assessment:panel_home"))["Location"].startswith("/accounts/2fa/")
    # Used once.
    client.force_login(UserFactory(email="other@council.example"))
    assert "already been used" in client.get(link).content.decode()

    settings.STAFF_MFA_REQUIRED = False  # the officer's own sign-in is not what is tested here
    client.force_login(officer)
    page = client.get(reverse("team:team", args=[fund.slug])).content.decode()
    assert "Pat Panel" in page and "Not yet" in page
    assert "pat@council.example" not in page.split("Invitations waiting")[1]
    log = client.get(reverse("audit:log"), _today())
    rows = list(csv.DictReader(io.StringIO(body_text(log))))
    granted = [row for row in rows if row["What"] == "Team role" and row["Which"].startswith("Panel member")]
    assert [(row["Field"], row["After"], row["Who"]) for row in granted if row["Field"] == "role"] == [
        ("role", "Panel member", "Pat Panel")
    ]
    assert any(row["What"] == "Team invitation" and row["Who"] == "Olivia Officer" for row in rows)


def _today() -> dict[str, int]:
    today = timezone.localdate()
    return {
        f"{end}_{n}": value
        for end in ("start", "end")
        for n, value in enumerate((today.day, today.month, today.year))
    }


def test_a_mentor_is_invited_with_what_they_offer_and_it_becomes_their_profile(
    client, fund, officer, tasks, django_capture_on_commit_callbacks
):
    place, theme = PlaceFactory(fund=fund), ThemeFactory(fund=fund)
    client.force_login(officer)
    _invite(
        client,
        fund,
        django_capture_on_commit_callbacks,
        email="mo@council.example",
        role="mentor",
        capacity="4",
        places=[place.pk],
        themes=[theme.pk],
    )
    tasks()
    mo = UserFactory(email="mo@council.example")
    client.force_login(mo)
    client.post(_link(mail.outbox[0]))
    profile = MentorProfile.objects.get(user=mo)
    assert profile.capacity == 4
    assert list(profile.places.all()) == [place] and list(profile.expertise.all()) == [theme]
    assert fund.roles.filter(user=mo, role=FundRole.Role.MENTOR).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "role": "panel"}, "email", "Enter the email address of the person to invite"),
        ({"email": "pat@", "role": "panel"}, "email", "Enter an email address in the correct format"),
        ({"email": "pat@council.example"}, "role", "Choose the role they will have"),
        ({"email": "pat@council.example", "role": "boss"}, "role", "Choose the role they will have"),
        (
            {"email": "mo@council.example", "role": "mentor"},
            "capacity",
            "Enter how many investments they can mentor",
        ),
        (
            {"email": "mo@council.example", "role": "mentor", "capacity": "0"},
            "capacity",
            "at least 1 investment",
        ),
        ({"email": "mo@council.example", "role": "mentor", "capacity": "51"}, "capacity", "no more than 50"),
        (
            {"email": "mo@council.example", "role": "mentor", "capacity": "three"},
            "capacity",
            "whole number, like 3",
        ),
    ],
)
def test_a_mistyped_invitation_is_explained_and_keeps_what_was_typed(
    client, fund, officer, data, field, message
):
    client.force_login(officer)
    response = client.post(reverse("team:invite", args=[fund.slug]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert f'href="#id_{field}' in page  # the error summary links to the field
    if data.get("email"):
        assert f'value="{data["email"]}"' in page
    assert not TeamInvitation.objects.exists()


def test_inviting_someone_already_in_the_role_or_already_invited_says_so(client, fund, officer):
    staff(FundRole.Role.PANEL, fund, email="pat@council.example")
    client.force_login(officer)
    url = reverse("team:invite", args=[fund.slug])
    response = client.post(url, {"email": "Pat@council.example", "role": "panel"})
    assert f"pat@council.example is already a panel member of {fund.name}" in response.content.decode()
    TeamInvitationFactory(fund=fund, email="sam@council.example", role="finance")
    response = client.post(url, {"email": "sam@council.example", "role": "finance"})
    assert "withdraw that invitation on the team page to send a new one" in response.content.decode()
    # An expired one does not stand in the way: it is withdrawn and a new one sent.
    TeamInvitation.objects.update(created_at=timezone.now() - timedelta(days=15))
    assert client.post(url, {"email": "sam@council.example", "role": "finance"}).status_code == 302
    assert TeamInvitation.objects.filter(email="sam@council.example", withdrawn_at__isnull=True).count() == 1


def test_an_invitation_works_only_for_its_address_until_it_expires_or_is_withdrawn(client, fund, officer):
    invitation = TeamInvitationFactory(fund=fund, email="pat@council.example")
    url = reverse("team:accept", args=[invitation.token])
    response = client.get(url)
    assert response.status_code == 200 and "Create an account" in response.content.decode()
    assert client.post(url)["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory(email="someone@council.example"))
    refused = client.post(url)
    assert refused.status_code == 403
    assert "This invitation was sent to pat@council.example" in refused.content.decode()
    assert not fund.roles.filter(role=FundRole.Role.PANEL).exists()

    client.force_login(officer)
    client.post(reverse("team:withdraw", args=[fund.slug, invitation.pk]))
    client.force_login(UserFactory(email="pat@council.example"))
    withdrawn = client.get(url)
    assert withdrawn.status_code == 410 and "This invitation was withdrawn" in withdrawn.content.decode()
    expired = TeamInvitationFactory(fund=fund, email="pat@council.example", role="finance")
    TeamInvitation.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - timedelta(days=14, minutes=1)
    )
    response = client.post(reverse("team:accept", args=[expired.token]))
    assert response.status_code == 410 and "This invitation expired on" in response.content.decode()
    assert client.get(reverse("team:accept", args=["not-a-token"])).status_code == 404
    assert not fund.roles.filter(user__email="pat@council.example").exists()


def test_only_the_funds_officers_run_its_team(client, fund, officer):
    invitation = TeamInvitationFactory(fund=fund)
    member = staff(FundRole.Role.PANEL, fund)
    urls = [
        reverse("team:team", args=[fund.slug]),
        reverse("team:invite", args=[fund.slug]),
        reverse("team:left", args=[fund.slug]),
        reverse("team:person", args=[fund.slug, member.pk]),
    ]
    withdraw = reverse("team:withdraw", args=[fund.slug, invitation.pk])
    client.force_login(officer)
    assert [client.get(url).status_code for url in urls] == [200] * 4
    other_fund_officer = staff(FundRole.Role.OFFICER, fund_with_tiers())
    for outsider, status in (
        (staff(FundRole.Role.FINANCE, fund), 403),
        (member, 403),
        (UserFactory(), 403),
        (other_fund_officer, 404),
    ):
        client.force_login(outsider)
        assert [client.get(url).status_code for url in urls] == [status] * 4
        assert client.post(withdraw).status_code == status
        assert client.post(urls[3], {"roles": []}).status_code == status
    client.logout()
    assert client.get(urls[0])["Location"].startswith(reverse("account_login"))
    assert TeamInvitation.objects.get().withdrawn_at is None
    assert fund.roles.filter(user=member).exists()


def test_removing_a_panel_member_keeps_what_they_wrote_and_their_unfinished_review_stops_counting(
    client, fund, officer
):
    leaving = staff(FundRole.Role.PANEL, fund, full_name="Lee Leaving")
    staying = [staff(FundRole.Role.PANEL, fund), staff(FundRole.Role.PANEL, fund)]
    finished = submitted_application(round__fund=fund, amount_requested="5000.00")
    unfinished = submitted_application(round__fund=fund, amount_requested="5000.00")
    for application in (finished, unfinished):
        assessment.mark_eligible(application=application, by=officer)
        assessment.assign_reviewer(application=application, reviewer=leaving, by=officer)
    Review.objects.filter(application=finished).update(status=Review.Status.SUBMITTED)
    client.force_login(officer)
    person = reverse("team:person", args=[fund.slug, leaving.pk])
    page = client.get(person).content.decode()
    assert "Reviews to finish" in page and unfinished.reference in page and finished.reference not in page

    response = client.post(person, {"roles": []})
    assert response["Location"] == reverse("team:team", args=[fund.slug])
    assert not fund.roles.filter(user=leaving).exists()
    assert Review.objects.filter(reviewer=leaving).count() == 2  # nothing they wrote is lost
    left = client.get(reverse("team:left", args=[fund.slug])).content.decode()
    assert unfinished.reference in left and "Lee Leaving" in left and finished.reference not in left
    # Their unfinished review no longer counts: another panel member can be given it.
    assigned = assessment.assign_reviewers_automatically(application=unfinished, by=officer)
    assert {review.reviewer for review in assigned} == set(staying)


def test_an_officer_cannot_remove_their_own_officer_role_nor_leave_the_fund_without_an_officer(
    client, fund, officer
):
    client.force_login(officer)
    own = client.post(reverse("team:person", args=[fund.slug, officer.pk]), {"roles": ["finance"]})
    assert own.status_code == 400
    assert "You cannot remove your own officer role" in own.content.decode()
    # What was ticked is kept: finance on, officer off, as sent.
    boxes = {
        re.search(r'value="(\w+)"', box).group(1): "checked" in box
        for box in re.findall(r'<input[^>]*name="roles"[^>]*>', own.content.decode())
    }
    assert boxes == {"officer": False, "finance": True, "panel": False, "mentor": False}
    other = staff(FundRole.Role.OFFICER, fund)
    response = client.post(
        reverse("team:person", args=[fund.slug, other.pk]), {"roles": ["officer", "finance"]}
    )
    assert response.status_code == 302
    assert set(fund.roles.filter(user=other).values_list("role", flat=True)) == {"officer", "finance"}
    client.post(reverse("team:person", args=[fund.slug, other.pk]), {"roles": ["finance"]})
    assert set(fund.roles.filter(role="officer").values_list("user", flat=True)) == {officer.pk}
