"""A change of tack, agreed: a group's changed, added or stopped goal waits for the fund team, and
takes effect when an officer agrees or once the fund's days pass with no objection; an officer who
objects says why in the group's conversation. The goals stay as they are until then."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationEvent
from conversations.models import Message
from fund.models import FundRole
from investments.models import GoalChange
from investments.services import goal_changes
from investments.services.monitoring import close_investment, send_reminders
from kit.errors import RuleError
from mentoring.models import MentorProfile
from mentoring.services import assign_mentor
from notifications.models import Kind, Notification
from tests.factories import GoalChangeFactory, GoalFactory, UserFactory, awarded_investment, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def investment():
    return awarded_investment()


@pytest.fixture
def member(investment):
    return investment.application.organisation.memberships.get().user


@pytest.fixture
def officer(investment):
    return investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user


@pytest.fixture
def mentor(investment, officer):
    person = staff(FundRole.Role.MENTOR, investment.round.fund, full_name="Mo Mentor")
    MentorProfile.objects.create(user=person, capacity=3)
    assign_mentor(investment=investment, mentor=person, by=officer)
    return person


def _propose(investment, member, **fields):
    goal = investment.application.goals.current().first()
    values = {
        "kind": "change",
        "goal": goal,
        "reason": "Fewer came than we hoped",
        "description": "Home visits",
    }
    values.update(fields)
    return goal_changes.propose(investment=investment, by=member, **values)


def test_a_change_waits_and_the_team_and_mentor_are_told(client, investment, member, officer, mentor):
    goal = investment.application.goals.current().get()
    client.force_login(member)
    response = client.post(
        reverse("investments:goal_change", args=[investment.pk, goal.pk]),
        {"description": "Home visits for people who cannot come", "reason": "Fewer came than we hoped"},
        follow=True,
    )
    page = response.content.decode()
    on = timezone.localdate() + timedelta(days=investment.round.fund.goal_change_days)
    assert f"It takes effect when they agree, or on {on:%-d %B %Y}" in page
    assert "Waiting for the fund team" in page
    # The goal with a change waiting offers no second change until this one is settled.
    assert reverse("investments:goal_change", args=[investment.pk, goal.pk]) not in page
    assert investment.application.goals.current().get() == goal

    change = GoalChange.objects.get()
    assert (change.kind, change.status, change.takes_effect_on) == ("change", "proposed", on)
    told = Notification.objects.filter(kind=Kind.GOAL_CHANGE)
    assert sorted(told.values_list("user__email", flat=True)) == sorted([officer.email, mentor.email])
    assert not told.filter(user=member).exists()
    assert investment.application.events.filter(kind=ApplicationEvent.Kind.GOALS_PROPOSED).count() == 1

    client.force_login(officer)
    work = client.get(reverse("work:home")).content.decode()
    assert "1 change of goals to agree" in work
    listed = client.get(reverse("investments:investments") + "?needs=goals").content.decode()
    assert f"{investment.application.reference}</a>" in listed
    client.force_login(mentor)
    assert "1 change of goals proposed" in client.get(reverse("work:home")).content.decode()
    assert (
        "Home visits for people who cannot come"
        in client.get(reverse("mentoring:investment", args=[investment.pk])).content.decode()
    )


def test_an_officer_agrees_beside_the_conversation_and_the_goal_changes(client, investment, member, officer):
    goal = investment.application.goals.current().get()
    Message.objects.create(
        application=investment.application, author=member, from_team=False, text="We can explain more."
    )
    change = _propose(investment, member, description="Home visits", target="30", unit="people")
    client.force_login(officer)
    review = reverse("investments:goal_change_review", args=[investment.pk, change.pk])
    page = client.get(review).content.decode()
    assert "The goal now" in page and "Home visits" in page and "From 0 to 30 people" in page
    assert "We can explain more." in page  # the conversation, beside it
    assert (
        client.post(reverse("investments:goal_change_agree", args=[investment.pk, change.pk])).status_code
        == 302
    )

    current = investment.application.goals.current().get()
    assert (current.description, current.replaces, current.change_reason) == (
        "Home visits",
        goal,
        "Fewer came than we hoped",
    )
    goal.refresh_from_db()
    assert goal.retired_at is not None  # kept, with what was reported on it
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.result) == ("agreed", officer, current)
    assert Notification.objects.get(user=member, kind=Kind.GOAL_CHANGE).text == (
        "The fund team agreed your change of goals"
    )
    # Agreed once: a second click says so and changes nothing.
    response = client.post(
        reverse("investments:goal_change_agree", args=[investment.pk, change.pk]), follow=True
    )
    assert "This change is no longer waiting: agreed." in response.content.decode()
    assert investment.application.goals.count() == 2


def test_an_objection_needs_a_reason_and_goes_into_the_conversation(client, investment, member, officer):
    goal = investment.application.goals.current().get()
    change = _propose(investment, member)
    client.force_login(officer)
    url = reverse("investments:goal_change_object", args=[investment.pk, change.pk])
    response = client.post(url, {"objection": "   "})
    assert response.status_code == 400
    assert "Enter why the change cannot be agreed" in response.content.decode()
    response = client.post(url, {"objection": "x" * 1001})
    assert response.status_code == 400
    assert "1,000 characters or fewer" in response.content.decode()
    assert "x" * 1001 + "</textarea>" in response.content.decode()  # nothing typed is lost

    client.post(url, {"objection": "Home visits are outside what the panel funded; can we talk?"})
    change.refresh_from_db()
    assert change.status == "objected"
    assert investment.application.goals.current().get() == goal
    message = Message.objects.get(application=investment.application)
    assert message.from_team and not message.team_note
    assert "Home visits are outside what the panel funded" in message.text

    client.force_login(member)
    page = client.get(reverse("investments:goals", args=[investment.pk])).content.decode()
    assert "The fund team did not agree" in page
    assert reverse("conversations:thread", args=[investment.application.pk]) in page
    thread = client.get(reverse("conversations:thread", args=[investment.application.pk])).content.decode()
    assert "The change of goals not agreed" in thread and "can we talk?" in thread
    # The group may propose again.
    assert _propose(investment, member, description="Home visits, with the panel's say").waiting


def test_with_no_objection_the_change_takes_effect_after_the_funds_days_once(investment, member, tasks):
    fund = investment.round.fund
    fund.goal_change_days = 10
    fund.save()
    goal = investment.application.goals.current().get()
    change = _propose(investment, member)
    assert change.takes_effect_on == timezone.localdate() + timedelta(days=10)
    assert (
        send_reminders(today=change.takes_effect_on - timedelta(days=1), base_url="").goals_taken_effect == 0
    )
    assert investment.application.goals.current().get() == goal
    assert send_reminders(today=change.takes_effect_on, base_url="").goals_taken_effect == 1
    assert (
        send_reminders(today=change.takes_effect_on + timedelta(days=1), base_url="").goals_taken_effect == 0
    )
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("unopposed", None)
    assert investment.application.goals.current().get().replaces == goal
    assert Notification.objects.filter(user=member, text="Your change of goals has taken effect").count() == 1


def test_adding_and_stopping_count_what_is_waiting(investment, member):
    for number in range(3):  # four goals, of the five an investment may have
        GoalFactory(application=investment.application, description=f"Goal {number}")
    added = _propose(investment, member, kind="add", goal=None, description="A fifth goal")
    assert added.waiting
    with pytest.raises(RuleError, match="counting those waiting to be agreed"):
        _propose(investment, member, kind="add", goal=None, description="One more")
    goal_changes.withdraw(change=added, by=member)
    assert _propose(investment, member, kind="add", goal=None, description="One more").waiting

    goals = list(investment.application.goals.current())
    for goal in goals[:3]:
        _propose(investment, member, kind="stop", goal=goal, description="")
    with pytest.raises(RuleError, match="Keep at least one goal"):
        _propose(investment, member, kind="stop", goal=goals[3], description="")


def test_one_change_at_a_time_for_each_goal_and_closing_ends_those_waiting(
    client, investment, member, officer
):
    _propose(investment, member)
    with pytest.raises(RuleError, match="already waiting for the fund team"):
        _propose(investment, member, description="Something else")
    close_investment(investment=investment, by=officer, ended_early=True, end_reason="Wound up.")
    change = GoalChange.objects.get()
    assert change.status == "lapsed"
    with pytest.raises(RuleError, match="no longer waiting: not decided before the investment closed"):
        goal_changes.agree(change=change, by=officer)
    with pytest.raises(RuleError, match="has closed"):
        goal_changes.withdraw(change=change, by=member)
    assert goal_changes.apply_unopposed(today=change.takes_effect_on) == 0
    client.force_login(officer)
    assert "change of goals" not in client.get(reverse("work:home")).content.decode()


def test_a_change_that_no_longer_fits_is_left_to_an_officer_and_the_others_take_effect(investment, member):
    first = investment.application.goals.current().get()
    second = GoalFactory(application=investment.application, description="Second goal")
    stop_first = _propose(investment, member, kind="stop", goal=first, description="")
    # Made as a stop of the second would have been before the first was counted: both cannot hold.
    stop_second = GoalChangeFactory(investment=investment, kind="stop", goal=second, description="")
    added = _propose(investment, member, kind="add", goal=None, description="A new goal")
    day = max(stop_first.takes_effect_on, stop_second.takes_effect_on)
    report = send_reminders(today=day, base_url="http://testserver")
    assert report.goals_taken_effect == 2
    statuses = {change.pk: change.status for change in GoalChange.objects.all()}
    assert statuses == {stop_first.pk: "unopposed", stop_second.pk: "proposed", added.pk: "unopposed"}
    assert [goal.description for goal in investment.application.goals.current()] == [
        "Second goal",
        "A new goal",
    ]


def test_an_officer_who_belongs_to_the_group_does_not_decide_its_changes(client, investment, member, officer):
    change = _propose(investment, member)
    investment.application.organisation.memberships.create(user=officer)
    client.force_login(officer)
    assert (
        client.get(reverse("investments:goal_change_review", args=[investment.pk, change.pk])).status_code
        == 403
    )
    with pytest.raises(RuleError, match="another of the fund's officers decides"):
        goal_changes.agree(change=change, by=officer)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": ""}, "Enter why you are changing tack"),
        ({"reason": "x" * 1001}, "1,000 characters or fewer"),
        ({"description": ""}, "Enter what will be different for local people"),
        ({"target": "lots"}, "Enter where you want it to be as a number, like 60"),
        ({"baseline": "-5"}, "Where it is now cannot be less than 0"),
    ],
)
def test_a_mistyped_change_is_explained_and_kept(client, investment, member, fields, message):
    goal = investment.application.goals.current().get()
    client.force_login(member)
    data = {"description": "Home visits", "reason": "We learned", "target": "", "baseline": ""}
    data.update(fields)
    response = client.post(reverse("investments:goal_change", args=[investment.pk, goal.pk]), data)
    page = response.content.decode()
    assert message in page, page[page.find("govuk-error-summary") :][:600]
    for value in fields.values():
        if value and len(value) < 50:
            assert value in page
    assert not GoalChange.objects.exists()


def test_only_the_groups_members_propose_and_only_its_officers_decide(
    client, investment, member, officer, mentor
):
    change = _propose(investment, member)
    goal = investment.application.goals.current().get()
    fund = investment.round.fund
    group_urls = [
        ("get", reverse("investments:goal_change", args=[investment.pk, goal.pk])),
        ("post", reverse("investments:goal_change_withdraw", args=[investment.pk, change.pk])),
    ]
    team_urls = [
        ("get", reverse("investments:goal_change_review", args=[investment.pk, change.pk])),
        ("post", reverse("investments:goal_change_agree", args=[investment.pk, change.pk])),
        ("post", reverse("investments:goal_change_object", args=[investment.pk, change.pk])),
    ]
    for outsider in (UserFactory(), officer, staff(FundRole.Role.FINANCE, fund)):
        client.force_login(outsider)
        assert [getattr(client, method)(url).status_code for method, url in group_urls] == [404, 404]
    other_officer = staff(FundRole.Role.OFFICER, awarded_investment().round.fund)
    for outsider in (member, mentor, staff(FundRole.Role.PANEL, fund), staff(FundRole.Role.FINANCE, fund)):
        client.force_login(outsider)
        assert {getattr(client, method)(url).status_code for method, url in team_urls} == {403}
    client.force_login(other_officer)
    assert {getattr(client, method)(url).status_code for method, url in team_urls} == {404}
    change.refresh_from_db()
    assert change.status == "proposed"
    with pytest.raises(RuleError, match="Only the fund's officers"):
        goal_changes.agree(change=change, by=mentor)


def test_update_reminders_are_notifications_each_member_and_the_contact_get_once(
    investment, member, tasks, django_capture_on_commit_callbacks
):
    group = investment.application.organisation
    other = UserFactory(email="pat@knit.example.org")
    group.memberships.create(user=other)
    group.contact_email = "secretary@knit.example.org"
    group.save()
    first = investment.updates.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=first.due_date, base_url="http://testserver")
    tasks()
    notification = Notification.objects.get(user=member, kind=Kind.UPDATE_DUE)
    text = f"Your update on {investment.application.title} is due today"
    assert notification.text == text
    assert notification.url == reverse("investments:investment", args=[investment.pk])
    sent = {email.to[0]: email for email in mail.outbox if email.subject == text}
    assert sorted(sent) == sorted([member.email, other.email, "secretary@knit.example.org"])
    for email in sent.values():  # each e-mail says it once: one person's words never pile into another's
        assert email.body.count(text) == 1 and email.body.count("changing tack is fine") == 1


def test_a_proposer_stays_on_the_groups_side_and_finds_the_change_in_their_export(
    investment, member, officer
):
    from privacy.erasure import can_erase, staff_records
    from privacy.personal_data import export

    change = _propose(investment, member)
    goal_changes.withdraw(change=change, by=member)
    agreed = _propose(investment, member, description="Home visits again")
    goal_changes.agree(change=agreed, by=officer)
    assert staff_records(member) == []
    assert can_erase(officer, member)
    rows = export(member)["written"]["changes_of_goals"]
    assert [(row["status"], row["you"]) for row in rows] == [
        ("Withdrawn", "proposed it"),
        ("Agreed", "proposed it"),
    ]
    assert export(officer)["written"]["changes_of_goals"][0]["you"] == "decided it"
