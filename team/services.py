"""A fund's officers run its team: invite people to a role, change or remove their roles.

Every change is kept in the audit trail (``FundRole`` and ``TeamInvitation`` keep their history).
Team changes to one fund are made one at a time (the fund's row is locked), so two officers
removing each other at once cannot leave the fund with no officer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tasks import send_email
from assessment.models import Review
from fund.models import Fund, FundRole, Place, Theme
from fund.permissions import can_manage_fund
from kit.errors import RuleError
from mentoring.models import Assignment, MentorProfile
from notifications.models import Kind
from notifications.services import notify
from team.models import TeamInvitation
from team.permissions import can_accept

ROLE = FundRole.Role


def _locked(fund: Fund, by: User) -> Fund:
    """The fund, locked for a team change, once ``by`` is known to be one of its officers (asked
    after the lock: an officer removed a moment ago is one no longer)."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if not (permission := can_manage_fund(by, fund)):
        raise RuleError(permission.reason)
    return fund


def _label(role: str) -> str:
    return ROLE(role).label.lower()


def invite(
    *,
    fund: Fund,
    by: User,
    email: str,
    role: str,
    base_url: str,
    capacity: int | None = None,
    places: Iterable[Place] = (),
    themes: Iterable[Theme] = (),
) -> TeamInvitation:
    """E-mail an invitation to take ``role`` in the fund (a mentor with what they offer)."""
    email = email.strip().lower()
    try:
        with transaction.atomic():
            fund = _locked(fund, by)
            if fund.roles.filter(user__email__iexact=email, role=role).exists():
                raise RuleError({"email": f"{email} is already a {_label(role)} of {fund.name}"})
            open_ones = fund.team_invitations.filter(
                email=email, role=role, accepted_at__isnull=True, withdrawn_at__isnull=True
            )
            if waiting := open_ones.waiting().first():
                sent = timezone.localtime(waiting.created_at)
                raise RuleError(
                    {
                        "email": f"{email} was invited as a {_label(role)} on {sent:%-d %B %Y}: "
                        "withdraw that invitation on the team page to send a new one"
                    }
                )
            for expired in open_ones:  # so a new one can be sent, each withdrawal in the audit trail
                expired.withdrawn_at = timezone.now()
                expired.save(update_fields=["withdrawn_at"])
            invitation = TeamInvitation.objects.create(
                fund=fund,
                email=email,
                role=role,
                invited_by=by,
                capacity=capacity if role == ROLE.MENTOR else None,
            )
            if role == ROLE.MENTOR:
                invitation.places.set(places)
                invitation.themes.set(themes)
            _email_invitation(invitation, by, base_url)
    except IntegrityError:
        # Another officer sent the same invitation a moment before.
        raise RuleError(
            {"email": f"{email} has just been invited as a {_label(role)} of {fund.name}"}
        ) from None
    return invitation


def _email_invitation(invitation: TeamInvitation, by: User, base_url: str) -> None:
    link = base_url + reverse("team:accept", args=[invitation.token])
    body = render_to_string(
        "team/email/invitation.txt",
        {"invitation": invitation, "link": link, "inviter": by, "service_name": settings.SERVICE_NAME},
    )
    subject = f"Join the team of {invitation.fund.name} on the {settings.SERVICE_NAME}"
    email = invitation.email
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=[email]))


@transaction.atomic
def withdraw(*, invitation: TeamInvitation, by: User) -> None:
    _locked(invitation.fund, by)
    waiting = TeamInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, withdrawn_at__isnull=True
    )
    for row in waiting:
        row.withdrawn_at = timezone.now()
        row.save(update_fields=["withdrawn_at"])  # saved, not updated, so the trail records who


def _tell_granted(person: User, fund: Fund, roles: Iterable[str], by: User | None = None) -> None:
    for role in roles:
        notify(
            [person],
            kind=Kind.ROLE,
            text=f"You are now {FundRole.Role(role).label.lower()} in {fund.name}",
            url=reverse("work:home"),
            fund=fund,
            by=by,
        )


@transaction.atomic
def accept(*, invitation: TeamInvitation, user: User) -> FundRole:
    """The invited person takes the role; a mentor's offer becomes their mentor profile."""
    invitation = TeamInvitation.objects.select_for_update().select_related("fund").get(pk=invitation.pk)
    if invitation.accepted_at and invitation.accepted_by_id == user.pk:
        return FundRole.objects.get(fund=invitation.fund, user=user, role=invitation.role)  # pressed twice
    if not (permission := can_accept(user, invitation)):
        raise RuleError(permission.reason)
    role, made = FundRole.objects.get_or_create(fund=invitation.fund, user=user, role=invitation.role)
    if made:
        _tell_granted(user, invitation.fund, [invitation.role])
    if invitation.role == ROLE.MENTOR:
        profile, created = MentorProfile.objects.get_or_create(
            user=user, defaults={"capacity": invitation.capacity or 3}
        )
        if not created and invitation.capacity:
            profile.capacity = invitation.capacity
            profile.save(update_fields=["capacity"])
        profile.places.add(*invitation.places.all())
        profile.expertise.add(*invitation.themes.all())
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return role


@dataclass(frozen=True)
class OpenWork:
    """What a person has in hand in a fund, to give to someone else when they leave a role."""

    reviews: QuerySet[Review]
    mentoring: QuerySet[Assignment]


def open_work(fund: Fund, person: User) -> OpenWork:
    return OpenWork(
        reviews=Review.objects.filter(application__round__fund=fund, reviewer=person)
        .exclude(status__in=[Review.Status.SUBMITTED, Review.Status.CONFLICTED])
        .select_related("application__organisation")
        .order_by("assigned_at"),
        mentoring=Assignment.objects.current()
        .filter(investment__round__fund=fund, mentor=person)
        .select_related("investment__application__organisation")
        .order_by("assigned_at"),
    )


@transaction.atomic
def set_roles(*, fund: Fund, person: User, roles: Iterable[str], by: User) -> tuple[set[str], set[str]]:
    """Give ``person`` exactly ``roles`` in the fund (none removes them from it): the roles added
    and removed. Nothing they wrote is lost; their unfinished reviews and mentoring stay theirs
    until given to someone else, and no longer count once they are off the panel."""
    fund = _locked(fund, by)
    wanted = set(roles)
    held = set(fund.roles.filter(user=person).values_list("role", flat=True))
    if not held:
        raise RuleError(f"{person} has no role in {fund.name}: invite them instead.")
    if ROLE.OFFICER in held - wanted:
        if person.pk == by.pk:
            raise RuleError("You cannot remove your own officer role: ask another officer of the fund.")
        if not fund.roles.filter(role=ROLE.OFFICER).exclude(user=person).exists():
            raise RuleError(f"{fund.name} needs at least one officer.")
    added, removed = wanted - held, held - wanted
    for role in removed:
        # Deleted one by one, so each removal is in the audit trail with who made it.
        for row in fund.roles.filter(user=person, role=role):
            row.delete()
    for role in added:
        FundRole.objects.create(fund=fund, user=person, role=role)
    _tell_granted(person, fund, added, by=by)
    return added, removed
