"""The applicant-side rules of the fund, in one place, as sentences a group can act on.

- Who may start an application: the round is open, the amount falls in a tier, the
  amount fits what the round set aside, the group is eligible for that tier, and the
  round's one-application rule.
- When a budget balances: its lines add up to the amount asked plus cash match funding.
- How many goals a group sets itself: at least one, at most ``MAX_GOALS``, before and after
  the award.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from fund.models import Round, Tier
from fund.money import pounds
from organisations.models import Organisation

# A group sets itself a few goals, so that reporting on them takes minutes.
MAX_GOALS = 5


def goal_count_problems(count: int) -> list[str]:
    """Whether ``count`` goals make a finished goals section."""
    if count == 0:
        return ["Add at least one goal: what will be different for local people"]
    if count > MAX_GOALS:
        return [f"You have {count} goals. Keep the {MAX_GOALS} that matter most and remove the others"]
    return []


def another_goal_problems(count: int) -> list[str]:
    """Whether an application with ``count`` goals may have one more (after the award, a change of
    goals counts those waiting too: ``investments.services.goal_changes.room_problems``)."""
    if count < MAX_GOALS:
        return []
    return [
        f"You already have {MAX_GOALS} goals, the most an application can have. "
        "Change or remove one of them instead"
    ]


def round_problems(round: Round, now: datetime | None = None) -> list[str]:
    phase = round.phase(now or timezone.now())
    if phase == "open":
        return []
    if phase == "not yet open":
        local = timezone.localtime(round.opens_at)
        return [f"{round.name} opens for applications on {local:%-d %B %Y} at {local:%H:%M}."]
    if phase == "closed":
        local = timezone.localtime(round.closes_at)
        return [f"{round.name} closed for applications on {local:%-d %B %Y} at {local:%H:%M}."]
    return [f"{round.name} is not open for applications."]


def tier_for(round: Round, amount: Decimal) -> Tier | None:
    return Tier.objects.filter(fund_id=round.fund_id).for_amount(amount).first()


def amount_problems(round: Round, amount: Decimal, tier: Tier | None) -> list[str]:
    if tier is None:
        return [f"{pounds(amount)} is not an amount {round.fund.name} invests. Enter a different amount."]
    allocation = round.allocations.filter(tier=tier).values_list("amount", flat=True).first()
    ceiling = allocation if allocation is not None else round.budget
    if amount > ceiling:
        what = (
            f"set aside {pounds(ceiling)} for {tier.name.lower()} investments"
            if allocation is not None
            else (f"a budget of {pounds(ceiling)}")
        )
        return [f"{round.name} has {what}. Ask for {pounds(ceiling)} or less."]
    return []


def eligibility_problems(*, organisation: Organisation, tier: Tier) -> list[str]:
    if tier.constituted_only and not organisation.is_constituted:
        below = pounds(tier.minimum_amount - Decimal("0.01"))
        return [
            f"{tier.name} investments are for constituted organisations, such as charities, CIOs, "
            f"community interest companies and companies limited by guarantee. Your group is an "
            f"{organisation.get_legal_form_display().lower()}. Ask for {below} or less, or update "
            "your group's legal form if it has changed."
        ]
    return []


@dataclass(frozen=True)
class BudgetFigures:
    """A budget's sums: the rule is that its lines come to the amount asked plus cash match funding."""

    amount_requested: Decimal
    lines: int
    total: Decimal
    cash_match_funding: Decimal

    @classmethod
    def of(
        cls, *, amount_requested: Decimal, lines: Iterable[Decimal], cash_match_funding: Iterable[Decimal]
    ) -> BudgetFigures:
        lines = list(lines)
        return cls(
            amount_requested=amount_requested,
            lines=len(lines),
            total=sum(lines, Decimal(0)),
            cash_match_funding=sum(cash_match_funding, Decimal(0)),
        )

    @property
    def expected(self) -> Decimal:
        return self.amount_requested + self.cash_match_funding

    @property
    def balanced(self) -> bool:
        return self.total == self.expected


def budget_problems(figures: BudgetFigures) -> list[str]:
    if not figures.lines:
        return ["Add at least one budget line: what the money will be spent on."]
    if not figures.balanced:
        should = f"the {pounds(figures.amount_requested)} you are asking for"
        if figures.cash_match_funding:
            should = (
                f"{pounds(figures.expected)}: {should} plus {pounds(figures.cash_match_funding)} of match "
                "funding in money"
            )
        return [
            f"Your budget lines add up to {pounds(figures.total)}, but they should come to {should}. "
            "Change a budget line, the match funding or the amount you are asking for."
        ]
    return []
