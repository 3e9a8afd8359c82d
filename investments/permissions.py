"""Who may write a progress update now, and whether an officer may approve a story. Each answer
carries its reason."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from investments.models import Investment, ProgressUpdate
from kit.permissions import ALLOWED, Permission


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
