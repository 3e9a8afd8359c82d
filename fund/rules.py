"""The fund's rules that span several rows, in one place.

- Tier bands: contiguous to the penny, no gaps or overlaps, inclusive at the top,
  only the highest tier may be open-ended.
- A round's tier allocations: for tiers of the round's own fund, and together no
  more than the round's budget.
- The budget rule: awards never add up to more than a round's budget or a tier's
  allocation (applied under a row lock in ``investments.services.payments.create_investment``), and a
  budget or allocation is never cut below what is already awarded from it.
- Payment schedules: equal tranches to the penny.

Each function returns the problems it finds as sentences a person can act on;
an empty list means the rule holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from fund.money import PENNY, pounds


@dataclass(frozen=True)
class Band:
    name: str
    minimum: Decimal
    maximum: Decimal | None


def tier_band_problems(bands: Iterable[Band]) -> list[str]:
    ordered = sorted(bands, key=lambda band: band.minimum)
    problems: list[str] = []
    if not ordered:
        return problems
    for band in ordered:
        for label, value in (("smallest", band.minimum), ("largest", band.maximum)):
            if value is not None and value != value.quantize(PENNY):
                problems.append(f"{band.name}: the {label} amount must be in pounds and pence.")
        if band.maximum is not None and band.maximum < band.minimum:
            problems.append(f"{band.name}: the largest amount must not be below the smallest amount.")
    if ordered[0].minimum != PENNY:
        problems.append(f"{ordered[0].name} must start at £0.01 so every amount falls in a tier.")
    for lower, upper in pairwise(ordered):
        if lower.maximum is None:
            problems.append(f"{lower.name} has no upper limit, so only the highest tier may be open-ended.")
            continue
        expected = lower.maximum + PENNY
        if upper.minimum > expected:
            problems.append(
                f"Amounts from {pounds(expected)} to {pounds(upper.minimum - PENNY)} fall in no tier: "
                f"{upper.name} should start at {pounds(expected)}."
            )
        elif upper.minimum < expected:
            problems.append(
                f"{lower.name} and {upper.name} overlap: {upper.name} should start at {pounds(expected)}."
            )
    return problems


def allocation_problems(*, budget: Decimal, allocations: Iterable[tuple[str, Decimal]]) -> list[str]:
    """``allocations`` are (tier name, amount) pairs for one round."""
    allocations = list(allocations)
    problems = [
        f"The allocation for {name} must be more than £0." for name, amount in allocations if amount <= 0
    ]
    total = sum((amount for _, amount in allocations), Decimal(0))
    if total > budget:
        problems.append(
            f"The tier allocations add up to {pounds(total)}, which is more than the round's "
            f"budget of {pounds(budget)}. Reduce an allocation or raise the budget."
        )
    return problems


@dataclass(frozen=True)
class Commitment:
    """What a round, or one of its tiers, has set aside and already awarded."""

    name: str
    limit: Decimal | None
    awarded: Decimal


def commitment_problems(*, budget: Commitment, tiers: Iterable[Commitment]) -> list[tuple[str, str]]:
    """A round's budget, and a tier's allocation, can never be cut below what is already awarded
    from it. (problem, which: "budget" or the tier's name) pairs."""
    problems = []
    if budget.limit is not None and budget.limit < budget.awarded:
        problems.append(
            (
                f"The budget cannot be less than the {pounds(budget.awarded)} already awarded from "
                f"{budget.name}. Enter {pounds(budget.awarded)} or more.",
                "budget",
            )
        )
    for tier in tiers:
        if tier.limit is not None and tier.limit < tier.awarded:
            problems.append(
                (
                    f"The {tier.name.lower()} allocation cannot be less than the {pounds(tier.awarded)} "
                    f"already awarded to {tier.name.lower()} investments. Enter {pounds(tier.awarded)} or "
                    "more, or leave it empty.",
                    tier.name,
                )
            )
    return problems


def award_problems(
    *,
    amount: Decimal,
    round_name: str,
    budget: Decimal,
    committed: Decimal,
    tier_name: str,
    allocation: Decimal | None,
    tier_committed: Decimal,
) -> list[str]:
    """The budget rule: awards in a round never add up to more than its budget, nor, where the
    round set money aside for a tier, more than that tier's allocation."""
    problems = []
    if amount <= 0:
        problems.append("An award must be more than £0.")
    left = budget - committed
    if amount > left:
        problems.append(
            f"Awarding {pounds(amount)} would take {round_name} over its budget of {pounds(budget)}: "
            f"{pounds(committed)} is already awarded, so {pounds(max(left, Decimal(0)))} is left."
        )
    if allocation is not None and amount > allocation - tier_committed:
        tier_left = max(allocation - tier_committed, Decimal(0))
        problems.append(
            f"Awarding {pounds(amount)} would take {tier_name.lower()} investments over the "
            f"{pounds(allocation)} set aside for them: {pounds(tier_left)} is left."
        )
    return problems
