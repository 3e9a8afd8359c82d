"""Reads about investments that several pages share."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from applications.models import Goal
from investments.models import GoalProgress, Investment, ProgressUpdate


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


def open_concerns(investments: QuerySet[Investment]) -> list[Any]:
    """The concerns mentors raised about ``investments`` that the fund team has not resolved, oldest
    first. Read through the relation mentoring declares, as investments sits below mentoring."""
    # Both conditions in one filter, so they hold for the same concern: "resolved_at is null" alone
    # also matches every investment with no concern at all (the outer join's empty row).
    with_open = investments.filter(concerns__isnull=False, concerns__resolved_at__isnull=True).distinct()
    concerns = [
        concern
        for investment in with_open.prefetch_related(
            "concerns__raised_by", "application__organisation"
        ).select_related("application__organisation")
        for concern in investment.concerns.all()
        if concern.resolved_at is None
    ]
    return sorted(concerns, key=lambda concern: concern.raised_at)
