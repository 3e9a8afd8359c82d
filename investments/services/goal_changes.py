"""A change of tack, agreed: after its award a group proposes a goal changed, added or stopped;
it takes effect when an officer agrees, or once the fund's ``goal_change_days`` pass with no
objection (``apply_unopposed``, run daily). Until then the goals stay as they are, and what the
group reported on them is kept whatever happens."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import ApplicationEvent, Goal
from applications.rules import MAX_GOALS
from applications.services.history import record
from conversations.services import post_from_team
from fund.models import Theme
from fund.permissions import can_manage_fund
from investments.models import GoalChange, Investment
from kit.errors import RuleError
from notifications.models import Kind
from notifications.services import current_mentors, group_members, notify, tell_investment_team

logger = logging.getLogger(__name__)

GOAL_FIELDS = ("description", "indicator", "baseline", "target", "unit")
LONGEST_REASON = 1000  # as the forms that ask for a reason or an objection say


def _member_investment(investment: Investment, by: User) -> Investment:
    investment = (
        Investment.objects.select_for_update(of=("self",))
        .select_related("application__organisation", "round__fund")
        .get(pk=investment.pk)
    )
    if not investment.application.organisation.memberships.filter(user=by).exists():
        raise RuleError("Only the group's members can change its goals.")
    if investment.closed_at:
        raise RuleError("This investment has closed, so its goals can no longer change.")
    return investment


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise RuleError({"reason": ["Say briefly why you are changing tack"]})
    if len(reason) > LONGEST_REASON:
        raise RuleError({"reason": [f"Say why in {LONGEST_REASON:,} characters or fewer"]})
    return reason


def _limit_problems(kind: str, current: int, *, adding: int = 0, stopping: int = 0) -> list[str]:
    """Whether a group with ``current`` goals, and ``adding`` and ``stopping`` more waiting, can
    take this change: at most ``MAX_GOALS`` goals, and always at least one."""
    if kind == GoalChange.Kind.ADD and current + adding >= MAX_GOALS:
        return [
            f"The goals are at the most an investment can have, {MAX_GOALS}, counting those waiting to "
            "be agreed. Ask to stop one, and add another once the fund team agrees"
        ]
    if kind == GoalChange.Kind.STOP and current - stopping <= 1:
        return ["Keep at least one goal: change this one instead of stopping it"]
    return []


def room_problems(investment: Investment, kind: str) -> list[str]:
    """Whether the goals, with every change still waiting counted in, leave room for a change of
    ``kind``: asked when a group proposes one, and by its goals page to offer it."""
    waiting = investment.goal_changes.filter(status=GoalChange.Status.PROPOSED)
    return _limit_problems(
        kind,
        investment.application.goals.current().count(),
        adding=waiting.filter(kind=GoalChange.Kind.ADD).count(),
        stopping=waiting.filter(kind=GoalChange.Kind.STOP).count(),
    )


@transaction.atomic
def propose(
    *,
    investment: Investment,
    by: User,
    kind: str,
    reason: str,
    goal: Goal | None = None,
    themes: Iterable[Theme] | None = None,
    **fields: Any,
) -> GoalChange:
    """A member proposes ``kind`` (change, add or stop) of ``goal``; the fund team is told."""
    investment = _member_investment(investment, by)
    if (kind == GoalChange.Kind.ADD) != (goal is None):
        raise RuleError("Say which goal to change or stop.")
    if goal is not None:
        goal = Goal.objects.select_for_update().get(pk=goal.pk, application=investment.application)
        if goal.retired_at:
            raise RuleError("That goal has already been changed or stopped.")
        if goal.changes.filter(status=GoalChange.Status.PROPOSED).exists():
            raise RuleError("A change to that goal is already waiting for the fund team. Withdraw it first.")
    reason = _reason(reason)
    if problems := room_problems(investment, kind):
        raise RuleError(problems)
    if kind != GoalChange.Kind.STOP:
        # The goal as proposed must be a goal the group could have set: the model's own checks.
        Goal(application=investment.application, **fields).full_clean(exclude=["application", "replaces"])
    fund = investment.round.fund
    change = GoalChange.objects.create(
        investment=investment,
        kind=kind,
        goal=goal,
        reason=reason,
        proposed_by=by,
        takes_effect_on=timezone.localdate() + timedelta(days=fund.goal_change_days),
        **(fields if kind != GoalChange.Kind.STOP else {}),
    )
    if kind != GoalChange.Kind.STOP:
        change.themes.set(themes if themes is not None else (goal.themes.all() if goal else []))
    record(
        application=investment.application,
        kind=ApplicationEvent.Kind.GOALS_PROPOSED,
        by=by,
        details=f"{change.get_kind_display()}: {reason}",
    )
    tell_investment_team(
        fund,
        investment.pk,
        kind=Kind.GOAL_CHANGE,
        text=f"{investment.application.organisation.name} proposes a change of goals",
        officer_url=reverse("investments:goal_change_review", args=[investment.pk, change.pk]),
        by=by,
    )
    return change


def _locked(change: GoalChange) -> GoalChange:
    """The change, locked after its investment: every decision on a change, and every proposal,
    locks the investment first, so they take turns and count the same goals."""
    Investment.objects.select_for_update(of=("self",)).filter(pk=change.investment_id).first()
    return (
        GoalChange.objects.select_for_update(of=("self",))
        .select_related("investment__application__organisation", "investment__round__fund", "goal")
        .get(pk=change.pk)
    )


def _fit_problems(change: GoalChange) -> list[str]:
    """Whether the change still fits the goals as they are now, with the investment locked: another
    change may have taken effect since it was proposed."""
    current = change.investment.application.goals.current()
    if change.goal is not None and not current.filter(pk=change.goal.pk).exists():
        return ["That goal has already been changed or stopped, so this change no longer applies."]
    return _limit_problems(change.kind, current.count())


def _take_effect(change: GoalChange, status: str, by: User | None) -> GoalChange:
    """Make the change to the goals: a changed goal is a new goal replacing the old, which is
    kept, retired, with its progress; a stopped goal is retired; an added goal is made. The
    investment is locked by the caller."""
    if problems := _fit_problems(change):
        raise RuleError(problems)
    application = change.investment.application
    now = timezone.now()
    if change.goal is not None:
        old = Goal.objects.select_for_update().get(pk=change.goal.pk)
        old.retired_at = now
        if change.kind == GoalChange.Kind.STOP:
            old.retire_reason = change.reason
        old.save(update_fields=["retired_at", "retire_reason"])
    if change.kind != GoalChange.Kind.STOP:
        if change.goal is not None:
            position = change.goal.position
        else:
            last = application.goals.order_by("-position").values_list("position", flat=True).first()
            position = (last or 0) + 1
        made = Goal.objects.create(
            application=application,
            position=position,
            replaces=change.goal,
            change_reason=change.reason,
            **{name: getattr(change, name) for name in GOAL_FIELDS},
        )
        made.themes.set(change.themes.all())
        change.result = made
    change.status = status
    change.decided_by = by
    change.decided_at = now
    change.save(update_fields=["status", "decided_by", "decided_at", "result"])
    return change


def _tell_group(change: GoalChange, text: str, by: User | None) -> None:
    """The group hears how its change went; so does its mentor, who was told of the proposal."""
    investment = change.investment
    fund = investment.round.fund
    notify(
        group_members(investment.application.organisation_id),
        kind=Kind.GOAL_CHANGE,
        text=text,
        url=reverse("investments:goals", args=[investment.pk]),
        fund=fund,
        by=by,
    )
    outcome = {
        GoalChange.Status.AGREED: "agreed",
        GoalChange.Status.UNOPPOSED: "took effect with no objection",
        GoalChange.Status.OBJECTED: "not agreed",
    }[GoalChange.Status(change.status)]
    notify(
        current_mentors(fund, investment.pk),
        kind=Kind.GOAL_CHANGE,
        text=f"{investment.application.organisation.name}'s change of goals: {outcome}",
        url=reverse("mentoring:investment", args=[investment.pk]),
        fund=fund,
        by=by,
    )


def _officer_locked(change: GoalChange, by: User) -> GoalChange:
    change = _locked(change)
    if not can_manage_fund(by, change.investment.round.fund):
        raise RuleError("Only the fund's officers agree changes of goals.")
    if change.investment.application.organisation.memberships.filter(user=by).exists():
        raise RuleError("You are a member of this group: another of the fund's officers decides its changes.")
    if not change.waiting:
        raise RuleError(f"This change is no longer waiting: {change.get_status_display().lower()}.")
    if change.investment.closed_at:
        raise RuleError("This investment has closed, so its goals can no longer change.")
    return change


@transaction.atomic
def agree(*, change: GoalChange, by: User) -> GoalChange:
    change = _take_effect(_officer_locked(change, by), GoalChange.Status.AGREED, by)
    record(application=change.investment.application, kind=ApplicationEvent.Kind.GOALS_AGREED, by=by)
    _tell_group(change, "The fund team agreed your change of goals", by)
    return change


@transaction.atomic
def object_to(*, change: GoalChange, by: User, objection: str) -> GoalChange:
    """An officer does not agree, and says why in the group's conversation, where the group can
    answer; the goals stay as they were."""
    objection = objection.strip()
    if not objection:
        raise RuleError({"objection": ["Say why the change cannot be agreed, so the group can answer"]})
    if len(objection) > LONGEST_REASON:
        raise RuleError({"objection": [f"Say why in {LONGEST_REASON:,} characters or fewer"]})
    change = _officer_locked(change, by)
    change.status = GoalChange.Status.OBJECTED
    change.objection = objection
    change.decided_by = by
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "objection", "decided_by", "decided_at"])
    application = change.investment.application
    record(application=application, kind=ApplicationEvent.Kind.GOALS_OBJECTED, by=by, details=objection)
    post_from_team(
        application=application,
        by=by,
        text=f"About your change of goals ({change.get_kind_display().lower()}): {objection}",
    )
    _tell_group(change, "The fund team did not agree your change of goals", by)
    return change


@transaction.atomic
def withdraw(*, change: GoalChange, by: User) -> GoalChange:
    _member_investment(change.investment, by)
    change = _locked(change)
    if not change.waiting:
        raise RuleError(f"This change is no longer waiting: {change.get_status_display().lower()}.")
    change.status = GoalChange.Status.WITHDRAWN
    change.decided_at = timezone.now()  # by the group: ``decided_by`` names the fund's officers only
    change.save(update_fields=["status", "decided_at"])
    record(application=change.investment.application, kind=ApplicationEvent.Kind.GOALS_WITHDRAWN, by=by)
    return change


@transaction.atomic
def close_waiting(investment: Investment) -> int:
    """An investment closing ends the changes still waiting on it: nobody decides them now."""
    return investment.goal_changes.filter(status=GoalChange.Status.PROPOSED).update(
        status=GoalChange.Status.LAPSED, decided_at=timezone.now()
    )


def apply_unopposed(*, today: date) -> int:
    """Every change whose days have passed with no objection takes effect; each once, however
    often this runs. Each is its own transaction, locked as an officer's decision is: one that no
    longer fits the goals (another change took effect first) is left for an officer to decide,
    and the others still take effect."""
    due = GoalChange.objects.filter(
        status=GoalChange.Status.PROPOSED, takes_effect_on__lte=today, investment__closed_at=None
    ).order_by("proposed_at", "pk")
    applied = 0
    for change in due:
        try:
            with transaction.atomic():
                change = _locked(change)
                if not change.waiting or change.investment.closed_at:
                    continue
                _take_effect(change, GoalChange.Status.UNOPPOSED, None)
                record(
                    application=change.investment.application,
                    kind=ApplicationEvent.Kind.GOALS_UNOPPOSED,
                    by=None,
                )
                _tell_group(change, "Your change of goals has taken effect", None)
        except RuleError as error:
            logger.warning("Change of goals %s left for an officer: %s", change.pk, " ".join(error.messages))
            continue
        applied += 1
    return applied
