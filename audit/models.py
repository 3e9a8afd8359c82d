"""A long period's audit log, made by the task worker and kept for its owner to download."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from fund.models import Fund

# A made log holds people's names and what they changed: it is kept long enough to download.
KEPT_FOR = timedelta(days=7)


def export_key(export: AuditExport, filename: str) -> str:
    return f"audit/{uuid.uuid4().hex}/{secrets.token_urlsafe(16)}.csv"


class AuditExportQuerySet(models.QuerySet):
    def current(self) -> AuditExportQuerySet:
        """Those not yet past their keeping time (waiting ones included)."""
        return self.filter(
            models.Q(finished_at__isnull=True) | models.Q(finished_at__gt=timezone.now() - KEPT_FOR)
        )

    def expired(self) -> AuditExportQuerySet:
        return self.filter(finished_at__lte=timezone.now() - KEPT_FOR)


class AuditExport(models.Model):
    """The audit log of a period in some funds, asked for by one person and only theirs to read."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting to start"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    funds = models.ManyToManyField(Fund, related_name="+", help_text="The funds it covers")
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=10, choices=Status, default=Status.REQUESTED)
    file = models.FileField(upload_to=export_key, blank=True, max_length=200)
    rows = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = AuditExportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Audit log {self.start:%-d %b %Y} to {self.end:%-d %b %Y}"

    @property
    def filename(self) -> str:
        return f"audit-log-{self.start:%Y-%m-%d}-to-{self.end:%Y-%m-%d}.csv"

    @property
    def kept_until(self):
        return self.finished_at + KEPT_FOR if self.finished_at else None
