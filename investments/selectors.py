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
