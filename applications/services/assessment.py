"""The fund team's first actions on a submitted application (the panel's come later)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from accounts.tasks import send_email
from applications.models import Application
from applications.services import ApplicationError
from fund.permissions import can_manage_fund

SENDABLE_BACK = (Application.Status.SUBMITTED, Application.Status.ELIGIBLE, Application.Status.IN_REVIEW)


@transaction.atomic
def send_back_for_information(
    *, application: Application, questions: str, by: User, base_url: str
) -> Application:
    """Ask the group for more information: they change their answers and submit again.
    What they sent before stays as a numbered version."""
    application = (
        Application.objects.select_for_update()
        .select_related("round__fund", "organisation")
        .get(pk=application.pk)
    )
    if not (permission := can_manage_fund(by, application.round.fund)):
        raise ApplicationError(permission.reason)
    if application.status not in SENDABLE_BACK:
        status = application.get_status_display().lower()
        raise ApplicationError(f"Only a submitted application can be sent back; this one is {status}.")
    if not questions.strip():
        raise ApplicationError({"questions": ["Say what information the group needs to give"]})
    application.status = Application.Status.DEFERRED
    application.information_requested = questions.strip()
    # The group confirms the declaration again before it resubmits.
    application.declared_at = None
    application.completed_sections = [
        slug for slug in application.completed_sections if slug != "declaration"
    ]
    application.save(
        update_fields=["status", "information_requested", "declared_at", "completed_sections", "updated_at"]
    )
    recipients = sorted(
        {application.organisation.contact_email}
        | set(application.organisation.memberships.values_list("user__email", flat=True))
    )
    body = render_to_string(
        "applications/email/sent_back.txt",
        {
            "application": application,
            "link": base_url + reverse("applications:application_detail", args=[application.pk]),
            "service_name": settings.SERVICE_NAME,
        },
    )
    subject = f"More information needed: {application.reference}"
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=recipients))
    return application
