"""Who takes part in an application's conversation, and on which side."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet

from accounts.models import User
from applications.models import Application
from fund.models import Fund, FundRole


class Side(StrEnum):
    GROUP = "group"
    TEAM = "team"


def on_team_side(user: User) -> QuerySet[Application]:
    """The sent applications whose conversations ``user`` takes part in for the fund team
    (``side_of`` asks it of one): their funds' as officer or finance, those they mentor."""
    mentored = Application.objects.filter(
        investment__mentor_assignments__mentor=user,
        investment__mentor_assignments__ended_at__isnull=True,
        round__fund__in=Fund.objects.with_role(user, FundRole.Role.MENTOR),
    )
    return Application.objects.filter(
        Q(pk__in=Application.objects.for_staff(user).values("pk")) | Q(pk__in=mentored.values("pk"))
    ).exclude(submitted_at=None)


def side_of(user: User, application: Application) -> Side | None:
    """The group's members once it is sent; the fund's officers and finance, and the mentor of its
    investment. Panel members assess, and take no part; nobody else sees it."""
    if not user.is_authenticated or application.submitted_at is None:
        return None
    if application.organisation.memberships.filter(user=user).exists():
        return Side.GROUP
    if on_team_side(user).filter(pk=application.pk).exists():
        return Side.TEAM
    return None
