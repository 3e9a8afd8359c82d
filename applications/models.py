"""A community group's journey: its organisation, its applications and what they hold.

Every change goes through ``applications/services``; which sections an
application asks for, and when each is complete, is in ``applications/sections.py``.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from fund.models import Fund, FundRole, Investment, Place, Round, Theme, Tier, money_field
from fund.money import PENNY

# --- Organisations -----------------------------------------------------------


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def for_member(self, user) -> OrganisationQuerySet:
        """The groups ``user`` belongs to. Nobody else's group exists for them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def owned_by(self, user) -> OrganisationQuerySet:
        return self.for_member(user).filter(memberships__role=Membership.Role.OWNER)


class Organisation(models.Model):
    """A community group, charity or social enterprise that applies for investment."""

    class LegalForm(models.TextChoices):
        UNINCORPORATED = "unincorporated", "Unincorporated community group"
        CHARITY = "charity", "Registered charity"
        CIO = "cio", "Charitable incorporated organisation (CIO)"
        CIC = "cic", "Community interest company (CIC)"
        CLG = "clg", "Company limited by guarantee"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    legal_form = models.CharField(max_length=20, choices=LegalForm)
    legal_form_other = models.CharField("other legal form", max_length=200, blank=True)
    charity_number = models.CharField(max_length=8, blank=True)
    company_number = models.CharField(max_length=8, blank=True)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100)
    postcode = models.CharField(max_length=8)
    places = models.ManyToManyField(Place, blank=True, related_name="organisations")
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_constituted(self) -> bool:
        return self.legal_form != self.LegalForm.UNINCORPORATED


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner: can change the group's details and invite people"
        MEMBER = "member", "Member: can work on applications"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An emailed invitation to join a group; accepted by signing in with that address.

    It can be used once, within ``VALID_DAYS`` of being sent: a link lying in an old mailbox
    should not let someone into the group years later."""

    VALID_DAYS = 30

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Membership.Role, default=Membership.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + timedelta(days=self.VALID_DAYS)

    def has_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at


# --- Applications ------------------------------------------------------------


class ApplicationQuerySet(models.QuerySet["Application"]):
    """Who may read which application, in one place: every page, download and history reads
    applications through these, so a rule changed here changes everywhere."""

    def for_member(self, user) -> ApplicationQuerySet:
        """Applications of the groups ``user`` belongs to, drafts included."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user)

    def for_staff(self, user, *roles: str) -> ApplicationQuerySet:
        """Sent applications in the funds where ``user`` holds one of ``roles`` (officer or finance
        when none are named). A draft is the group's own until it is sent: no member of staff sees it,
        nor its history, even once it is withdrawn."""
        roles = roles or (FundRole.Role.OFFICER, FundRole.Role.FINANCE)
        return self.filter(round__fund__in=Fund.objects.with_role(user, *roles)).sent()

    def sent(self) -> ApplicationQuerySet:
        """Applications the group has sent at least once (a draft withdrawn before sending never was)."""
        return self.filter(submitted_at__isnull=False)

    def managed_by(self, user) -> ApplicationQuerySet:
        """Sent applications in the funds ``user`` is a fund officer of."""
        return self.for_staff(user, FundRole.Role.OFFICER)

    def visible_to(self, user) -> ApplicationQuerySet:
        """Group members see their groups' applications; a fund's officers and finance see its
        sent ones; a reviewer sees one once they have declared no conflict with it."""
        if not user.is_authenticated:
            return self.none()
        reviewing = Review.objects.filter(
            reviewer=user, status__in=[Review.Status.IN_PROGRESS, Review.Status.SUBMITTED]
        ).values("application_id")
        return self.filter(
            Q(organisation__memberships__user=user)
            | Q(pk__in=Application.objects.for_staff(user).values("pk"))
            | Q(pk__in=reviewing)
        ).distinct()

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

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="application_amount_positive"),
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

    MAX_PER_APPLICATION = 5

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
        OTHER = "other", "Something else"

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


# --- Assessment --------------------------------------------------------------------


