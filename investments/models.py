"""After an award: the investment, its tranches and their ledger, and the group's progress updates.

Payments and closing go through ``investments/services/payments.py``; updates, goals changed
after the award and reminders through ``investments/services/monitoring.py``.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from applications.models import BudgetLine, Goal
from fund.models import ZERO, Fund, FundRole, Round, Tier, money_field
from fund.money import PENNY, pounds
from organisations.models import BankDetails

if TYPE_CHECKING:
    from decimal import Decimal

    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class InvestmentQuerySet(models.QuerySet["Investment"]):
    def committed(self) -> InvestmentQuerySet:
        """Investments that count against a round's budget (all but those withdrawn)."""
        return self.exclude(status=Investment.Status.CANCELLED)

    def taken_up(self) -> InvestmentQuerySet:
        """Awards the group has taken up: committed, and their offer accepted (or made before
        offers existed). What the fund publishes: an offer still waiting may yet lapse."""
        return self.committed().exclude(offer__status=Offer.Status.WAITING)

    def managed_by(self, user: User | AnonymousUser) -> InvestmentQuerySet:
        return self.filter(round__fund__in=Fund.objects.managed_by(user))

    def for_member(self, user: User | AnonymousUser) -> InvestmentQuerySet:
        """Investments in the groups ``user`` belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(application__organisation__memberships__user=user)

    def mentored_by(self, user: User | AnonymousUser) -> InvestmentQuerySet:
        """Investments ``user`` is the current mentor of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(mentor_assignments__mentor=user, mentor_assignments__ended_at__isnull=True)

    def for_finance(self, user: User | AnonymousUser) -> InvestmentQuerySet:
        return self.filter(round__fund__in=Fund.objects.with_role(user, FundRole.Role.FINANCE))

    def with_paid(self) -> InvestmentQuerySet:
        """Each investment with ``paid``: what has been paid so far, reversals taken off."""
        return self.annotate(paid=paid_so_far(OuterRef("pk"), through="payment__investment"))


class Investment(models.Model):
    """An award: the money the fund commits to a group's project, paid in tranches."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"
        CANCELLED = "cancelled", "Cancelled before any payment"

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="investment"
    )
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="investments")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="investments")
    amount = money_field("amount (£)", validators=[MinValueValidator(PENNY)])
    start_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status, default=Status.ACTIVE)
    mentor_required = models.BooleanField(default=False)
    conditions = models.TextField(blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="When the final update is due")
    created_at = models.DateTimeField(auto_now_add=True)

    # Closing
    class Outcome(models.TextChoices):
        SELF_SUSTAINING = "self_sustaining", "Keeps going on its own"
        OTHER_FUNDING = "other_funding", "Continues with other funding"
        ENDED = "ended", "Has ended"

    outcome = models.CharField(max_length=16, choices=Outcome, blank=True)
    lessons = models.TextField("lessons learned", blank=True)
    end_reason = models.TextField("why it ended early", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = InvestmentQuerySet.as_manager()

    history = HistoricalRecords()

    # On rows read through ``with_paid()`` only.
    paid: Decimal

    class Meta:
        ordering = ["-start_date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="investment_amount_positive")]

    def __str__(self) -> str:
        return f"Investment in {self.application}"


class Offer(models.Model):
    """The fund's written offer of an award: the group's named member accepts its terms, or declines.
    Nothing is paid until it is accepted; one not accepted by ``respond_by`` lapses and its money
    returns to the round. Investments made before offers existed have none and are paid as before."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the group"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        LAPSED = "lapsed", "Lapsed: not accepted in time"

    investment = models.OneToOneField(Investment, on_delete=models.CASCADE, related_name="offer")
    status = models.CharField(max_length=8, choices=Status, default=Status.WAITING)
    respond_by = models.DateField()
    terms = models.TextField(help_text="The fund's terms when the offer was made: one a line")
    created_at = models.DateTimeField(auto_now_add=True)
    chased_on = models.DateField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_name = models.CharField("your full name", max_length=200, blank=True)
    signed_position = models.CharField("your position in the group", max_length=100, blank=True)
    decline_reason = models.TextField("why the group declines", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["respond_by", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | (Q(responded_at__isnull=False) & ~Q(signed_name="")),
                name="an_accepted_offer_is_signed",
            )
        ]

    def __str__(self) -> str:
        return f"Offer to {self.investment.application}"

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING


class PaymentQuerySet(models.QuerySet["Payment"]):
    def with_paid(self) -> PaymentQuerySet:
        """Each tranche with ``paid``: what its ledger entries add up to (reversals taken off)."""
        return self.annotate(paid=paid_so_far(OuterRef("pk"), through="payment"))


