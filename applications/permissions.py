"""What a person may do with a group or an application, with the reason shown when not."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from applications.models import Application, Invitation, Membership, Organisation, ProgressUpdate
from fund.models import Investment
from kit.permissions import ALLOWED, Permission


def can_manage_organisation(user, organisation: Organisation) -> Permission:
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


def can_accept_invitation(user, invitation: Invitation) -> Permission:
    """Whether ``user`` may join the group with this invitation: while it can be used, signed
    in with the address it was sent to."""
    if reason := invitation_unusable(invitation):
        return Permission(False, reason)
    if not user.is_authenticated:
        return Permission(
            False, "Sign in, or create an account, with the address the invitation was sent to."
        )
    if user.email.lower() != invitation.email.lower():
        return Permission(
            False,
            f"This invitation was sent to {invitation.email}, but you are signed in as {user.email}. "
            "Sign out, then sign in or create an account with the invited address.",
        )
    return ALLOWED


def can_edit_application(application: Application) -> Permission:
    if application.is_editable:
        return ALLOWED
    if application.status == Application.Status.WITHDRAWN:
        return Permission(False, "This application was withdrawn, so it can no longer be changed.")
    submitted = timezone.localtime(application.submitted_at)
    return Permission(
        False,
        f"This application was submitted on {submitted:%-d %B %Y}, so it can no longer be changed. "
        "If something needs correcting, contact the fund team.",
    )


def can_write_update(update: ProgressUpdate, today: date) -> Permission:
    """Whether the group may start, change or send this update today: not once the investment has
    closed or the update was sent, and not before its window opens (``ProgressUpdate.opens_on``)."""
    if not update.investment_is_running:
        if update.investment.status == Investment.Status.CANCELLED:
            return Permission(False, "This investment was cancelled, so its updates can no longer change.")
        return Permission(False, "This investment has closed, so its updates can no longer change.")
    if not update.is_open:
        return Permission(False, "This update has been sent, so it can no longer be changed.")
    if not update.has_opened(today):
        days = settings.UPDATE_WINDOW_DAYS
        return Permission(
            False,
            f"You can send this update from {update.opens_on:%-d %B %Y}, "
            f"{days} day{'s' if days != 1 else ''} before it is due.",
        )
    return ALLOWED


def can_approve_story(update: ProgressUpdate) -> Permission:
    """Whether an officer may approve the update's story for publishing: the group sent it, the
    person in it agreed, and the investment was not cancelled (the rest of what makes a story
    published, the approval itself, is ``ProgressUpdateQuerySet.published_stories``)."""
    if not update.is_sent:
        return Permission(False, "Only a story the group has sent can be approved.")
    if not update.story:
        return Permission(False, "This update has no story to publish.")
    if not update.story_consent:
        return Permission(
            False,
            "The group did not say the person agreed to their story being shared, so it cannot be published.",
        )
    if update.investment.status == Investment.Status.CANCELLED:
        return Permission(False, "This investment was cancelled, so its stories are not published.")
    return ALLOWED
