"""Who takes part in an application's conversation, and on which side."""

from __future__ import annotations

from enum import StrEnum

from accounts.models import User
from applications.models import Application
from fund.models import FundRole


class Side(StrEnum):
    GROUP = "group"
    TEAM = "team"


def side_of(user: User, application: Application) -> Side | None:
    """The group's members once it is sent; the fund's officers and finance, and the mentor of its
    investment. Panel members assess, and take no part; nobody else sees it."""
    if not user.is_authenticated or application.submitted_at is None:
        return None
    if application.organisation.memberships.filter(user=user).exists():
        return Side.GROUP
    if FundRole.objects.filter(
        user=user, fund_id=application.round.fund_id, role__in=[FundRole.Role.OFFICER, FundRole.Role.FINANCE]
    ).exists():
        return Side.TEAM
    # The investment and its mentors are reached through the relations their apps declare, as
    # conversations sits below them: sending an application back opens its conversation.
    # A mentor still named for its investment, and still a mentor of the fund.
    mentors = Application.objects.filter(
        pk=application.pk,
        investment__mentor_assignments__mentor=user,
        investment__mentor_assignments__ended_at__isnull=True,
    )
    still_mentor = FundRole.objects.filter(
        user=user, fund_id=application.round.fund_id, role=FundRole.Role.MENTOR
    )
    if still_mentor.exists() and mentors.exists():
        return Side.TEAM
    return None
