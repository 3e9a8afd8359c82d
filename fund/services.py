"""Every change to a fund's shape goes through these functions.

Each validates, then saves inside one transaction, and raises ``RuleError``
with a message a person can act on when a rule of the fund would break.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from accounts.models import User
from fund.commitments import awarded_in
from fund.models import Criterion, Fund, FundRole, Round, Tier, TierAllocation
from fund.rules import (
    Band,
    Commitment,
    allocation_problems,
    commitment_problems,
    tier_band_problems,
)
from kit.errors import RuleError
from kit.words import possessive


def committed_in(round: Round, *, budget: Decimal | None, allocations: dict[Tier, Decimal | None]) -> dict:
    """The round's budget and tier allocations as proposed, beside what is already awarded."""
    awarded = awarded_in(round)
    return {
        "budget": Commitment(round.name, budget, sum(awarded.values(), Decimal(0))),
        "tiers": [
            Commitment(tier.name, amount, awarded.get(tier.pk, Decimal(0)))
            for tier, amount in allocations.items()
        ],
    }


def check_tier_bands(tiers: list[Tier]) -> None:
    problems = tier_band_problems(Band(tier.name, tier.minimum_amount, tier.maximum_amount) for tier in tiers)
    if problems:
        raise RuleError(problems)


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
def save_fund_settings(
    *,
    fund: Fund,
    by: User,
    goal_change_days: int,
    signoff_limit: Decimal | None,
    offer_days: int,
    offer_terms: str,
) -> Fund:
    """What a fund's officers set for the fund as a whole (its history keeps who and when). A new
    sign-off limit applies to awards released from now on; offers made keep their terms and date."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    fund.goal_change_days = goal_change_days
    fund.signoff_limit = signoff_limit
    fund.offer_days = offer_days
    fund.offer_terms = offer_terms.strip()
    changed = ["goal_change_days", "signoff_limit", "offer_days", "offer_terms"]
    fund.clean_fields(exclude=[field.name for field in Fund._meta.fields if field.name not in changed])
    fund._history_user = by  # type: ignore[attr-defined]  # simple-history's way to name who
    fund.save(update_fields=changed)
    return fund


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
    review_deadline: date | None = None,
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
    round.review_deadline = review_deadline
    round.status = status
    round.full_clean()

    for tier in allocations:
        if tier.fund_id != fund.pk:
            raise RuleError(f"{tier.name} is not one of {possessive(fund.name)} tiers.")
    chosen = {tier: amount for tier, amount in allocations.items() if amount is not None}
    problems = allocation_problems(
        budget=budget, allocations=[(tier.name, amount) for tier, amount in chosen.items()]
    )
    if problems:
        raise RuleError(problems)
    if round.pk:
        # Awards are made under a lock on this row too, so none can slip in between.
        fields = {"budget": "budget", **{tier.name: TierAllocation.key_for(tier) for tier in allocations}}
        if cuts := commitment_problems(**committed_in(round, budget=budget, allocations=allocations)):
            raise RuleError({fields[which]: [problem] for problem, which in cuts})

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
        raise RuleError("That criterion belongs to another round.")
    if criterion.pk:
        highest = criterion.scores.aggregate(highest=Max("score"))["highest"]
        if highest is not None and scale_max < highest:
            raise RuleError(
                {
                    "scale_max": [
                        f"A panel member has already scored {highest} for this criterion: "
                        f"the highest score must be at least {highest}"
                    ]
                }
            )
    criterion.title = title
    criterion.guidance = guidance
    criterion.weight = weight
    criterion.scale_max = scale_max
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def remove_criterion(*, criterion: Criterion) -> None:
    """A criterion no one has scored yet can go; once scored, it is part of the panel's record."""
    criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
    if criterion.scores.exists():
        raise RuleError(
            f"Panel members have started scoring applications against ‘{criterion.title}’, so it can no "
            "longer be removed. Change its guidance or weight instead."
        )
    criterion.delete()


@transaction.atomic
def grant_fund_role(*, user: User, fund: Fund, role: str) -> FundRole:
    """Give ``user`` a staff role in one fund (it grants nothing in any other fund)."""
    if role not in FundRole.Role.values:
        raise RuleError(f"'{role}' is not a role in the fund.")
    fund_role, _ = FundRole.objects.get_or_create(user=user, fund=fund, role=role)
    return fund_role
