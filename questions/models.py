"""The questions a fund asks of its own in a round, around the built-in sections of an application.

A round's officers group them in sections they name and place among the built-in sections (or at
the very start, where an answer can stop an application before the group spends time on the rest).
Once a round has a sent application its questions are locked: a hint or a typo may be put right,
but anything that would change what a sent answer means is a new version of the question, which
replaces the old one for groups still writing; the old one stays with the answers given to it.

The answers themselves belong to applications (``applications.Answer``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from fund.models import Fund, Round, Tier


class Placement(models.TextChoices):
    """Where a section of the round's own comes among the built-in sections of the task list."""

    START = "start", "At the very start, before anything else (for questions that decide who can apply)"
    ORGANISATION = "organisation", "After ‘About your group’"
    IDEA = "idea", "After ‘Your idea’"
    GOALS = "goals", "After ‘Your goals’"
    BUDGET = "budget", "After ‘Budget’"
    MATCH_FUNDING = "match-funding", "After ‘Match funding and support in kind’ (start-up and big idea)"
    PARTNERS = "partners", "After ‘Partners’ (where a tier asks for them)"
    DOCUMENTS = "documents", "After ‘Documents’, just before the declaration"


class Kind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text, on one line"
    LONG_TEXT = "long_text", "Long text, with a word limit"
    WHOLE_NUMBER = "whole_number", "A whole number"
    MONEY = "money", "An amount of money"
    YES_NO = "yes_no", "Yes or no"
    ONE_OF = "one_of", "One from a list"
    SEVERAL_OF = "several_of", "One or more from a list"
    DATE = "date", "A date"
    FILE = "file", "A file to upload"


# Kinds whose answer can stop an application, and kinds that need a list of options.
STOPPING_KINDS = (Kind.YES_NO, Kind.ONE_OF)
LIST_KINDS = (Kind.ONE_OF, Kind.SEVERAL_OF)
YES, NO = "Yes", "No"


class QuestionSection(models.Model):
    """A section of a round's own questions, with a title and a place in the task list."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="question_sections")
    title = models.CharField(max_length=100)
    hint = models.CharField("what the section is about", max_length=200, blank=True)
    placement = models.CharField(max_length=20, choices=Placement, default=Placement.IDEA)
    position = models.PositiveSmallIntegerField(default=0)
    # Removed once applications were sent: kept for the answers given in it, asked no more.
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "title"],
                condition=Q(retired_at=None),
                name="question_section_title_unique_in_round",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def slug(self) -> str:
        """Its name in the application's task list and completed sections."""
        return f"questions-{self.pk}"

    @property
    def at_start(self) -> bool:
        return self.placement == Placement.START


class QuestionWording(models.Model):
    """What a question asks and what counts as an answer: shared by a round's questions and the
    fund's library of questions it reuses."""

    kind = models.CharField(max_length=20, choices=Kind)
    label = models.CharField("question", max_length=300)
    hint = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=True)
    # Long text: the most words an answer may have.
    word_limit = models.PositiveIntegerField(null=True, blank=True)
    # One or several from a list: the options, in order.
    options = models.JSONField(default=list, blank=True)
    # Yes or no, or one from a list: the answers that stop an application, and what the group is told.
    stopping_answers = models.JSONField(default=list, blank=True)
    stop_reason = models.TextField(blank=True)
    # An answer the retention policy removes with the rest of a group's personal data.
    personal_data = models.BooleanField(default=False)

    WORDING_FIELDS = (
        "kind",
        "label",
        "hint",
        "required",
        "word_limit",
        "options",
        "stopping_answers",
        "stop_reason",
        "personal_data",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def choices(self) -> list[str]:
        """The answers a group chooses from, for the kinds that have a list."""
        if self.kind == Kind.YES_NO:
            return [YES, NO]
        return list(self.options) if self.kind in LIST_KINDS else []

    def wording(self) -> dict:
        return {name: getattr(self, name) for name in self.WORDING_FIELDS}


class QuestionQuerySet(models.QuerySet["Question"]):
    def current(self) -> QuestionQuerySet:
        """The questions groups answer now: not replaced by a newer version, not removed."""
        return self.filter(retired_at__isnull=True)

    def for_tier(self, tier: Tier | int) -> QuestionQuerySet:
        """Questions a tier sees: those that name it, and those that name no tier at all."""
        return self.filter(seen_by(tier))


def seen_by(tier: Tier | int) -> Q:
    """The questions a tier sees, as a condition: subqueries on the tiers' table, so no join
    multiplies the rows (and no DISTINCT is needed to put them back)."""
    named = Question.tiers.through.objects
    return ~Q(pk__in=named.values("question_id")) | Q(pk__in=named.filter(tier=tier).values("question_id"))


class Question(QuestionWording):
    section = models.ForeignKey(QuestionSection, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    # No tier named: every tier sees it.
    tiers = models.ManyToManyField(Tier, blank=True, related_name="questions")
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    # The audit trail: every wording a question has had, who changed it and when.
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "position", "pk"]

    @property
    def field_name(self) -> str:
        return f"question_{self.pk}"


class LibraryQuestion(QuestionWording):
    """A question a fund keeps to ask again in later rounds."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="question_library")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fund", "label", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "label"], name="library_question_label_unique_in_fund")
        ]
