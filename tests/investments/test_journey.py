"""After an award, through the pages: the group's update, the officer reading it, changing tack,
a mentor's notes and finance's payments."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fund.models import FundRole
from investments.models import Payment, ProgressUpdate
from investments.rules import add_months
from mentoring.models import MentorProfile
from tests.factories import UserFactory, awarded_investment, first_update_due_now, staff

pytestmark = pytest.mark.django_db


def _ok(response):
    """A page that opened (200), or a form that was accepted (302)."""
    assert response.status_code in (200, 302), response.content.decode()[:3000]
    if response.request["REQUEST_METHOD"] == "POST":
        assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_update_acknowledge_change_tack_mentor_and_payment(client):
    member = UserFactory()
    investment = awarded_investment(member=member, start_date=first_update_due_now())
    fund = investment.round.fund
    goal = investment.application.goals.current().get()
    # A start-up reports every 6 months over its year; the second update is the final one.
    assert [(u.due_date, u.final) for u in investment.updates.all()] == [
        (add_months(investment.start_date, 6), False),
        (add_months(investment.start_date, 12), True),
    ]

    client.force_login(member)
    page = _ok(client.get(reverse("investments:investment", args=[investment.pk]))).content.decode()
    assert "Send your update" in page
    url = reverse("investments:update_form", args=[investment.pk, 1])
    _ok(client.get(url))
    _ok(
        client.post(
            url, {f"goal_{goal.pk}_status": "on_track", f"goal_{goal.pk}_note": "Going well", "story": ""}
        )
    )
    check = reverse("investments:update_check", args=[investment.pk, 1])
    assert "Going well" in _ok(client.get(check)).content.decode()
    _ok(client.post(check))
    update = investment.updates.get(number=1)
    assert update.status == ProgressUpdate.Status.SUBMITTED

    officer = fund.roles.get(role=FundRole.Role.OFFICER).user
    client.force_login(officer)
    _ok(client.get(reverse("investments:investments")))
    _ok(client.get(reverse("investments:oversight_investment", args=[investment.pk])))
    _ok(
        client.post(
            reverse("investments:acknowledge_update", args=[investment.pk, 1]),
            {"update-1-comment": "Lovely to hear"},
        )
    )
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.ACKNOWLEDGED

    mentor = staff(FundRole.Role.MENTOR, fund, full_name="Martin Mentor")
    MentorProfile.objects.create(user=mentor, capacity=2)
    _ok(client.post(reverse("mentoring:assign_mentor", args=[investment.pk]), {"mentor": str(mentor.pk)}))
    assert investment.mentor_assignments.current().get().mentor == mentor

    client.force_login(member)
    _ok(
        client.post(
            reverse("investments:goal_change", args=[investment.pk, goal.pk]),
            {"description": "More people join in", "reason": "Fewer came than we hoped"},
        )
    )
    # The change waits for the fund team; an officer agrees it.
    assert investment.application.goals.current().get() == goal
    change = investment.goal_changes.get()
    client.force_login(officer)
    _ok(client.get(reverse("investments:goal_change_review", args=[investment.pk, change.pk])))
    _ok(client.post(reverse("investments:goal_change_agree", args=[investment.pk, change.pk])))
    assert investment.application.goals.current().get().replaces == goal

    client.force_login(mentor)
    _ok(client.get(reverse("mentoring:mentor_home")))
    _ok(client.get(reverse("mentoring:investment", args=[investment.pk])))
    _ok(
        client.post(
            reverse("mentoring:add_note", args=[investment.pk]),
            {"note-kind": "note", "note-text": "Shared", "note-visibility": "shared"},
        )
    )
    assert investment.mentor_notes.get().visibility == "shared"

    finance = staff(FundRole.Role.FINANCE, fund)
    client.force_login(finance)
    _ok(client.get(reverse("reporting:finance_home")))
    _ok(client.get(reverse("investments:investment_payments", args=[investment.pk])))
    today = timezone.localdate()
    _ok(
        client.post(
            reverse("investments:record_payment", args=[investment.pk, 1]),
            {
                "payment-1-paid_on_0": today.day,
                "payment-1-paid_on_1": today.month,
                "payment-1-paid_on_2": today.year,
                "payment-1-amount": "2500",
                "payment-1-reference": "BACS-0001",
            },
        )
    )
    assert investment.payments.get(number=1).status == Payment.Status.PAID
    assert investment.payments.with_paid().get(number=1).paid == Decimal("2500.00")
