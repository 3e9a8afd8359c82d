"""Payments recorded before the ledger existed carry over without paying anything twice."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from fund.models import FundRole, Investment, Payment, PaymentEntry
from fund.services import FundRuleError, record_payment
from tests.factories import awarded_investment, staff

BEFORE = ("fund", "0005_audit_trail")


@pytest.mark.django_db(transaction=True)
def test_a_tranche_recorded_for_the_whole_award_before_the_ledger_leaves_nothing_more_to_pay():
    investment = awarded_investment(amount_requested=Decimal("5000.00"))  # two tranches of £2,500
    finance = staff(FundRole.Role.FINANCE, investment.round.fund, full_name="Fay Finance")
    first, second = investment.payments.order_by("number")

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps.get_model("fund", "Payment")
    # The old rules let one tranche be recorded for up to the whole award.
    old.objects.filter(pk=first.pk).update(
        status="paid",
        paid_amount=Decimal("5000.00"),
        paid_on=timezone.localdate(),
        paid_at=timezone.now(),
        payment_reference="BACS-OLD",
        recorded_by_id=finance.pk,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Investment.objects.with_paid().get(pk=investment.pk).paid == Decimal("5000.00")
    assert [(p.number, p.status, p.paid) for p in investment.payments.with_paid().order_by("number")] == [
        (1, Payment.Status.PAID, Decimal("2500.00")),
        (2, Payment.Status.PAID, Decimal("2500.00")),
    ]
    entries = PaymentEntry.objects.order_by("payment__number")
    assert {entry.reference for entry in entries} == {"BACS-OLD"}
    # Each entry has its first audit copy, naming who recorded it.
    for entry in entries:
        copy = entry.history.get()
        assert (copy.history_type, copy.history_user_id) == ("+", finance.pk)
    # Nothing more can be paid against the award.
    Payment.objects.filter(pk=second.pk).update(status=Payment.Status.PART_PAID, release_conditions=[])
    with pytest.raises(FundRuleError, match="award is left to pay"):
        record_payment(
            payment=second, by=finance, paid_on=timezone.localdate(), amount=Decimal("1"), reference="X"
        )
