"""Naming mentors, their notes and concerns. Every change goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from fund.models import FundRole
from fund.permissions import can_manage_fund
from investments.models import Investment
from kit.errors import RuleError
from mentoring.models import Assignment, Concern, MentorProfile, Note
from notifications.models import Kind
from notifications.services import fund_people, notify


@dataclass(frozen=True)
class Suggestion:
    mentor: User
    place_matches: int
    expertise_matches: int
    current: int
    capacity: int

    @property
    def spare(self) -> int:
        return self.capacity - self.current

    @property
    def full(self) -> bool:
        return self.spare <= 0


def suggest_mentors(investment: Investment) -> list[Suggestion]:
    """The fund's mentors, best first: most places in common with the project, then most
    expertise in its goals' themes, then the most spare capacity. Those at capacity come last."""
    application = investment.application
    places = set(application.places.values_list("pk", flat=True))
    themes = set(application.goals.current().values_list("themes", flat=True)) - {None}
    mentors = (
        User.objects.filter(
            fund_roles__fund_id=investment.round.fund_id, fund_roles__role=FundRole.Role.MENTOR
        )
        .select_related("mentor_profile")
        .prefetch_related("mentor_profile__places", "mentor_profile__expertise")
        .annotate(current=Count("mentor_assignments", filter=Q(mentor_assignments__ended_at__isnull=True)))
    )
    suggestions = []
    for mentor in mentors:
        profile = getattr(mentor, "mentor_profile", None)
        suggestions.append(
            Suggestion(
                mentor=mentor,
                place_matches=len(places & {place.pk for place in profile.places.all()}) if profile else 0,
                expertise_matches=len(themes & {theme.pk for theme in profile.expertise.all()})
                if profile
                else 0,
                current=mentor.current,
                capacity=profile.capacity if profile else MentorProfile._meta.get_field("capacity").default,
            )
        )
    return sorted(
        suggestions,
        key=lambda s: (s.full, -s.place_matches, -s.expertise_matches, -s.spare, s.mentor.full_name),
    )


@transaction.atomic
def assign_mentor(*, investment: Investment, mentor: User, by: User, override_reason: str = "") -> Assignment:
    """Name a mentor; the current one, if any, is ended and kept in the history."""
    investment = Investment.objects.select_for_update().select_related("round__fund").get(pk=investment.pk)
    if not (permission := can_manage_fund(by, investment.round.fund)):
        raise RuleError(permission.reason)
    suggestion = next((s for s in suggest_mentors(investment) if s.mentor.pk == mentor.pk), None)
    if suggestion is None:
        raise RuleError(f"{mentor} is not a mentor in {investment.round.fund.name}.")
    current = investment.mentor_assignments.current().first()
    if current and current.mentor_id == mentor.pk:
        raise RuleError(f"{mentor} is already this investment's mentor.")
    if suggestion.full and not override_reason.strip():
        raise RuleError(
            {
                "override_reason": [
                    f"{mentor} already mentors {suggestion.current} investments, their capacity. "
                    "Choose someone else, or say why they should take one more"
                ]
            }
        )
    if current:
        current.ended_at = timezone.now()
        current.save(update_fields=["ended_at"])
    return Assignment.objects.create(
        investment=investment, mentor=mentor, assigned_by=by, override_reason=override_reason.strip()
    )


def is_current_mentor(user: User, investment: Investment) -> bool:
    return investment.mentor_assignments.current().filter(mentor=user).exists()


def _may_write(user: User, investment: Investment) -> None:
    if not (is_current_mentor(user, investment) or can_manage_fund(user, investment.round.fund)):
        raise RuleError("Only the investment's mentor or the fund's officers can write here.")


@transaction.atomic
def add_note(
    *,
    investment: Investment,
    by: User,
    text: str,
    visibility: str,
    kind: str = Note.Kind.NOTE,
    met_on: date | None = None,
) -> Note:
    _may_write(by, investment)
    if not text.strip():
        raise RuleError({"text": ["Write the note"]})
    return Note.objects.create(
        investment=investment, author=by, kind=kind, met_on=met_on, text=text.strip(), visibility=visibility
    )


@transaction.atomic
def raise_concern(*, investment: Investment, by: User, text: str) -> Concern:
    _may_write(by, investment)
    if not text.strip():
        raise RuleError({"text": ["Say what the concern is"]})
    concern = Concern.objects.create(investment=investment, raised_by=by, text=text.strip())
    fund = investment.round.fund
    notify(
        fund_people(fund, FundRole.Role.OFFICER),
        kind=Kind.CONCERN,
        text=f"The mentor raised a concern about {investment.application.reference}",
        url=reverse("investments:oversight_investment", args=[investment.pk]),
        fund=fund,
        by=by,
    )
    return concern


@transaction.atomic
def resolve_concern(*, concern: Concern, by: User, resolution: str) -> Concern:
    concern = Concern.objects.select_for_update().select_related("investment__round__fund").get(pk=concern.pk)
    if not (permission := can_manage_fund(by, concern.investment.round.fund)):
        raise RuleError(permission.reason)
    if concern.resolved_at:
        raise RuleError("This concern is already resolved.")
    if not resolution.strip():
        raise RuleError({"resolution": ["Say how the concern was resolved"]})
    concern.resolved_at = timezone.now()
    concern.resolved_by = by
    concern.resolution = resolution.strip()
    concern.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return concern
