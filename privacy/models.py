from django.conf import settings
from django.db import models
from django.utils import timezone


class Erasure(models.Model):
    """An erasure request an officer carried out.

    It names the placeholder the person became, never who they were: keeping their name here
    would undo the erasure. ``reference`` is the council's own case number for the request.
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="erasure", verbose_name="placeholder"
    )
    reference = models.CharField(
        "request reference",
        max_length=50,
        help_text="The council's case reference, for example DP-2026-0042. Not the person's name.",
    )
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    erased_at = models.DateTimeField(default=timezone.now)
    # What was removed and what was kept, as counts, for the council's record of the request.
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"Erasure {self.reference}"
