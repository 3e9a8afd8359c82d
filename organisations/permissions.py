"""Who may manage a group, and who may accept an invitation to one. Each answer carries its reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from kit.invitations import signed_in_as_invited
from kit.permissions import ALLOWED, Permission
from organisations.models import Invitation, Membership, Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def can_manage_organisation(user: User, organisation: Organisation) -> Permission:
    if organisation.memberships.filter(user=user, role=Membership.Role.OWNER).exists():
        return ALLOWED
    return Permission(
        False, f"Only the owners of {organisation.name} can change its details or invite people."
    )


def invitation_unusable(invitation: Invitation) -> str:
    """Why nobody can use this invitation any more (empty while it can be used): once, and
    before it expires."""
    if invitation.accepted_at:
        return "This invitation has already been used. Ask the group to send you a new one."
    if invitation.has_expired():
        expired = timezone.localtime(invitation.expires_at)
        return f"This invitation expired on {expired:%-d %B %Y}. Ask the group to send you a new one."
    return ""


def can_accept_invitation(user: User | AnonymousUser, invitation: Invitation) -> Permission:
    """Whether ``user`` may join the group with this invitation: while it can be used, signed
    in with the address it was sent to."""
    if reason := invitation_unusable(invitation):
        return Permission(False, reason)
    return signed_in_as_invited(user, invitation.email)
