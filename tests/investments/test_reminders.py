"""Reminders with the clock held still: before-due, due and overdue emails each go exactly once,
however often the daily job runs, and never for a closed investment."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from fund.models import FundRole
from investments.services.monitoring import close_investment, send_reminders
from tests.factories import UserFactory, awarded_investment

pytestmark = pytest.mark.django_db

START = date(2027, 1, 4)


@pytest.fixture
def investment():
    investment = awarded_investment(member=UserFactory(email="sam@knit.example.org"), start_date=START)
    # The group's contact is its member, so each reminder is one e-mail (a contact without an
    # account is reminded too: test_goal_changes).
    group = investment.application.organisation
    group.contact_email = "sam@knit.example.org"
    group.save()
    return investment


def _run(days_after_start: int, tasks, capture) -> list:
    """Run the daily job as of a day, work the queue, return the e-mails it sent."""
    before = len(mail.outbox)
    with capture(execute=True):
        send_reminders(today=START + timedelta(days=days_after_start), base_url="http://testserver")
    tasks()
    return mail.outbox[before:]


def test_each_reminder_goes_once_across_repeated_runs(investment, tasks, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    first = investment.updates.get(number=1)  # due 4 July 2027
    due = (first.due_date - START).days

    assert _run(due - 15, tasks, capture) == []  # more than 14 days before: nothing yet
    [before] = _run(due - 14, tasks, capture)
    assert before.subject == "Your update on Warm Wednesdays is due on 4 July 2027"
    assert "sam@knit.example.org" in before.to
    assert _run(due - 14, tasks, capture) == []  # the same day again
    assert _run(due - 3, tasks, capture) == []

    [on_the_day] = _run(due, tasks, capture)
    assert on_the_day.subject == "Your update on Warm Wednesdays is due today"
    assert _run(due, tasks, capture) == []

    emails = _run(due + 7, tasks, capture)
    subjects = sorted(email.subject for email in emails)
    assert subjects == [
        f"1 progress update overdue in {investment.round.fund.name}",
        "Your update on Warm Wednesdays is overdue",
    ]
    officer_email = next(email for email in emails if "overdue in" in email.subject)
    officer = investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user
    assert officer_email.to == [officer.email]
    assert investment.application.reference in officer_email.body
    assert _run(due + 8, tasks, capture) == []
    assert _run(due + 30, tasks, capture) == []


def test_a_run_that_starts_late_sends_only_the_overdue_reminder(
    investment, tasks, django_capture_on_commit_callbacks
):
    due = (investment.updates.get(number=1).due_date - START).days
    emails = _run(due + 10, tasks, django_capture_on_commit_callbacks)
    assert [email.subject for email in emails if "sam@knit.example.org" in email.to] == [
        "Your update on Warm Wednesdays is overdue"
    ]


def test_a_sent_update_gets_no_more_reminders(investment, tasks, django_capture_on_commit_callbacks):
    first = investment.updates.get(number=1)
    first.status = "submitted"
    first.save()
    due = (first.due_date - START).days
    assert _run(due + 7, tasks, django_capture_on_commit_callbacks) == []


def test_nothing_is_sent_for_a_closed_investment(investment, tasks, django_capture_on_commit_callbacks):
    officer = investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user
    close_investment(investment=investment, by=officer, ended_early=True, end_reason="The group wound up.")
    for day in (160, 181, 188, 360):
        assert _run(day, tasks, django_capture_on_commit_callbacks) == []


def test_the_command_runs_as_of_a_given_day(investment):
    out = StringIO()
    due = investment.updates.get(number=1).due_date
    call_command("send_reminders", "--today", due.isoformat(), stdout=out)
    assert out.getvalue().strip().splitlines() == [
        "Reminders sent: 0 before the due date, 1 on it, 0 overdue; 0 officers told.",
        "Changes of goals taken effect with no objection: 0.",
        "Panel members reminded: 0 before their review deadline, 0 late.",
        "Offers: 0 groups reminded to accept, 0 lapsed.",
    ]


def test_the_officers_overdue_list_uses_the_same_grace_days_as_the_reminders(client, investment, settings):
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    first, second = investment.updates.order_by("number")
    first.due_date = today - timedelta(days=settings.UPDATE_OVERDUE_AFTER_DAYS)
    first.save()
    second.due_date = today - timedelta(days=settings.UPDATE_OVERDUE_AFTER_DAYS - 1)
    second.save()
    client.force_login(investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user)
    html = client.get(reverse("work:home")).content.decode()
    assert "1 progress update overdue" in html
    assert "progress updates overdue" not in html
