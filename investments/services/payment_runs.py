"""Payment runs: finance gathers the tranches due and payable into a run, checks its total,
downloads it for the council's finance system and marks it paid, which records each tranche's
payment in the ledger. A run is paid once; a tranche is in one run at most.

Payable means: due, not yet paid, its release conditions met (the award's conditions, a mentor,
updates read), and the group's bank details given and checked by a second channel. A tranche of an
award with conditions written as free text is paid by hand, where finance confirms them each time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from fund.models import Fund
from fund.money import pounds
from fund.permissions import can_handle_finance
from investments.models import Investment, Payment, PaymentRun, PaymentRunLine
from investments.services.payments import (
    ReleaseState,
    bank_details_unchecked,
    record_payment,
    unmet_conditions,
)
from kit.errors import RuleError
from organisations.models import BankDetails


@dataclass(frozen=True)
class Tranche:
    """A tranche due, what is left to pay of it, the account it would go to, and why it cannot go
    in a run yet (nothing when it can)."""

    payment: Payment
    left: Decimal
    bank_details: BankDetails | None
    held: list[str]

    @property
    def payable(self) -> bool:
        return not self.held


def _latest_details(organisation_ids: set[int]) -> dict[int, BankDetails]:
    latest: dict[int, BankDetails] = {}
    for details in BankDetails.objects.filter(organisation_id__in=organisation_ids).order_by(
        "organisation_id", *BankDetails.NEWEST_FIRST
    ):
        latest.setdefault(details.organisation_id, details)
    return latest


def tranches_due(fund: Fund, today: date) -> list[Tranche]:
    """The fund's tranches due by ``today``, not paid and in no run, each payable or held."""
    payments = list(
        Payment.objects.with_paid()
        .filter(investment__round__fund=fund, due_date__lte=today, run_line__isnull=True)
        .exclude(investment__status=Investment.Status.CANCELLED)
        .exclude(status=Payment.Status.PAID)
        .select_related("investment__application__organisation")
        .order_by("due_date", "pk")
    )
    states = ReleaseState.of_many({payment.investment_id for payment in payments})
    details = _latest_details({payment.investment.application.organisation_id for payment in payments})
    found = []
    for payment in payments:
        investment = payment.investment
        held = unmet_conditions(payment, today, states[investment.pk])
        account = details.get(investment.application.organisation_id)
        if account is None:
            held.append("the group has not given its bank details")
        if investment.conditions.strip():
            held.append("its award has conditions to confirm at each payment: pay it from its payments page")
        found.append(Tranche(payment, payment.amount - payment.paid, account, held))
    return found


def _finance_of(fund: Fund, by: User) -> None:
    if not can_handle_finance(by, fund):
        raise RuleError(f"Only finance officers of {fund.name} can make or pay its payment runs.")


