"""Who may accept a fund's invitation. Each answer carries its reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from kit.invitations import signed_in_as_invited
from kit.permissions import Permission
from team.models import TeamInvitation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def invitation_unusable(invitation: TeamInvitation) -> str:
    """Why nobody can use this invitation any more (empty while it can be used)."""
    ask = f"Ask an officer of {invitation.fund.name} to send you a new one."
    if invitation.accepted_at:
        return f"This invitation has already been used. {ask}"
    if invitation.withdrawn_at:
        return f"This invitation was withdrawn. {ask}"
    if invitation.has_expired():
        return f"This invitation expired on {timezone.localtime(invitation.expires_at):%-d %B %Y}. {ask}"
    return ""


def can_accept(user: User | AnonymousUser, invitation: TeamInvitation) -> Permission:
    """While it can be used, by the person signed in with the address it was sent to."""
    if reason := invitation_unusable(invitation):
        return Permission(False, reason)
    return signed_in_as_invited(user, invitation.email)
