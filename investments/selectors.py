"""Reads about investments that several pages share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from applications.models import Goal
from investments.models import SENT, GoalProgress, Investment, ProgressUpdate, SpendReport


def current_goals_with_progress(investment: Investment) -> QuerySet[Goal]:
    latest = GoalProgress.objects.filter(
        update__status__in=[ProgressUpdate.Status.SUBMITTED, ProgressUpdate.Status.ACKNOWLEDGED]
    ).order_by("-update__number")
    return investment.application.goals.current().prefetch_related(
        "themes", Prefetch("progress", queryset=latest, to_attr="reported")
    )


def goal_history(goal: Goal) -> list[Goal]:
    """The goal and every earlier version of it, newest first."""
    versions = [goal]
    while (earlier := versions[-1].replaces) is not None:
        versions.append(earlier)
    return versions


def open_concerns(investments: QuerySet[Investment]) -> QuerySet[Any]:
    """The concerns mentors raised about ``investments`` that the fund team has not resolved, oldest
    first, to slice and count in the database. The model is reached through the relation
    mentoring declares, as investments sits below mentoring."""
    concern = Investment._meta.get_field("concerns").related_model
    return (
        concern._default_manager.filter(investment__in=investments, resolved_at__isnull=True)
        .select_related("raised_by", "investment__application__organisation")
        .order_by("raised_at", "pk")
    )


@dataclass(frozen=True)
class LineSpend:
    item: str
    budget: Decimal
    spent: Decimal


@dataclass(frozen=True)
class Spend:
    """An investment's approved budget, line by line, beside what the group reported spending in
    the updates it sent (drafts aside), and what the fund has paid."""

    lines: list[LineSpend]
    paid: Decimal

    @property
    def budget(self) -> Decimal:
        return sum((line.budget for line in self.lines), Decimal(0))

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), Decimal(0))

    @property
    def reported(self) -> bool:
        return any(line.spent for line in self.lines)


def spend_of(investment: Investment, paid: Decimal) -> Spend:
    """Two queries, however many lines and updates."""
    sent = (
        SpendReport.objects.filter(budget_line=OuterRef("pk"), update__status__in=SENT)
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    lines = investment.application.budget_lines.annotate(spent=Coalesce(Subquery(sent), Decimal(0)))
    return Spend([LineSpend(line.item, line.amount, line.spent) for line in lines], paid)