@transaction.atomic
def create_run(*, fund: Fund, payment_ids: list[int], by: User, today: date) -> PaymentRun:
    """A run of the chosen tranches, each still payable now."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)  # one run number at a time
    _finance_of(fund, by)
    if not payment_ids:
        raise RuleError({"payments": ["Choose at least one payment for the run"]})
    tranches = {tranche.payment.pk: tranche for tranche in tranches_due(fund, today)}
    chosen = [tranches.get(pk) for pk in payment_ids]
    if None in chosen:
        raise RuleError(
            {"payments": ["A payment chosen is no longer due or is already in a run: reload the page"]}
        )
    held = [
        f"{tranche.payment.investment.application.reference} payment {tranche.payment.number}: "
        + "; ".join(tranche.held)
        for tranche in chosen
        if tranche is not None and tranche.held
    ]
    if held:
        raise RuleError({"payments": held})
    number = (fund.payment_runs.aggregate(last=Max("number"))["last"] or 0) + 1
    run = PaymentRun.objects.create(fund=fund, number=number, created_by=by)
    PaymentRunLine.objects.bulk_create(
        PaymentRunLine(
            run=run, payment=tranche.payment, amount=tranche.left, bank_details=tranche.bank_details
        )
        for tranche in chosen
        if tranche is not None and tranche.bank_details is not None
    )
    return run


def total_of(run: PaymentRun) -> Decimal:
    return run.lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)


@transaction.atomic
def mark_paid(*, run: PaymentRun, by: User, paid_on: date, total: Decimal, today: date) -> PaymentRun:
    """Record each tranche of the run as paid, all or none. Marking a paid run again changes
    nothing; the total typed must be the run's, and every group's bank details must still be the
    ones the run was made with."""
    run = PaymentRun.objects.select_for_update().select_related("fund").get(pk=run.pk)
    _finance_of(run.fund, by)
    if run.status == PaymentRun.Status.PAID:
        return run  # paid already (a second finance officer, or a second click)
    if run.status == PaymentRun.Status.DISCARDED:
        raise RuleError("This run was discarded: make a new one for its payments.")
    expected = total_of(run)
    if total != expected:
        raise RuleError(
            {
                "total": [
                    f"The run's total is {pounds(expected)}, not {pounds(total)}: check it against the file"
                ]
            }
        )
    lines = list(run.lines.select_related("payment__investment__application__organisation", "bank_details"))
    current = _latest_details({line.payment.investment.application.organisation_id for line in lines})
    changed = [
        str(line.payment.investment.application)
        for line in lines
        if (now := current.get(line.payment.investment.application.organisation_id)) is None
        or now.pk != line.bank_details_id
    ]
    if changed:
        raise RuleError(
            "Bank details changed since the run was made, for " + ", ".join(changed) + ". Discard the run "
            "and make a new one once finance has checked the new details: the file downloaded before pays "
            "the old account."
        )
    # Every investment of the run locked, in one order, and their release states read once.
    investment_ids = sorted({line.payment.investment_id for line in lines})
    list(
        Investment.objects.select_for_update().filter(pk__in=investment_ids).order_by("pk").values_list("pk")
    )
    states = ReleaseState.of_many(investment_ids)
    for line in lines:
        try:
            line.entry = record_payment(
                payment=line.payment,
                by=by,
                paid_on=paid_on,
                amount=line.amount,
                reference=run.reference,
                today=today,
                state=states[line.payment.investment_id],
            )
        except RuleError as error:
            raise RuleError(
                f"{line.payment.investment.application.reference} payment {line.payment.number}: "
                + " ".join(error.messages)
            ) from error
        line.save(update_fields=["entry"])
    run.status, run.paid_on, run.paid_by = PaymentRun.Status.PAID, paid_on, by
    run.paid_at = timezone.now()
    run.save(update_fields=["status", "paid_on", "paid_by", "paid_at"])
    return run


@transaction.atomic
def discard_run(*, run: PaymentRun, by: User) -> None:
    """A run not yet paid is dropped: its tranches can go in another, and its number (on any file
    downloaded from it) is never given to another run."""
    run = PaymentRun.objects.select_for_update().select_related("fund").get(pk=run.pk)
    _finance_of(run.fund, by)
    if run.status == PaymentRun.Status.PAID:
        raise RuleError("This run is paid: it cannot be discarded. A payment made by mistake is reversed.")
    run.lines.all().delete()
    run.status = PaymentRun.Status.DISCARDED
    run.save(update_fields=["status"])


def file_rows(run: PaymentRun) -> list[list[str]]:
    """The run for the finance system: one line per payment (payee, sort code, account, amount,
    reference), the bank details in full. Finance alone downloads it."""
    return [
        [
            line.bank_details.account_name,
            f"{line.bank_details.sort_code[:2]}-{line.bank_details.sort_code[2:4]}-{line.bank_details.sort_code[4:]}",
            line.bank_details.account_number,
            f"{line.amount:.2f}",
            f"{line.payment.investment.application.reference}/{line.payment.number}",
        ]
        for line in run.lines.select_related("bank_details", "payment__investment__application")
    ]


def unchecked_bank_details(funds: QuerySet[Fund]) -> QuerySet[Investment]:
    """The active investments of ``funds`` whose group's newest bank details finance has not checked."""
    return bank_details_unchecked(
        Investment.objects.filter(round__fund__in=funds, status=Investment.Status.ACTIVE)
    )