class ReviewQuerySet(models.QuerySet["Review"]):
    def for_reviewer(self, user) -> ReviewQuerySet:
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
    assigned_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.application}"

    @property
    def is_open_for_scoring(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


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


class Decision(models.Model):
    """The fund's decision on an application. An award creates the investment."""

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

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="award") | Q(amount__gt=0), name="an_award_has_an_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.application}"


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
        WITHDRAWN = "withdrawn", "Withdrawn"
        STORY_APPROVED = "story_approved", "Story approved for publishing"
        STORY_WITHHELD = "story_withheld", "Story not to be published"

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


# --- Monitoring: progress updates on the group's own goals -------------------------------


def update_window() -> timedelta:
    """How long before its due date an update opens: the group can start and send it from then."""
    return timedelta(days=settings.UPDATE_WINDOW_DAYS)


def overdue_grace() -> timedelta:
    """The grace days after the due date before an unsent update counts as overdue."""
    return timedelta(days=settings.UPDATE_OVERDUE_AFTER_DAYS)


def _published_story() -> Q:
    """What makes a story publishable, the one definition: the group sent it, the person in it agreed
    to it being shared, an officer of the fund approved it, and the investment was not cancelled."""
    return (
        Q(
            status__in=[ProgressUpdate.Status.SUBMITTED, ProgressUpdate.Status.ACKNOWLEDGED],
            story_consent=True,
            story_approved_at__isnull=False,
        )
        & ~Q(story="")
        & ~Q(investment__status=Investment.Status.CANCELLED)
    )


def _published_photo() -> Q:
    """A published story's photo, when the people in it agreed and the officer published it too."""
    return _published_story() & Q(photo_consent=True, photo_approved=True) & ~Q(photo="")


class ProgressUpdateQuerySet(models.QuerySet["ProgressUpdate"]):
    def for_member(self, user) -> ProgressUpdateQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(investment__application__organisation__memberships__user=user)

    def visible_to(self, user) -> ProgressUpdateQuerySet:
        """Updates ``user`` may read: all of their own group's, and the sent ones of the investments
        they look after (officers and finance of the fund, the current mentor)."""
        if not user.is_authenticated:
            return self.none()
        looked_after = Investment.objects.filter(
            Q(round__fund__in=Fund.objects.with_role(user, FundRole.Role.OFFICER, FundRole.Role.FINANCE))
            | Q(pk__in=Investment.objects.mentored_by(user).values("pk"))
        )
        return self.filter(
            Q(investment__in=Investment.objects.for_member(user).values("pk"))
            | Q(investment__in=looked_after.values("pk"), status__in=SENT)
        )

    def open(self) -> ProgressUpdateQuerySet:
        """Not yet sent by the group."""
        return self.filter(status__in=[ProgressUpdate.Status.DUE, ProgressUpdate.Status.DRAFT])

    def sent(self) -> ProgressUpdateQuerySet:
        """Sent by the group, whether or not the fund team has read it yet."""
        return self.filter(status__in=SENT)

    def of_running_investments(self) -> ProgressUpdateQuerySet:
        """Updates of investments still running: not closed, ended early or cancelled. Only these
        are still asked for (``ProgressUpdate.investment_is_running`` says the same of one)."""
        return self.filter(investment__status=Investment.Status.ACTIVE, investment__closed_at__isnull=True)

    def overdue(self, today: date) -> ProgressUpdateQuerySet:
        """The one definition of overdue, for pages, reminders and figures: not sent, on an investment
        still running, and past the grace days after the due date. ``ProgressUpdate.is_overdue`` says
        the same of one update; a test holds the two together."""
        return self.open().of_running_investments().filter(due_date__lte=today - overdue_grace())

    def published_stories(self) -> ProgressUpdateQuerySet:
        """Stories that may be published (``_published_story``): for the public pages and board packs."""
        return self.filter(_published_story())

    def published_photos(self) -> ProgressUpdateQuerySet:
        """Published stories whose photo may be shown with them."""
        return self.filter(_published_photo())

    def with_publication(self) -> ProgressUpdateQuerySet:
        """Each update marked ``story_published`` and ``photo_published``, by the same definitions."""
        return self.annotate(
            story_published=ExpressionWrapper(_published_story(), output_field=models.BooleanField()),
            photo_published=ExpressionWrapper(_published_photo(), output_field=models.BooleanField()),
        )