class Payment(models.Model):
    """One tranche of an investment, released only when its conditions hold. What was paid against
    it is in its ledger (``entries``); it is paid when they add up to its amount."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Not paid yet"
        PART_PAID = "part_paid", "Part paid"
        PAID = "paid", "Paid"

    class Condition(models.TextChoices):
        MENTOR_ASSIGNED = "mentor_assigned", "A mentor is assigned"
        UPDATE_ACKNOWLEDGED = "update_acknowledged", "The last update due has been read by the fund team"

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="payments")
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    amount = money_field("amount (£)", validators=[MinValueValidator(PENNY)])
    # Kept by ``fund.services`` from the ledger, in the same transaction, for lists and filters.
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)
    release_conditions = models.JSONField(default=list, blank=True)

    objects = PaymentQuerySet.as_manager()

    history = HistoricalRecords()

    # On rows read through ``with_paid()`` only.
    paid: Decimal
    # Set before save() for django-simple-history to name the person in the audit trail.
    _history_user: User

    class Meta:
        ordering = ["investment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["investment", "number"], name="one_payment_number_per_investment"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Payment {self.number} of {self.investment}"


def evidence_key(condition: AwardCondition, filename: str) -> str:
    """An unguessable storage key; the file's own name is kept only in the database."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"conditions/{uuid.uuid4().hex}/{secrets.token_urlsafe(16)}{suffix}"


