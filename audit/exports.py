"""The audit log of a period as a spreadsheet: sent at once for up to a quarter, made by the task
worker and kept for download for a longer period."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from audit import trail
from audit.models import AuditExport
from fund.models import Fund
from kit.downloads import write_csv

# The longest period sent at once, a quarter; a longer one goes to the task worker.
LONGEST_AT_ONCE = timedelta(days=92)

HEADER = ["When", "Who", "What", "Which", "Action", "Field", "Before", "After"]


def too_long_to_send(start: date, end: date) -> bool:
    return end - start + timedelta(days=1) > LONGEST_AT_ONCE


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def rows(funds: QuerySet[Fund], start: date, end: date) -> Iterator[list[str]]:
    """The spreadsheet's rows, oldest first: one for each field changed, as they are read."""
    for entry in trail.for_funds(funds, _midnight(start), _midnight(end + timedelta(days=1))):
        when = timezone.localtime(entry.when).strftime("%Y-%m-%d %H:%M:%S")
        for change in entry.changes or [trail.Change("", "", "")]:
            what = [when, entry.who, entry.what, entry.subject, entry.action]
            yield [*what, change.field, change.before, change.after]


def request_export(*, by: User, funds: QuerySet[Fund], start: date, end: date) -> AuditExport:
    """The log of the period for the task worker to make, or the same one already asked for."""
    from audit.tasks import build_audit_export

    wanted = set(funds.values_list("pk", flat=True))
    for earlier in (
        AuditExport.objects.current()
        .filter(requested_by=by, start=start, end=end)
        .exclude(status=AuditExport.Status.FAILED)
        .prefetch_related("funds")
    ):
        if {fund.pk for fund in earlier.funds.all()} == wanted:
            return earlier
    with transaction.atomic():
        export = AuditExport.objects.create(requested_by=by, start=start, end=end)
        export.funds.set(wanted)
        transaction.on_commit(partial(build_audit_export.enqueue, export.pk))
    return export


def remove(made: QuerySet[AuditExport]) -> int:
    """Delete these logs, their files once the deletion is committed."""
    removed = list(made)
    for export in removed:
        if name := export.file.name:
            transaction.on_commit(partial(export.file.storage.delete, name))
        export.delete()
    return len(removed)


def remove_expired() -> int:
    """Delete the logs past their keeping time."""
    return remove(AuditExport.objects.expired())


def make(export: AuditExport) -> None:
    """Write the export's spreadsheet to its file, counting the rows."""
    counted = 0

    def counting(found: Iterator[list[str]]) -> Iterator[list[str]]:
        nonlocal counted
        for row in found:
            counted += 1
            yield row

    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
        write_csv(out, HEADER, counting(rows(export.funds.all(), export.start, export.end)))
        out.seek(0)
        export.file.save(export.filename, File(out), save=False)
    export.rows = counted
