"""A group's application: its answers, goals, budget, match funding, partners and documents,
the versions it sent, and what happened to it.

Every change goes through ``applications/services``; which sections an application asks for,
and when each is complete, is in ``applications/sections.py``.
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from fund.models import Fund, FundRole, Place, Round, Theme, Tier, money_field
from fund.money import PENNY
from organisations.models import Organisation
from questions.models import Question

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class ApplicationQuerySet(models.QuerySet["Application"]):
    """Who may read which application, in one place: every page, download and history reads
    applications through these, so a rule changed here changes everywhere."""

    def for_member(self, user: User | AnonymousUser) -> ApplicationQuerySet:
        """Applications of the groups ``user`` belongs to, drafts included."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user)

    def for_staff(self, user: User | AnonymousUser, *roles: str) -> ApplicationQuerySet:
        """Sent applications in the funds where ``user`` holds one of ``roles`` (officer or finance
        when none are named). A draft is the group's own until it is sent: no member of staff sees it,
        nor its history, even once it is withdrawn."""
        roles = roles or (FundRole.Role.OFFICER, FundRole.Role.FINANCE)
        return self.filter(round__fund__in=Fund.objects.with_role(user, *roles)).sent()

    def sent(self) -> ApplicationQuerySet:
        """Applications the group has sent at least once (a draft withdrawn before sending never was)."""
        return self.filter(submitted_at__isnull=False)

    def managed_by(self, user: User | AnonymousUser) -> ApplicationQuerySet:
        """Sent applications in the funds ``user`` is a fund officer of."""
        return self.for_staff(user, FundRole.Role.OFFICER)

    def active(self) -> ApplicationQuerySet:
        """Not withdrawn: what counts against a round's one-application rule."""
        return self.exclude(status=Application.Status.WITHDRAWN)

    def taking_the_groups_place(self) -> ApplicationQuerySet:
        """The round's one-application rule: an active application in a round that takes one per
        group stops that group starting another there."""
        return self.active().filter(round__one_application_per_organisation=True)