class AwardCondition(models.Model):
    """One condition of an award, holding back the tranche it is attached to until an officer
    accepts the group's evidence that it is met."""

    class Status(models.TextChoices):
        OPEN = "open", "To meet"
        SENT = "sent", "Evidence sent, to check"
        MET = "met", "Met"

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="award_conditions")
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="award_conditions")
    text = models.TextField("the condition")
    status = models.CharField(max_length=4, choices=Status, default=Status.OPEN)
    evidence_note = models.TextField(blank=True)
    evidence = models.FileField(upload_to=evidence_key, max_length=200, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    evidence_sent_at = models.DateTimeField(null=True, blank=True)
    evidence_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_again = models.TextField("what more the officer asked for", blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["investment", "payment__number", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="award_condition_has_words"),
        ]

    def __str__(self) -> str:
        return f"Condition of {self.investment}: {self.text[:60]}"


class GoalChange(models.Model):
    """A change of tack a group proposes after its award: a goal changed, added or stopped.

    It waits for the fund team: it takes effect when an officer agrees, or by itself once the
    fund's ``goal_change_days`` have passed without an objection (``takes_effect_on``). An
    officer who objects says why, in the group's conversation; the goals stay as they were.
    """

    class Kind(models.TextChoices):
        CHANGE = "change", "Change a goal"
        ADD = "add", "Add a goal"
        STOP = "stop", "Stop a goal"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for the fund team"
        AGREED = "agreed", "Agreed"
        UNOPPOSED = "unopposed", "Took effect with no objection"
        OBJECTED = "objected", "Not agreed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        LAPSED = "lapsed", "Not decided before the investment closed"

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="goal_changes")
    kind = models.CharField(max_length=6, choices=Kind)
    # The goal changed or stopped; none for a goal added.
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="changes")
    # The goal as proposed (a change or an addition), in the words of ``applications.Goal``.
    description = models.TextField("what will be different for local people", blank=True)
    indicator = models.CharField("how you will know (optional)", max_length=200, blank=True)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=50, blank=True)
    themes = models.ManyToManyField("fund.Theme", blank=True, related_name="+")
    reason = models.TextField("why")
    status = models.CharField(max_length=9, choices=Status, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    takes_effect_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    objection = models.TextField("why the fund team did not agree", blank=True)
    # The goal the change made, once it took effect (for a change or an addition).
    result = models.OneToOneField(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposed_as"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["investment", "proposed_at", "pk"]
        indexes = [models.Index(fields=["status", "takes_effect_on"], name="goal_change_due")]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="goal_change_has_reason"),
            models.CheckConstraint(
                condition=Q(kind="add", goal__isnull=True) | (~Q(kind="add") & Q(goal__isnull=False)),
                name="goal_change_names_its_goal",
            ),
            # One change waiting at a time for each goal.
            models.UniqueConstraint(
                fields=["goal"], condition=Q(status="proposed"), name="goal_change_one_waiting_per_goal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.investment}: {self.get_status_display()}"

    @property
    def waiting(self) -> bool:
        return self.status == self.Status.PROPOSED


class PaymentEntry(models.Model):
    """Money finance recorded against a tranche, or the reversal of such an entry.

    Entries are never changed or deleted: a mistake is put right by a reversing entry (the same
    amount, negative), so the ledger always shows what happened and who did it.
    """

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="entries")
    amount = money_field("amount (£)")
    paid_on = models.DateField("date paid")
    reference = models.CharField("payment reference", max_length=100)
    # Finance's word that the award's conditions for this payment are met, when it has some.
    conditions_note = models.TextField("how the conditions are met", blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    reason = models.TextField("why it was reversed", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    # Set before save() for django-simple-history to name the person in the audit trail.
    _history_user: User

    class Meta:
        ordering = ["payment", "recorded_at", "pk"]
        verbose_name_plural = "payment entries"
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="payment_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="only_a_reversal_is_negative",
            ),
        ]

    def __str__(self) -> str:
        what = "Reversal" if self.reverses_id else "Payment"
        return f"{what} of {pounds(self.amount)} against tranche {self.payment.number}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


def paid_so_far(outer: OuterRef, *, through: str) -> Coalesce:
    """The one sum of what has been paid: ledger entries (reversals negative) of the tranche or
    investment ``outer`` names, ``through`` being the entry's path to it. A subquery, so it never
    multiplies with other joins."""
    total = (
        PaymentEntry.objects.filter(**{through: outer})
        .order_by()
        .values(through)
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = models.DecimalField(max_digits=12, decimal_places=2)
    return Coalesce(Subquery(total, output_field=money), Value(ZERO, output_field=money))


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
    def visible_to(self, user: User | AnonymousUser) -> ProgressUpdateQuerySet:
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

    def stories_to_approve(self) -> ProgressUpdateQuerySet:
        """Stories an officer has still to approve or withhold (``can_approve_story`` allows it):
        sent, with the person's agreement, on an investment not cancelled."""
        return (
            self.filter(status__in=SENT, story_consent=True, story_approved_at__isnull=True)
            .exclude(story="")
            .filter(story_withheld_reason="")
            .exclude(investment__status=Investment.Status.CANCELLED)
        )

    def waiting_to_be_read(self) -> ProgressUpdateQuerySet:
        """Sent by the group, not yet read by the fund team."""
        return self.filter(status=ProgressUpdate.Status.SUBMITTED)

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

    def published_with_names(self) -> ProgressUpdateQuerySet:
        """Published stories the group let be told with names: these may be linked from the
        group's investment on the public pages."""
        return self.published_stories().filter(story_anonymous=False)

    def published_without_names(self) -> ProgressUpdateQuerySet:
        """Published stories to be told without names: shown apart from any group, so that a
        page never links one to the group it came from."""
        return self.published_stories().filter(story_anonymous=True)

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

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="updates")
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

    # On rows read through ``with_publication()`` only.
    story_published: bool
    photo_published: bool

    class Meta:
        ordering = ["investment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["investment", "number"], name="one_update_number_per_investment"),
        ]
        indexes = [
            # The oldest updates waiting to be read and the longest overdue, without sorting them all.
            models.Index(fields=["submitted_at"], name="update_submitted_order"),
            models.Index(fields=["due_date"], name="update_due_order"),
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
    def told_by(self) -> str:
        """Who a published story is credited to: its group, or, for a story told without names,
        only the tier it was funded through, so nothing leads back to the group."""
        if self.story_anonymous:
            return f"a group funded through the {self.investment.tier.name.lower()} tier"
        return self.investment.application.organisation.name

    @property
    def public_title(self) -> str:
        if self.story_anonymous:
            return "A story from a group we funded"
        return f"A story from {self.investment.application.title}"

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


class PaymentRun(models.Model):
    """Tranches finance pays together: checked, downloaded for the council's finance system, and
    marked paid once, which records each tranche's payment in the ledger."""

    class Status(models.TextChoices):
        READY = "ready", "Ready to pay"
        PAID = "paid", "Paid"
        # Dropped before it was paid: its payments free for another run, its number never reused.
        DISCARDED = "discarded", "Discarded"

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="payment_runs")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status, default=Status.READY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    paid_on = models.DateField("date paid", null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fund", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "number"], name="one_payment_run_number_per_fund"),
        ]

    def __str__(self) -> str:
        return f"Payment run {self.number} ({self.fund.name})"

    @property
    def reference(self) -> str:
        return f"{self.fund.reference_prefix}-RUN-{self.number:04d}"


class PaymentRunLine(models.Model):
    """One tranche in a run, with the checked bank details it is paid into. A tranche is in one
    run at most: a run is never paid twice, nor a tranche in two runs."""

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="lines")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="run_line")
    amount = money_field("amount (£)", validators=[MinValueValidator(PENNY)])
    bank_details = models.ForeignKey(BankDetails, on_delete=models.PROTECT, related_name="+")
    entry = models.OneToOneField(
        PaymentEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="run_line"
    )

    class Meta:
        ordering = ["run", "pk"]

    def __str__(self) -> str:
        return f"{self.run}: {self.payment}"


class SpendReport(models.Model):
    """What a group says, in a progress update, it spent on one line of its approved budget since
    its last update. Optional, a line at a time: light-touch, not a set of accounts."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="spend")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="spend_reports")
    amount = money_field("spent (£)", validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        ordering = ["update", "budget_line"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "budget_line"], name="one_spend_report_per_line_per_update"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="spend_report_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.update}: {self.budget_line.item}"
