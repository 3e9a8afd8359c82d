"""Mentors: council officers named for the larger investments, keeping a light record."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from fund.models import Place, Theme
from investments.models import Investment


class MentorProfile(models.Model):
    """What a mentor offers: how many investments they can take, what they know, where they work."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    capacity = models.PositiveSmallIntegerField(
        "investments they can mentor at once",
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
    )
    expertise = models.ManyToManyField(Theme, blank=True, related_name="mentors", verbose_name="expertise")
    places = models.ManyToManyField(Place, blank=True, related_name="mentors", verbose_name="places covered")
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return str(self.user)


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def current(self) -> AssignmentQuerySet:
        return self.filter(ended_at__isnull=True)


class Assignment(models.Model):
    """A mentor named for an investment. Re-assigning ends the old one and keeps it."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="mentor_assignments")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentor_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField("why over capacity", blank=True)

    objects = AssignmentQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["investment", "-assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["investment"],
                condition=Q(ended_at__isnull=True),
                name="one_current_mentor_per_investment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.investment}"


class NoteQuerySet(models.QuerySet["Note"]):
    def shared(self) -> NoteQuerySet:
        """Notes the mentor shared with the group: what its members may read."""
        return self.filter(visibility=Note.Visibility.SHARED)


class Note(models.Model):
    """A meeting or a note. Private notes are for staff; shared ones the group sees too."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        NOTE = "note", "Note"

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private: the fund team and mentors only"
        SHARED = "shared", "Shared with the group"

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="mentor_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.NOTE)
    met_on = models.DateField(null=True, blank=True)
    text = models.TextField()
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.PRIVATE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["investment", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.investment}"


class Concern(models.Model):
    """Something a mentor is worried about; on the officer's dashboard until resolved."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("what the concern is")
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["investment", "-raised_at"]

    def __str__(self) -> str:
        return f"Concern on {self.investment}"
