"""A panel's assessment of an application: reviews, conflicts, scores, the panel's meetings and the
fund's decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from applications.models import Application
from fund.models import Round, money_field

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class ReviewQuerySet(models.QuerySet["Review"]):
    def for_reviewer(self, user: User | AnonymousUser) -> ReviewQuerySet:
        """A panel member's reviews that they may open: not the ones they declared a conflict on."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(reviewer=user).exclude(status=Review.Status.CONFLICTED)

    def submitted(self) -> ReviewQuerySet:
        return self.filter(status=Review.Status.SUBMITTED)


class Review(models.Model):
    """One panel member's assessment of one application."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Waiting for a conflict of interest declaration"
        CONFLICTED = "conflicted", "Conflict of interest declared"
        IN_PROGRESS = "in_progress", "Being scored"
        SUBMITTED = "submitted", "Scores submitted"

    class Recommendation(models.TextChoices):
        FUND = "fund", "Fund"
        FUND_WITH_CONDITIONS = "conditions", "Fund with conditions"
        DO_NOT_FUND = "do_not_fund", "Do not fund"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(max_length=12, choices=Status, default=Status.ASSIGNED)
    conflict_reason = models.TextField(blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    recommendation = models.CharField(max_length=12, choices=Recommendation, blank=True)
    comment = models.TextField("overall comment", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When the panel member was reminded of the round's review deadline: before it, and once late.
    reminded_before_on = models.DateField(null=True, blank=True)
    reminded_late_on = models.DateField(null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.application}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("fund.Criterion", on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {'not scored yet' if self.score is None else self.score}"


class PanelMeeting(models.Model):
    """A meeting of a round's panel. Its decisions are recorded in one sitting and nothing reaches
    the groups until an officer releases them together."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField("date of the meeting")
    attendees = models.TextField("who was there", blank=True)
    notes = models.TextField("other notes for the minutes", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the round had awarded before the release, by tier ({tier pk: "amount"}): the minutes
    # keep the figures the meeting decided against, whatever happens to those awards later.
    awarded_before = models.JSONField(default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.round.name} panel, {self.held_on:%-d %B %Y}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class Decision(models.Model):
    """The fund's decision on an application. An award creates the investment.

    A decision made at a panel meeting waits there (``released_at`` empty) until the meeting's
    decisions are released together; one an officer makes alone is released as it is made."""

    class Outcome(models.TextChoices):
        AWARD = "award", "Award"
        DECLINE = "decline", "Decline"
        DEFER = "defer", "Defer to a later meeting"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome)
    amount = money_field("amount awarded (£)", null=True, blank=True)
    conditions = models.TextField(blank=True)
    partnership_required = models.BooleanField(default=False)
    mentor_required = models.BooleanField(default=False)
    reason = models.TextField(blank=True, help_text="For the record: why the fund decided this")
    feedback = models.TextField(blank=True, help_text="What the group is told")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    start_date = models.DateField(
        null=True, blank=True, help_text="An award's start: empty for its release date"
    )
    meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    deferred_to = models.ForeignKey(
        PanelMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="deferred_here"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    # An award above the fund's sign-off limit, approved by a second officer.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="award") | Q(amount__gt=0), name="an_award_has_an_amount"
            ),
            models.UniqueConstraint(
                fields=["application", "meeting"],
                name="one_decision_per_meeting",
                condition=Q(meeting__isnull=False),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("decided_by")),
                name="approved_by_someone_else",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.application}"