class Application(models.Model):
    """A group's application for an investment in one round. Its tier follows from the amount."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ELIGIBLE = "eligible", "Eligible"
        INELIGIBLE = "ineligible", "Not eligible"
        IN_REVIEW = "in_review", "Being assessed"
        AWARDED = "awarded", "Awarded"
        DECLINED = "declined", "Not funded"
        DEFERRED = "deferred", "More information needed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # The group may change its answers only in these states.
    EDITABLE = (Status.DRAFT, Status.DEFERRED)
    # Withdrawal is possible until a decision is made.
    UNDECIDED = (Status.DRAFT, Status.SUBMITTED, Status.ELIGIBLE, Status.IN_REVIEW, Status.DEFERRED)

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="applications")
    amount_requested = money_field("amount asked for (£)", validators=[MinValueValidator(PENNY)])
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    reference = models.CharField(max_length=30, unique=True, null=True, blank=True)

    # Your idea
    title = models.CharField("project name", max_length=120, blank=True)
    summary = models.TextField("what you will do", blank=True)
    who_it_helps = models.TextField("who it helps", blank=True)
    places = models.ManyToManyField(Place, blank=True, related_name="applications")
    why_it_matters = models.TextField("why it matters", blank=True)
    how_people_involved = models.TextField("how local people were involved", blank=True)
    sustainability_plan = models.TextField("how it will keep going", blank=True)

    # Declaration
    declaration_name = models.CharField("name of the person declaring", max_length=200, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    # Who signed it: the name above is theirs, whoever else works on the application.
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # What the fund team asked for when it sent the application back (status DEFERRED).
    information_requested = models.TextField(blank=True)

    completed_sections = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # When the retention policy removed the personal data of this unsuccessful application.
    personal_data_removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    # Set before save() for django-simple-history to record why the row changed.
    _change_reason: str

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="application_amount_positive"),
        ]
        indexes = [
            # The officers' queue, newest first a page at a time, without sorting every application.
            models.Index(fields=["-submitted_at", "id"], name="application_queue_order"),
        ]

    def __str__(self) -> str:
        return self.reference or self.title or f"Draft application {self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def can_be_withdrawn(self) -> bool:
        return self.status in self.UNDECIDED


class GoalQuerySet(models.QuerySet["Goal"]):
    def current(self) -> GoalQuerySet:
        """The goals the group reports against now: not retired, not replaced by a revision."""
        return self.filter(retired_at__isnull=True)


class Goal(models.Model):
    """A goal the group sets itself: what will be different for local people.

    After an award the group may change tack: a revision is a new goal that ``replaces`` the
    old one, which is retired; progress already reported stays with the goal as it was.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="goals")
    description = models.TextField("what will be different for local people")
    indicator = models.CharField("how you will know (optional)", max_length=200, blank=True)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=50, blank=True, help_text="For example: people, sessions, meals")
    themes = models.ManyToManyField(Theme, blank=True, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    change_reason = models.TextField("why it changed", blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retire_reason = models.TextField("why it was retired", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["application", "position", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class BudgetLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField("what it is for", max_length=200)
    amount = money_field("cost (£)", validators=[MinValueValidator(PENNY)])
    year = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["application", "year", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_amount_positive")]

    def __str__(self) -> str:
        return f"{self.item}: £{self.amount}"


class MatchFunding(models.Model):
    """Money or in-kind support from elsewhere towards the project."""

    class Status(models.TextChoices):
        SECURED = "secured", "Secured"
        PENDING = "pending", "Applied for, not yet confirmed"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="match_funding")
    source = models.CharField("who it is from", max_length=200)
    amount = money_field("amount or value (£)", validators=[MinValueValidator(PENNY)])
    in_kind = models.BooleanField(
        "support in kind", default=False, help_text="Goods, rooms or volunteers' time rather than money."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.SECURED)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name_plural = "match funding"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="match_funding_positive")]

    def __str__(self) -> str:
        return f"{self.source}: £{self.amount}"


def document_key(document: Document, filename: str) -> str:
    """An unguessable storage key; the person's file name is kept only in the database."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"applications/{uuid.uuid4().hex}/{secrets.token_urlsafe(16)}{suffix}"


class Document(models.Model):
    class Kind(models.TextChoices):
        CONSTITUTION = "constitution", "Constitution or governing document"
        ACCOUNTS = "accounts", "Latest accounts or bank statement"
        SAFEGUARDING = "safeguarding", "Safeguarding policy"
        PARTNER_LETTER = "partner_letter", "Letter of support from a partner"
        ANSWER = "answer", "A file given in answer to a question"
        OTHER = "other", "Something else"

    # Files that belong to another part of the application, not to its documents section.
    ATTACHED = (Kind.PARTNER_LETTER, Kind.ANSWER)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind)
    file = models.FileField(upload_to=document_key, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Partner(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField("organisation name", max_length=200)
    role = models.TextField("what they will do")
    letter = models.OneToOneField(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="partner"
    )

    class Meta:
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    """A group's answer to one of its round's own questions (``questions.Question``): the value as
    ``questions.answering`` keeps it, or the file given, as a document of the application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="question_answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    document = models.OneToOneField(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="answer"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "question"]
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.question}"


# What a group adds to its application in lists, a section each.
ApplicationItem = Goal | BudgetLine | MatchFunding | Partner


class ApplicationVersion(models.Model):
    """What the group submitted, each time: kept when an application is sent back and resubmitted."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    answers = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Who signed the declaration sent with this version (its "Declared by" answer is their name).
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="one_version_number_per_application"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} version {self.number}"


class ApplicationEvent(models.Model):
    """What happened to an application, by whom and when: the history staff see."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        ELIGIBLE = "eligible", "Marked eligible"
        INELIGIBLE = "ineligible", "Marked not eligible"
        SENT_BACK = "sent_back", "Sent back for more information"
        REVIEWER_ASSIGNED = "assigned", "Reviewer assigned"
        REVIEWER_REMOVED = "unassigned", "Reviewer removed"
        CONFLICT = "conflict", "Conflict of interest declared"
        NO_CONFLICT = "no_conflict", "No conflict of interest declared"
        SCORES_SUBMITTED = "scored", "Scores submitted"
        SCORES_CHANGED = "rescored", "Scores changed"
        REVIEW_REOPENED = "reopened", "Review reopened"
        AWARDED = "awarded", "Awarded"
        DECLINED = "declined", "Declined"
        DEFERRED = "deferred", "Deferred"
        AWARD_APPROVED = "award_approved", "Award approved by a second officer"
        OFFER_ACCEPTED = "offer_accepted", "Offer accepted"
        OFFER_DECLINED = "offer_declined", "Offer declined"
        OFFER_LAPSED = "offer_lapsed", "Offer lapsed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        STORY_APPROVED = "story_approved", "Story approved for publishing"
        STORY_WITHHELD = "story_withheld", "Story not to be published"
        GOALS_PROPOSED = "goals_proposed", "A change of goals proposed"
        GOALS_AGREED = "goals_agreed", "The change of goals agreed"
        GOALS_UNOPPOSED = "goals_unopposed", "The change of goals took effect, with no objection"
        GOALS_OBJECTED = "goals_objected", "The change of goals not agreed"
        GOALS_WITHDRAWN = "goals_withdrawn", "The change of goals withdrawn"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    details = models.TextField(blank=True)

    class Meta:
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.application}"
