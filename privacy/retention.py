"""The retention policy: unsuccessful applications lose their personal data after some years.

An application that was not funded, not eligible or withdrawn, or a draft nobody touched, keeps
its personal data for ``RETENTION_UNSUCCESSFUL_YEARS`` after it closed. Then the name on its
declaration, its contact details in the submitted copies, its answers to the round's questions
marked as personal data, the links to the people who wrote and
submitted it (in the application, its copies, its events and the audit trail), its uploaded
files, and what the group wrote in its conversation (text, files and who wrote it) are removed.
What the group proposed and what the fund decided, and why, stay: they are the council's record
of how the money was spent. Each application is marked when done, so running the
policy again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from applications.models import Application, ApplicationEvent
from notifications.models import KEPT_FOR_DAYS, Notification

REMOVED = "Removed under the retention policy"
CHANGE_REASON = "Personal data removed under the retention policy"
# The rows of a submitted copy's answers that hold personal data.
PERSONAL_ANSWERS = {"Contact", "Declared by"}
Status = Application.Status
Kind = ApplicationEvent.Kind
CLOSING_EVENTS = [Kind.INELIGIBLE, Kind.DECLINED, Kind.WITHDRAWN]
# Events a group member causes: their name goes with the rest.
GROUP_EVENTS = [
    Kind.SUBMITTED,
    Kind.WITHDRAWN,
    Kind.GOALS_PROPOSED,
    Kind.GOALS_WITHDRAWN,
    Kind.OFFER_ACCEPTED,
    Kind.OFFER_DECLINED,
]


@dataclass
class Result:
    cutoff: datetime
    references: list[str] = field(default_factory=list)
    documents: int = 0


def cutoff(now: datetime | None = None) -> datetime:
    """Applications that closed before this moment are due."""
    now = now or timezone.now()
    years = settings.RETENTION_UNSUCCESSFUL_YEARS
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def due(before: datetime):
    """Unsuccessful applications closed before ``before`` whose personal data is still held."""
    closed = (
        Application.objects.filter(status__in=[Status.INELIGIBLE, Status.DECLINED, Status.WITHDRAWN])
        .annotate(closed_at=Max("events__at", filter=Q(events__kind__in=CLOSING_EVENTS)))
        .filter(closed_at__lt=before)
        .values("pk")
    )
    abandoned = Application.objects.filter(status=Status.DRAFT, updated_at__lt=before).values("pk")
    return Application.objects.filter(
        Q(pk__in=closed) | Q(pk__in=abandoned), personal_data_removed_at=None
    ).order_by("pk")


def _answers_without_personal_data(answers):
    return [
        {
            **section,
            "rows": [
                {**row, "answer": REMOVED}
                if row.get("question") in PERSONAL_ANSWERS or row.get("personal")
                else row
                for row in section.get("rows", [])
            ],
        }
        for section in answers
    ]


@transaction.atomic
def _remove(application: Application, now: datetime) -> int:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.personal_data_removed_at is not None:
        return 0
    versions = list(application.versions.all())
    people = {application.created_by_id, application.declared_by_id}
    people |= {version.submitted_by_id for version in versions} | {
        version.declared_by_id for version in versions
    }
    people |= set(application.organisation.memberships.values_list("user_id", flat=True))
    people.discard(None)

    for version in versions:
        version.answers = _answers_without_personal_data(version.answers)
        version.submitted_by = version.declared_by = None
        version.save(update_fields=["answers", "submitted_by", "declared_by"])
    application.events.filter(kind__in=GROUP_EVENTS).update(actor=None)

    # Answers to the round's questions that hold personal data (a file given is removed below).
    application.question_answers.filter(question__personal_data=True).exclude(value=None).update(
        value=REMOVED
    )

    documents = list(application.documents.all())
    for document in documents:
        name, storage = document.file.name, document.file.storage
        document.delete()
        if name:
            transaction.on_commit(partial(storage.delete, name))
    # What the group wrote in the conversation goes with its files; the fund team's side (what it
    # asked, and its notes) stays, as the council's record, without the group's people.
    files = len(documents)
    for message in application.messages.filter(from_team=False).exclude(attachment=""):
        if name := message.attachment.name:
            transaction.on_commit(partial(message.attachment.storage.delete, name))
            files += 1
    application.messages.filter(from_team=False).update(
        text=REMOVED, author=None, attachment="", attachment_name="", attachment_type="", attachment_size=None
    )
    application.readings.all().delete()

    # Earlier audit copies lose the name and the links to the group's people...
    history = Application.history.filter(id=application.pk)
    history.update(declaration_name="", created_by=None, declared_by=None)
    history.filter(history_user_id__in=people).update(history_user=None)
    # ...and the change itself is recorded, by the portal, with its reason.
    application.declaration_name = ""
    application.created_by = application.declared_by = None
    application.personal_data_removed_at = now
    application._change_reason = CHANGE_REASON
    application.save()
    return files


def apply(now: datetime | None = None, *, dry_run: bool = False) -> Result:
    """Apply the policy as at ``now``; with ``dry_run``, only say which applications are due."""
    now = now or timezone.now()
    result = Result(cutoff=cutoff(now))
    for application in due(result.cutoff):
        result.references.append(application.reference or f"Draft {application.pk}")
        if not dry_run:
            result.documents += _remove(application, now)
    return result


def remove_old_notifications(now: datetime | None = None) -> int:
    """Notifications older than ``notifications.models.KEPT_FOR_DAYS``: what they pointed to is kept
    where it belongs."""
    before = (now or timezone.now()) - timedelta(days=KEPT_FOR_DAYS)
    return Notification.objects.filter(created_at__lt=before).delete()[0]
