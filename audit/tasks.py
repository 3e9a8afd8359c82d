"""A long period's audit log is made by the task worker, never in a request."""

import logging

from django.tasks import task
from django.utils import timezone

from audit import exports
from audit.models import AuditExport

logger = logging.getLogger(__name__)


@task()
def build_audit_export(export_id: int) -> str:
    Status = AuditExport.Status
    claimed = AuditExport.objects.filter(pk=export_id, status=Status.REQUESTED).update(status=Status.RUNNING)
    export = AuditExport.objects.get(pk=export_id)
    if not claimed:
        return export.status  # already made, or being made by another worker
    exports.remove_expired()
    try:
        exports.make(export)
    except Exception as error:
        logger.exception("Audit log %s failed", export.pk)
        reason = str(error) or type(error).__name__
        AuditExport.objects.filter(pk=export.pk).update(
            status=Status.FAILED, error=reason[:2000], finished_at=timezone.now()
        )
        return Status.FAILED
    export.status = Status.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "rows", "status", "finished_at"])
    return Status.READY
