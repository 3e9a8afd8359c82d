"""What a person may do with a group or an application, with the reason shown when not."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from applications.models import Application, Membership, Organisation, ProgressUpdate
from fund.models import Investment
from fund.permissions import ALLOWED, Permission


def can_manage_organisation(user, organisation: Organisation) -> Permission:
    if organisation.memberships.filter(user=user, role=Membership.Role.OWNER).exists():
        return ALLOWED
    return Permission(
        False, f"Only the owners of {organisation.name} can change its details or invite people."
    )


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
