"""Each event reaches the right people once, by the way each chose; the digest goes once a day;
nobody outside the fund or the group is told; e-mails never carry a private message's words."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment import services as assessment
from conversations import services as conversations
from fund.models import FundRole
from mentoring.models import Assignment
from notifications.models import Kind, Notification, Preference
from notifications.services import send_digests
from privacy.erasure import erase
from tests.factories import (
    RoundFactory,
    UserFactory,
    awarded_investment,
    fund_with_tiers,
    staff,
    submitted_application,
)

pytestmark = pytest.mark.django_db

SECRET = "Our treasurer is unwell and we may close."


@pytest.fixture
def world():
    member = UserFactory(full_name="Sam Hughes")
    investment = awarded_investment(member=member)
    fund = investment.round.fund
    officer = fund.roles.get(role=FundRole.Role.OFFICER).user
    mentor = staff(FundRole.Role.MENTOR, fund)
    Assignment.objects.create(investment=investment, mentor=mentor, assigned_by=officer)
    return {
        "investment": investment,
        "application": investment.application,
        "member": member,
        "officer": officer,
        "mentor": mentor,
        "finance": staff(FundRole.Role.FINANCE, fund),
        "outsider": staff(FundRole.Role.OFFICER, fund_with_tiers()),
    }


def _message(world, django_capture_on_commit_callbacks, tasks, **kwargs):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conversations.send(application=world["application"], by=world["member"], text=SECRET, **kwargs)
    tasks()


def test_a_groups_message_reaches_the_officers_and_mentor_once_without_its_words(
    world, django_capture_on_commit_callbacks, tasks
):
    _message(world, django_capture_on_commit_callbacks, tasks)
    told = set(Notification.objects.filter(kind=Kind.MESSAGE).values_list("user", flat=True))
    assert told == {world["officer"].pk, world["mentor"].pk}
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [world["officer"].email, world["mentor"].email]
    )
    for message in mail.outbox:
        assert SECRET not in message.body and SECRET not in message.subject
        assert reverse("conversations:thread", args=[world["application"].pk]) in message.body
    # The writer, finance, and anyone outside the fund hear nothing.
    for person in ("member", "finance", "outsider"):
        assert not Notification.objects.filter(user=world[person], kind=Kind.MESSAGE).exists()


def test_the_fund_teams_note_tells_nobody(world, django_capture_on_commit_callbacks, tasks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conversations.send(application=world["application"], by=world["officer"], text="Note", team_note=True)
    tasks()
    assert not Notification.objects.filter(kind=Kind.MESSAGE).exists() and mail.outbox == []


def test_a_daily_digest_gathers_what_waited_and_goes_once(world, django_capture_on_commit_callbacks, tasks):
    Preference.objects.create(user=world["officer"], kind=Kind.MESSAGE, channel="digest")
    Preference.objects.create(user=world["mentor"], kind=Kind.MESSAGE, channel="off")
    _message(world, django_capture_on_commit_callbacks, tasks)
    _message(world, django_capture_on_commit_callbacks, tasks)
    assert mail.outbox == []  # one waits for the digest, the other is only in the portal
    assert Notification.objects.filter(user=world["mentor"]).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 1
    tasks()
    [digest] = mail.outbox
    assert digest.to == [world["officer"].email]
    assert digest.body.count("New message about") == 2 and SECRET not in digest.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 0
    tasks()
    assert mail.outbox == []


def test_a_decision_cannot_be_turned_off(client, world):
    client.force_login(world["member"])
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'name="decided" type="radio" value="off"' not in page
    choices = {kind: "off" for kind in Kind.values}
    response = client.post(reverse("notifications:settings"), choices)
    assert response.status_code == 400
    assert "Choose one of the ways listed" in response.content.decode()
    choices.update(
        {"decided": "digest", "sent_back": "now", "role": "now", "update_due": "digest", "offer": "now"}
    )
    assert client.post(reverse("notifications:settings"), choices).status_code == 302
    assert Preference.objects.get(user=world["member"], kind="decided").channel == "digest"
    assert Preference.objects.get(user=world["member"], kind="message").channel == "off"


def test_each_event_tells_its_people(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted_application(round=world["investment"].round)
    assert Notification.objects.filter(user=world["officer"], kind=Kind.SUBMITTED).count() == 1
    assessment.send_back_for_information(
        application=application, questions="Send the quote.", by=world["officer"], base_url="http://x"
    )
    member = application.organisation.memberships.get().user
    assert Notification.objects.get(user=member, kind=Kind.SENT_BACK).url == reverse(
        "applications:application_detail", args=[application.pk]
    )
    panel_fund = fund_with_tiers()
    panel_officer = staff(FundRole.Role.OFFICER, panel_fund)
    reviewer = staff(FundRole.Role.PANEL, panel_fund)
    start_up = submitted_application(round=RoundFactory(fund=panel_fund), amount_requested=Decimal("5000.00"))
    assessment.mark_eligible(application=start_up, by=panel_officer)
    review = assessment.assign_reviewer(application=start_up, reviewer=reviewer, by=panel_officer)
    assert Notification.objects.get(user=reviewer, kind=Kind.REVIEW_ASSIGNED).url == reverse(
        "assessment:review", args=[review.pk]
    )
    assert not Notification.objects.filter(user=world["outsider"]).exists()


def test_the_header_counts_what_is_new_and_the_list_marks_it_read(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversations.send(application=world["application"], by=world["member"], text=SECRET)
    client.force_login(world["officer"])
    home = client.get(reverse("work:home")).content.decode()
    assert '1<span class="govuk-visually-hidden"> new</span>' in home
    listed = client.get(reverse("notifications:list")).content.decode()
    assert f"New message about {world['application'].reference}" in listed and ">New</strong>" in listed
    assert 'govuk-visually-hidden"> new</span>' not in client.get(reverse("work:home")).content.decode()


def test_erasure_removes_a_persons_notifications_and_choices(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        conversations.send(application=world["application"], by=world["officer"], text="Any news?")
    Preference.objects.create(user=world["member"], kind=Kind.MESSAGE, channel="digest")
    assert Notification.objects.filter(user=world["member"]).exists()
    erase(person=world["member"], by=world["officer"], reference="ER-2")
    assert not Notification.objects.filter(user=world["member"]).exists()
    assert not Preference.objects.filter(user=world["member"]).exists()


def test_panel_members_are_reminded_before_the_review_deadline_and_once_when_late():
    fund = fund_with_tiers()
    officer = staff(FundRole.Role.OFFICER, fund)
    reviewer = staff(FundRole.Role.PANEL, fund)
    today = timezone.localdate()
    round = RoundFactory(fund=fund, review_deadline=today + timedelta(days=2))
    application = submitted_application(round=round, amount_requested=Decimal("5000.00"))
    assessment.mark_eligible(application=application, by=officer)
    assessment.assign_reviewer(application=application, reviewer=reviewer, by=officer)
    # Run twice the same day: one reminder.
    assert assessment.remind_reviewers(today=today) == (1, 0)
    assert assessment.remind_reviewers(today=today) == (0, 0)
    reminders = Notification.objects.filter(user=reviewer, kind=Kind.REVIEW_DUE)
    assert reminders.count() == 1 and "is due by" in reminders.get().text
    late_day = today + timedelta(days=3)
    for _ in range(2):
        call_command("send_reminders", today=late_day, stdout=io.StringIO())
    assert reminders.count() == 2
    assert "is late" in reminders.order_by("-pk").first().text


def test_a_persons_notifications_are_in_their_data_export_and_go_after_a_year(
    world, django_capture_on_commit_callbacks
):
    from privacy import retention
    from privacy.personal_data import export

    with django_capture_on_commit_callbacks(execute=True):
        conversations.send(application=world["application"], by=world["officer"], text="Any news?")
    Preference.objects.create(user=world["member"], kind=Kind.MESSAGE, channel="digest")
    data = export(world["member"])
    assert any("New message about" in row["text"] for row in data["notifications"])
    assert data["how_you_hear_of_things"] == {Kind.MESSAGE.label: "Once a day, in one e-mail"}
    assert retention.remove_old_notifications() == 0
    assert retention.remove_old_notifications(timezone.now() + timedelta(days=366)) >= 1
    assert not Notification.objects.filter(user=world["member"]).exists()


def test_people_who_left_a_role_are_not_told(world, django_capture_on_commit_callbacks, tasks):
    # The mentor leaves the fund's team; their assignment waits to be handed on.
    FundRole.objects.filter(user=world["mentor"]).delete()
    _message(world, django_capture_on_commit_callbacks, tasks)
    assert not Notification.objects.filter(user=world["mentor"]).exists()
    # A panel member who left is not reminded of a review still in their name.
    fund = fund_with_tiers()
    officer = staff(FundRole.Role.OFFICER, fund)
    reviewer = staff(FundRole.Role.PANEL, fund)
    round = RoundFactory(fund=fund, review_deadline=timezone.localdate() + timedelta(days=1))
    application = submitted_application(round=round, amount_requested=Decimal("5000.00"))
    assessment.mark_eligible(application=application, by=officer)
    assessment.assign_reviewer(application=application, reviewer=reviewer, by=officer)
    FundRole.objects.filter(user=reviewer).delete()
    assert assessment.remind_reviewers(today=timezone.localdate()) == (0, 0)


def test_an_officer_giving_themselves_a_role_is_not_told_of_it(world):
    from team.services import set_roles

    officer = world["officer"]
    fund = world["investment"].round.fund
    set_roles(fund=fund, person=officer, roles=[FundRole.Role.OFFICER, FundRole.Role.FINANCE], by=officer)
    assert not Notification.objects.filter(user=officer, kind=Kind.ROLE).exists()
    set_roles(
        fund=fund, person=world["finance"], roles=[FundRole.Role.FINANCE, FundRole.Role.PANEL], by=officer
    )
    assert Notification.objects.get(user=world["finance"], kind=Kind.ROLE).text.startswith(
        "You are now panel member"
    )
