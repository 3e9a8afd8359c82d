"""One meaning of "overdue" everywhere: not sent, a few grace days past its due date, on an investment
still running. A cancelled, ended or closed investment's late update is nobody's overdue update."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fund.models import FundRole
from investments.models import Investment, ProgressUpdate
from investments.services.monitoring import close_investment, send_reminders
from mentoring.models import MentorProfile
from mentoring.services import assign_mentor
from tests.factories import UserFactory, awarded_investment, staff

pytestmark = pytest.mark.django_db


def _officer(investment):
    return investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user


def _late(investment, days: int = 30) -> ProgressUpdate:
    """Make the investment's first update ``days`` past due, as of today."""
    first = investment.updates.get(number=1)
    first.due_date = timezone.localdate() - timedelta(days=days)
    first.save(update_fields=["due_date"])
    return first


def test_a_cancelled_investments_late_update_is_not_on_the_officers_page_nor_reminded(
    client, tasks, django_capture_on_commit_callbacks
):
    investment = awarded_investment()
    officer = _officer(investment)
    _late(investment)
    Investment.objects.filter(pk=investment.pk).update(status=Investment.Status.CANCELLED)
    running = awarded_investment(round=investment.round)
    _late(running)

    client.force_login(officer)
    assert "1 progress update overdue" in client.get(reverse("work:home")).content.decode()
    html = client.get(reverse("investments:investments") + "?needs=overdue").content.decode()
    assert f"{running.application.reference}</a>" in html
    assert f"{investment.application.reference}</a>" not in html

    with django_capture_on_commit_callbacks(execute=True):
        report = send_reminders(today=timezone.localdate(), base_url="http://testserver")
    tasks()
    assert report.overdue == 1
    member = investment.application.organisation.memberships.get().user
    assert not [email for email in mail.outbox if member.email in email.to]
    to_officers = [email for email in mail.outbox if "overdue in" in email.subject]
    # One e-mail to each of the fund's officers, each naming only the running investment.
    officers = investment.round.fund.roles.filter(role=FundRole.Role.OFFICER).values_list(
        "user__email", flat=True
    )
    assert sorted(email.to[0] for email in to_officers) == sorted(officers)
    assert all(running.application.reference in email.body for email in to_officers)
    assert not any(investment.application.reference in email.body for email in to_officers)


def test_a_closed_investments_late_update_is_not_overdue_anywhere(client):
    investment = awarded_investment()
    _late(investment)
    close_investment(investment=investment, by=_officer(investment), ended_early=True, end_reason="Wound up.")
    client.force_login(_officer(investment))
    assert "progress update overdue" not in client.get(reverse("work:home")).content.decode()
    listed = client.get(reverse("investments:investments") + "?needs=overdue").content.decode()
    assert "No investments match." in listed
    page = client.get(reverse("investments:oversight_investment", args=[investment.pk])).content.decode()
    assert "Overdue</strong>" not in page
    assert send_reminders(today=timezone.localdate(), base_url="http://testserver").overdue == 0


def test_the_pages_reminders_and_the_rule_agree_on_what_is_overdue(tasks, django_capture_on_commit_callbacks):
    today = date(2028, 3, 1)
    grace = timedelta(days=7)
    cases = {}
    for name, status, due, investment_status, closed in [
        ("late", "due", today - grace, "active", False),
        ("late draft", "draft", today - grace - timedelta(days=40), "active", False),
        ("in its grace days", "due", today - grace + timedelta(days=1), "active", False),
        ("sent late", "submitted", today - grace - timedelta(days=3), "active", False),
        ("read", "acknowledged", today - timedelta(days=90), "active", False),
        ("cancelled", "due", today - timedelta(days=90), "cancelled", False),
        ("ended early", "due", today - timedelta(days=90), "ended_early", True),
        ("completed", "draft", today - timedelta(days=90), "completed", True),
        ("closed but still active", "due", today - timedelta(days=90), "active", True),
    ]:
        investment = awarded_investment(start_date=today - timedelta(days=400))
        update = investment.updates.get(number=1)
        update.status, update.due_date = status, due
        update.save()
        investment.updates.exclude(pk=update.pk).update(status="acknowledged")
        Investment.objects.filter(pk=investment.pk).update(
            status=investment_status, closed_at=timezone.now() if closed else None
        )
        cases[name] = update.pk

    by_query = set(ProgressUpdate.objects.overdue(today).values_list("pk", flat=True))
    by_object = {
        update.pk
        for update in ProgressUpdate.objects.select_related("investment")
        if update.is_overdue(today)
    }
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=today, base_url="http://testserver")
    reminded = set(ProgressUpdate.objects.filter(reminded_overdue_on=today).values_list("pk", flat=True))
    expected = {cases["late"], cases["late draft"]}
    assert by_query == expected
    assert by_object == expected
    assert reminded == expected


def test_the_group_officer_and_mentor_see_an_overdue_update_marked(client):
    member = UserFactory()
    investment = awarded_investment(member=member)
    first = _late(investment)
    officer = _officer(investment)
    mentor = staff(FundRole.Role.MENTOR, investment.round.fund)
    MentorProfile.objects.create(user=mentor)
    assign_mentor(investment=investment, mentor=mentor, by=officer)
    due = f"{first.due_date:%-d %B %Y}"
    for person, url in (
        (member, reverse("investments:investment", args=[investment.pk])),
        (officer, reverse("investments:oversight_investment", args=[investment.pk])),
        (mentor, reverse("mentoring:investment", args=[investment.pk])),
    ):
        client.force_login(person)
        html = client.get(url).content.decode()
        assert "Overdue" in html, url
        assert due in html or f"{first.due_date:%-d %b %Y}" in html, url
