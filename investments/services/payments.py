"""Awards become investments with their tranches; finance records and reverses payments against them.

Every change locks the rows it reads, checks the fund's rules and raises ``RuleError`` with words
finance can act on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from fund.commitments import awarded_in
from fund.models import Fund, Round, Tier
from fund.money import pounds
from fund.permissions import can_handle_finance
from fund.rules import (
    award_problems,
)
from investments.models import AwardCondition, Investment, Offer, Payment, PaymentEntry, ProgressUpdate
from investments.rules import payment_schedule, release_conditions, release_problems
from investments.services import conditions as award_conditions
from kit.errors import RuleError
from organisations.models import BankDetails


@transaction.atomic
def create_investment(
    *,
    application: Application,
    amount: Decimal,
    start_date: date,
    mentor_required: bool,
    conditions: str = "",
) -> Investment:
    """Commit money from a round to an award, never more than the round or the tier has left.

    The round's row is locked first, so two officers awarding at the same instant are
    taken one after the other and the second sees the first's award.
    """
    round = Round.objects.select_for_update().get(pk=application.round_id)
    tier = application.tier
    awarded = awarded_in(round)
    allocation = round.allocations.filter(tier=tier).values_list("amount", flat=True).first()
    problems = award_problems(
        amount=amount,
        round_name=round.name,
        budget=round.budget,
        committed=sum(awarded.values(), Decimal(0)),
        tier_name=tier.name,
        allocation=allocation,
        tier_committed=awarded.get(tier.pk, Decimal(0)),
    )
    if problems:
        raise RuleError(problems)
    investment = Investment.objects.create(
        application=application,
        round=round,
        tier=tier,
        amount=amount,
        start_date=start_date,
        mentor_required=mentor_required or tier.mentor_policy == Tier.MentorPolicy.REQUIRED,
        conditions=conditions,
    )
    payments = Payment.objects.bulk_create(
        Payment(
            investment=investment,
            number=number,
            due_date=due,
            amount=share,
            release_conditions=release_conditions(
                number=number,
                mentor_required=investment.mentor_required,
                reports_progress=tier.update_cadence_months > 0,
            ),
        )
        for number, (due, share) in enumerate(
            payment_schedule(
                amount=amount,
                tranches=tier.payment_tranches,
                interval_months=tier.payment_interval_months,
                start=start_date,
            ),
            start=1,
        )
    )
    Payment.history.bulk_history_create(payments)  # the audit trail's first copy of each
    award_conditions.from_award(investment, conditions)
    fund = application.round.fund
    Offer.objects.create(
        investment=investment, respond_by=fund.offer_deadline(timezone.localdate()), terms=fund.offer_terms
    )
    return investment


@dataclass(frozen=True)
class ReleaseState:
    """What a tranche's release conditions look at, read once for all of an investment's tranches."""

    mentor_assigned: bool
    # (due date, read by the fund team) for each of the investment's progress updates.
    updates: list[tuple[date, bool]]
    # The award's conditions not yet met, by the tranche each holds back.
    award_conditions: dict[int, list[str]] = field(default_factory=dict)
    # The group gave (or changed) its bank details and finance has not checked them yet.
    bank_details_unchecked: bool = False
    # The group has an offer it has not accepted (investments from before offers have none).
    offer_unaccepted: bool = False

    @classmethod
    def of(cls, investment: Investment) -> ReleaseState:
        return cls.of_many([investment.pk])[investment.pk]

    @classmethod
    def of_many(cls, investment_ids: Iterable[int]) -> dict[int, ReleaseState]:
        """``of`` for many investments in two queries (lists of tranches to pay)."""
        ids = set(investment_ids)
        mentored = set(
            # Both in one filter: the same assignment exists and has not ended.
            Investment.objects.filter(
                pk__in=ids, mentor_assignments__isnull=False, mentor_assignments__ended_at__isnull=True
            ).values_list("pk", flat=True)
        )
        updates: dict[int, list[tuple[date, bool]]] = {pk: [] for pk in ids}
        rows = ProgressUpdate.objects.filter(investment_id__in=ids).values_list(
            "investment_id", "due_date", "status"
        )
        for investment_id, due, status in rows:
            updates[investment_id].append((due, status == "acknowledged"))
        unmet: dict[int, dict[int, list[str]]] = {pk: {} for pk in ids}
        conditions = (
            AwardCondition.objects.filter(investment_id__in=ids)
            .exclude(status=AwardCondition.Status.MET)
            .values_list("investment_id", "payment_id", "text")
            .order_by("pk")
        )
        for investment_id, payment_id, text in conditions:
            unmet[investment_id].setdefault(payment_id, []).append(text)
        unchecked = set(
            bank_details_unchecked(Investment.objects.filter(pk__in=ids)).values_list("pk", flat=True)
        )
        unaccepted = set(
            Offer.objects.filter(investment_id__in=ids)
            .exclude(status=Offer.Status.ACCEPTED)
            .values_list("investment_id", flat=True)
        )
        return {
            pk: cls(
                mentor_assigned=pk in mentored,
                updates=updates[pk],
                award_conditions=unmet[pk],
                bank_details_unchecked=pk in unchecked,
                offer_unaccepted=pk in unaccepted,
            )
            for pk in ids
        }


def bank_details_unchecked(investments: QuerySet[Investment]) -> QuerySet[Investment]:
    """Those of ``investments`` whose group gave bank details, the newest of which finance has not
    checked yet: their payments wait."""
    newest = BankDetails.objects.filter(organisation=OuterRef("application__organisation")).newest_first()
    return investments.annotate(
        given=Exists(newest), checked_at=Subquery(newest.values("verified_at")[:1])
    ).filter(given=True, checked_at__isnull=True)


def unmet_conditions(payment: Payment, today: date, state: ReleaseState | None = None) -> list[str]:
    """The release conditions of a tranche that do not hold yet, in words."""
    state = state or ReleaseState.of(payment.investment)
    return (
        (["the group must accept the fund's offer first"] if state.offer_unaccepted else [])
        + release_problems(
            conditions=payment.release_conditions,
            mentor_assigned=state.mentor_assigned,
            updates_read=[read for due, read in state.updates if due <= max(payment.due_date, today)],
        )
        + [f"the condition “{text}” must be met" for text in state.award_conditions.get(payment.pk, [])]
        + (
            ["the group's bank details changed and must be checked with the group by a second channel first"]
            if state.bank_details_unchecked
            else []
        )
    )


@transaction.atomic
def verify_bank_details(*, details: BankDetails, by: User, how: str) -> BankDetails:
    """Finance confirms the group's bank details by a second channel (a phone call to a number the
    fund already holds, a letter from the bank), and says how: payments to them are then released.
    Nobody in the group checks its own details."""
    details = BankDetails.objects.select_for_update().select_related("organisation").get(pk=details.pk)
    funds = Investment.objects.filter(application__organisation=details.organisation_id).values("round__fund")
    if not any(can_handle_finance(by, fund) for fund in Fund.objects.filter(pk__in=funds)):
        raise RuleError(
            "Only the finance officers of a fund that invests in the group can check its bank details."
        )
    if details.organisation.memberships.filter(user=by).exists():
        raise RuleError(
            "You are a member of this group: another finance officer must check its bank details."
        )
    if details.verified_at is not None:
        return details  # checked already, by someone else a moment ago
    if details.organisation.bank_details.newest_first().values_list("pk", flat=True)[0] != details.pk:
        raise RuleError("The group has changed its bank details since: check the newest ones.")
    details.verified_by, details.verified_at, details.verified_how = by, timezone.now(), how.strip()
    details.save(update_fields=["verified_by", "verified_at", "verified_how"])
    return details


def _finance_locked(payment: Payment, by: User) -> tuple[Investment, Payment]:
    """The tranche and its investment, locked, if ``by`` is a finance officer of its fund."""
    investment = (
        Investment.objects.select_for_update().select_related("round__fund").get(pk=payment.investment_id)
    )
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not can_handle_finance(by, investment.round.fund):
        raise RuleError(f"Only finance officers of {investment.round.fund.name} can record payments.")
    return investment, payment


def _settle(payment: Payment, by: User) -> Payment:
    """Bring the tranche's status into line with its ledger."""
    paid = Payment.objects.with_paid().get(pk=payment.pk).paid
    payment.status = (
        Payment.Status.PAID
        if paid >= payment.amount
        else Payment.Status.PART_PAID
        if paid > 0
        else Payment.Status.SCHEDULED
    )
    payment._history_user = by
    payment.save(update_fields=["status"])
    return payment


