"""Every change to a fund's shape goes through these functions.

Each validates, then saves inside one transaction, and raises ``FundRuleError``
with a message a person can act on when a rule of the fund would break.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from fund.models import Criterion, Fund, FundRole, Investment, Payment, Round, Tier, TierAllocation
from fund.money import pounds
from fund.rules import (
    Band,
    allocation_problems,
    award_problems,
    payment_schedule,
    release_conditions,
    tier_band_problems,
)
from portal.words import possessive


class FundRuleError(ValidationError):
    """A change would break one of the fund's rules. ``messages`` say how to fix it."""


def check_tier_bands(tiers: list[Tier]) -> None:
    problems = tier_band_problems(Band(tier.name, tier.minimum_amount, tier.maximum_amount) for tier in tiers)
    if problems:
        raise FundRuleError(problems)


@transaction.atomic
def save_tier_bands(*, fund: Fund, tiers: list[Tier]) -> list[Tier]:
    """Replace a fund's tier bands as a whole, so they are never left half-changed."""
    for tier in tiers:
        tier.fund = fund
        tier.full_clean(validate_unique=False, validate_constraints=False)
    check_tier_bands(tiers)
    for tier in tiers:
        tier.save()
    return tiers


@transaction.atomic
def save_round(
    *,
    fund: Fund,
    name: str,
    description: str,
    opens_at: datetime,
    closes_at: datetime,
    budget: Decimal,
    status: str,
    allocations: dict[Tier, Decimal | None],
    round: Round | None = None,
) -> Round:
    """Create or change a round with its per-tier allocations (an empty allocation removes it)."""
    if round is None:
        round = Round(fund=fund)
    else:
        # Lock the round so two officers editing at once cannot both pass the checks.
        round = Round.objects.select_for_update().get(pk=round.pk, fund=fund)
    round.name = name
    round.description = description
    round.opens_at = opens_at
    round.closes_at = closes_at
    round.budget = budget
    round.status = status
    round.full_clean()

    for tier in allocations:
        if tier.fund_id != fund.pk:
            raise FundRuleError(f"{tier.name} is not one of {possessive(fund.name)} tiers.")
    chosen = {tier: amount for tier, amount in allocations.items() if amount is not None}
    problems = allocation_problems(
        budget=budget, allocations=[(tier.name, amount) for tier, amount in chosen.items()]
    )
    if problems:
        raise FundRuleError(problems)

    round.save()
    round.allocations.exclude(tier__in=list(chosen)).delete()
    for tier, amount in chosen.items():
        TierAllocation.objects.update_or_create(round=round, tier=tier, defaults={"amount": amount})
    return round


@transaction.atomic
def save_criterion(
    *,
    round: Round,
    title: str,
    guidance: str,
    weight: Decimal,
    scale_max: int,
    criterion: Criterion | None = None,
) -> Criterion:
    if criterion is None:
        last = round.criteria.order_by("-position").values_list("position", flat=True).first()
        criterion = Criterion(round=round, position=(last or 0) + 1)
    elif criterion.round_id != round.pk:
        raise FundRuleError("That criterion belongs to another round.")
    criterion.title = title
    criterion.guidance = guidance
    criterion.weight = weight
    criterion.scale_max = scale_max
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def remove_criterion(*, criterion: Criterion) -> None:
    criterion.delete()


@transaction.atomic
def grant_fund_role(*, user: User, fund: Fund, role: str) -> FundRole:
    """Give ``user`` a staff role in one fund (it grants nothing in any other fund)."""
    if role not in FundRole.Role.values:
        raise FundRuleError(f"'{role}' is not a role in the fund.")
    fund_role, _ = FundRole.objects.get_or_create(user=user, fund=fund, role=role)
    return fund_role


@transaction.atomic
def create_investment(
    *,
    application,
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
    committed_in_round = Investment.objects.committed().filter(round=round)
    allocation = round.allocations.filter(tier=tier).values_list("amount", flat=True).first()
    problems = award_problems(
        amount=amount,
        round_name=round.name,
        budget=round.budget,
        committed=committed_in_round.aggregate(total=Sum("amount"))["total"] or Decimal(0),
        tier_name=tier.name,
        allocation=allocation,
        tier_committed=committed_in_round.filter(tier=tier).aggregate(total=Sum("amount"))["total"]
        or Decimal(0),
    )
    if problems:
        raise FundRuleError(problems)
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
    return investment


def unmet_conditions(payment: Payment, today: date) -> list[str]:
    """The release conditions of a tranche that do not hold yet, in words."""
    investment = payment.investment
    unmet = []
    for condition in payment.release_conditions:
        if (
            condition == Payment.Condition.MENTOR_ASSIGNED
            and not investment.mentor_assignments.filter(ended_at__isnull=True).exists()
        ):
            unmet.append("a mentor must be assigned first")
        if condition == Payment.Condition.UPDATE_ACKNOWLEDGED:
            due = investment.updates.filter(due_date__lte=max(payment.due_date, today))
            if due.exclude(status="acknowledged").exists():
                unmet.append("every update due so far must be sent by the group and read by the fund team")
    return unmet


@transaction.atomic
def record_payment(
    *, payment: Payment, by: User, paid_on: date, amount: Decimal, reference: str, today: date | None = None
) -> Payment:
    """Finance records a tranche as paid, once its conditions hold, never past the award."""
    investment = (
        Investment.objects.select_for_update().select_related("round__fund").get(pk=payment.investment_id)
    )
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not FundRole.objects.filter(user=by, fund=investment.round.fund, role=FundRole.Role.FINANCE).exists():
        raise FundRuleError(f"Only finance officers of {investment.round.fund.name} can record payments.")
    if payment.status == Payment.Status.PAID:
        raise FundRuleError(f"Payment {payment.number} is already recorded as paid.")
    if unmet := unmet_conditions(payment, today or timezone.localdate()):
        raise FundRuleError(f"Payment {payment.number} cannot be released yet: " + "; ".join(unmet) + ".")
    paid = (
        investment.payments.filter(status=Payment.Status.PAID).aggregate(total=Sum("paid_amount"))["total"]
        or 0
    )
    left = investment.amount - paid
    if amount > left:
        raise FundRuleError(
            {"amount": [f"Only {pounds(left)} of the {pounds(investment.amount)} award is left to pay"]}
        )
    if not reference.strip():
        raise FundRuleError({"reference": ["Enter the payment reference from the finance system"]})
    payment.status = Payment.Status.PAID
    payment.paid_on = paid_on
    payment.paid_amount = amount
    payment.payment_reference = reference.strip()
    payment.paid_at = timezone.now()
    payment.recorded_by = by
    payment.save()
    return payment
