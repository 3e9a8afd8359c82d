"""The audit log names objects in bulk: its queries do not grow with the number of changes."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from fund.models import FundRole
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    InvestmentFactory,
    PaymentFactory,
    RoundFactory,
    fund_with_tiers,
    staff,
)
from tests.support.downloads import body_text

pytestmark = pytest.mark.django_db


def _changes(round, officer, count: int, start: int) -> None:
    """``count`` awarded applications, each with an investment, a tranche, a mentor, and a change."""
    for number in range(start, start + count):
        application = ApplicationFactory(
            round=round,
            status=Application.Status.AWARDED,
            reference=f"CIF-2026-{number:05d}",
            submitted_at=timezone.now(),
        )
        investment = InvestmentFactory(application=application)
        payment = PaymentFactory(investment=investment, number=1)
        payment.amount += 1
        payment.save()  # a change, so the log compares two copies
        AssignmentFactory(investment=investment, assigned_by=officer)


def test_the_log_reads_the_same_queries_for_5_or_50_objects_changed(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    fund = fund_with_tiers()
    round = RoundFactory(fund=fund)
    officer = staff(FundRole.Role.OFFICER, fund)
    client.force_login(officer)
    today = timezone.localdate()
    period = {
        f"{end}_{n}": value
        for end in ("start", "end")
        for n, value in enumerate((today.day, today.month, today.year))
    }
    _changes(round, officer, 5, 0)
    with django_assert_max_num_queries(60) as few:
        small = body_text(client.get(reverse("audit:log"), period))
    _changes(round, officer, 45, 5)
    with django_assert_num_queries(len(few.captured_queries)):
        large = body_text(client.get(reverse("audit:log"), period))
    rows = list(csv.DictReader(io.StringIO(large)))
    assert len(rows) > len(list(csv.DictReader(io.StringIO(small))))
    payments = [
        row for row in rows if row["What"] == "Payment" and row["Field"] == "amount (£)" and row["Before"]
    ]
    assert len(payments) == 50
    # Each object is named as people know it, and each related object too.
    assert any("CIF-2026-00049" in row["Which"] for row in payments)
    assignments = [row for row in rows if row["What"] == "Mentor assignment" and row["Field"] == "investment"]
    assert any("CIF-2026-00049" in row["After"] for row in assignments)