def award_date(investment: Investment) -> date:
    """The day the fund decided the award (UK time): nothing can be paid before it."""
    return timezone.localdate(investment.created_at)


@transaction.atomic
def record_payment(
    *,
    payment: Payment,
    by: User,
    paid_on: date,
    amount: Decimal,
    reference: str,
    conditions_met: bool = False,
    conditions_note: str = "",
    today: date | None = None,
    state: ReleaseState | None = None,
) -> PaymentEntry:
    """Finance records money paid against a tranche: once its release conditions hold and the
    award's conditions are confirmed met, dated between the award and today, never more than the
    tranche has left. The tranche is paid when its entries add up to it. ``state``: the
    investment's release state, read by a caller that holds its lock (a payment run's many)."""
    investment, payment = _finance_locked(payment, by)
    today = today or timezone.localdate()
    if payment.status == Payment.Status.PAID:
        raise RuleError(f"Payment {payment.number} is already paid in full.")
    if unmet := unmet_conditions(payment, today, state):
        raise RuleError(f"Payment {payment.number} cannot be released yet: " + "; ".join(unmet) + ".")
    problems: dict[str, list[str]] = {}
    awarded_on = award_date(investment)
    if paid_on > today:
        problems["paid_on"] = ["The date paid cannot be in the future: enter the date the money left"]
    elif paid_on < awarded_on:
        problems["paid_on"] = [f"The date paid cannot be before the award on {awarded_on:%-d %B %Y}"]
    left = payment.amount - Payment.objects.with_paid().get(pk=payment.pk).paid
    # The award as a whole too: payments recorded before the ledger may have run past a tranche.
    award_left = investment.amount - Investment.objects.with_paid().get(pk=investment.pk).paid
    if amount <= 0:
        problems["amount"] = ["The amount paid must be at least £0.01"]
    elif amount > award_left:
        left_of_award = pounds(max(award_left, Decimal(0)))
        problems["amount"] = [f"Only {left_of_award} of the {pounds(investment.amount)} award is left to pay"]
    elif amount > left:
        problems["amount"] = [
            f"Payment {payment.number} is {pounds(payment.amount)}: enter {pounds(left)} or less"
            if left == payment.amount
            else f"Only {pounds(left)} of payment {payment.number}'s {pounds(payment.amount)} is left "
            f"to pay: enter {pounds(left)} or less"
        ]
    if not reference.strip():
        problems["reference"] = ["Enter the payment reference from the finance system"]
    if investment.conditions.strip():
        if not conditions_met:
            problems["conditions_met"] = ["Confirm that the award's conditions for this payment are met"]
        if not conditions_note.strip():
            problems["conditions_note"] = [
                "Say how you know the conditions are met, for example the letter or document you checked"
            ]
    if problems:
        raise RuleError(problems)
    entry = PaymentEntry(
        payment=payment,
        amount=amount,
        paid_on=paid_on,
        reference=reference.strip(),
        conditions_note=conditions_note.strip() if investment.conditions.strip() else "",
        recorded_by=by,
    )
    entry._history_user = by  # the audit trail names them, whether or not a request is behind it
    entry.save()
    _settle(payment, by)
    return entry


@transaction.atomic
def reverse_payment(*, entry: PaymentEntry, by: User, reason: str, today: date | None = None) -> PaymentEntry:
    """Put right a payment recorded by mistake with a reversing entry; the entry itself stays."""
    _, payment = _finance_locked(entry.payment, by)
    entry = PaymentEntry.objects.select_for_update().get(pk=entry.pk, payment=payment)
    if entry.is_reversal:
        raise RuleError("A reversal cannot be reversed. Record the payment again instead.")
    if PaymentEntry.objects.filter(reverses=entry).exists():
        raise RuleError(f"The {pounds(entry.amount)} paid on {entry.paid_on:%-d %B %Y} is already reversed.")
    if not reason.strip():
        raise RuleError({"reason": ["Say why the payment is being reversed"]})
    reversal = PaymentEntry(
        payment=payment,
        amount=-entry.amount,
        paid_on=today or timezone.localdate(),
        reference=f"Reversal of {entry.reference}"[:100],
        reverses=entry,
        reason=reason.strip(),
        recorded_by=by,
    )
    reversal._history_user = by
    reversal.save()
    _settle(payment, by)
    return reversal
