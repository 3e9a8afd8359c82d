"""What a person may do with a group or an application, with the reason shown when not."""

from __future__ import annotations

from django.utils import timezone

from applications.models import Application
from kit.permissions import ALLOWED, Permission


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
