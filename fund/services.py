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

from accounts.models import User
from fund.models import Criterion, Fund, FundRole, Investment, Payment, Round, Tier, TierAllocation
from fund.rules import Band, allocation_problems, award_problems, payment_schedule, tier_band_problems


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
            raise FundRuleError(f"{tier.name} is not one of {fund.name}'s tiers.")
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
    Payment.objects.bulk_create(
        Payment(investment=investment, number=number, due_date=due, amount=share)
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
    return investment