def update_photo_key(update: ProgressUpdate, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"updates/{uuid.uuid4().hex}/{secrets.token_urlsafe(16)}{suffix}"


class ProgressUpdate(models.Model):
    """A short report on the group's goals, due by the tier's cadence."""

    class Status(models.TextChoices):
        DUE = "due", "Due"
        DRAFT = "draft", "Started"
        SUBMITTED = "submitted", "Sent"
        ACKNOWLEDGED = "acknowledged", "Read by the fund team"

    investment = models.ForeignKey("fund.Investment", on_delete=models.CASCADE, related_name="updates")
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status, default=Status.DUE)
    final = models.BooleanField(default=False, help_text="The last update, when the investment closes")

    story = models.TextField("a story of someone you helped", blank=True)
    story_consent = models.BooleanField("the person agreed to their story being shared", default=False)
    story_anonymous = models.BooleanField("publish the story without names", default=True)
    photo = models.FileField(upload_to=update_photo_key, blank=True, max_length=200)
    # The photo's size as shown (turned upright), so pages can give its thumbnail's size.
    photo_width = models.PositiveIntegerField(null=True, blank=True)
    photo_height = models.PositiveIntegerField(null=True, blank=True)
    photo_description = models.CharField("what the photo shows", max_length=200, blank=True)
    photo_consent = models.BooleanField("the people in the photo agreed to it being published", default=False)
    people_reached = models.PositiveIntegerField(null=True, blank=True)
    volunteer_hours = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    officer_comment = models.TextField("comment for the group", blank=True)

    # An officer's approval to publish the story (and, if they chose, its photo), or why not.
    story_approved_at = models.DateTimeField(null=True, blank=True)
    story_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    photo_approved = models.BooleanField("the photo is published with the story", default=False)
    story_withheld_reason = models.TextField("why the story is not published", blank=True)

    # When each reminder went, so running the reminders twice sends nothing twice.
    reminded_before_on = models.DateField(null=True, blank=True)
    reminded_due_on = models.DateField(null=True, blank=True)
    reminded_overdue_on = models.DateField(null=True, blank=True)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["investment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["investment", "number"], name="one_update_number_per_investment"),
        ]

    def __str__(self) -> str:
        return f"Update {self.number} on {self.investment}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DUE, self.Status.DRAFT)

    @property
    def is_sent(self) -> bool:
        return self.status in SENT

    @property
    def opens_on(self) -> date:
        """The first day the group can start and send this update (``update_window``)."""
        return self.due_date - update_window()

    def has_opened(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) >= self.opens_on

    @property
    def overdue_from(self) -> date:
        """The day it counts as overdue if still not sent."""
        return self.due_date + overdue_grace()

    @property
    def investment_is_running(self) -> bool:
        """As ``ProgressUpdateQuerySet.of_running_investments``, for one update."""
        return self.investment.status == Investment.Status.ACTIVE and self.investment.closed_at is None

    def is_overdue(self, today: date | None = None) -> bool:
        """As ``ProgressUpdateQuerySet.overdue``, for one update (a test holds the two together)."""
        today = today or timezone.localdate()
        return self.is_open and self.investment_is_running and today >= self.overdue_from

    @property
    def photo_may_be_published(self) -> bool:
        """The group sent a photo and said the people in it agreed to it being published."""
        return bool(self.photo) and self.photo_consent

    @property
    def photo_alt(self) -> str:
        return self.photo_description or f"Photo sent with update {self.number}"

    @property
    def public_photo_alt(self) -> str:
        """The group's words for the photo, except on a story told without names, where they might
        name someone."""
        return "A photo from this story" if self.story_anonymous else self.photo_alt


SENT = [ProgressUpdate.Status.SUBMITTED, ProgressUpdate.Status.ACKNOWLEDGED]


class GoalProgress(models.Model):
    """How one goal is going, in one update."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        SOME_PROGRESS = "some_progress", "Some progress"
        NOT_YET = "not_yet", "Not yet"
        CHANGED = "changed", "We changed our approach"

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(max_length=14, choices=Status, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["update", "goal__position", "goal__pk"]
        constraints = [
            models.UniqueConstraint(fields=["update", "goal"], name="one_progress_per_goal_per_update")
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_status_display()}"
