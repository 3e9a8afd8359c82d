"""The fund's shape: funds, their tiers, rounds, criteria, places, themes and staff roles.

Rules that span several rows (tier bands are contiguous, a round's allocations
fit its budget) are in ``fund/rules.py``; the changes that must respect them are
in ``fund/services.py``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from fund.money import PENNY, pounds

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

ZERO = Decimal("0.00")


def money_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """Pounds with pence: never a float."""
    kwargs.setdefault("max_digits", 12)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(verbose_name, **kwargs)


# One term a line: each prints as its own numbered paragraph in the offer letter.
DEFAULT_OFFER_TERMS = "\n".join(
    [
        "The group will spend the investment only on the project described in its application, as the "
        "fund agreed it, and will ask the fund before changing what it does with the money.",
        "The group will tell the fund about its progress by each reporting date, and keep receipts for "
        "what it spends for six years.",
        "The group will tell the fund at once if the project cannot go ahead, or if its bank details, "
        "its name or the people who run it change.",
        "Money not spent on the project, or spent on something the fund did not agree, must be paid "
        "back if the fund asks.",
        "The group will say that the project is supported by the fund in what it publishes about it.",
    ]
)


class FundQuerySet(models.QuerySet["Fund"]):
    def with_role(self, user: User | AnonymousUser, *roles: str) -> FundQuerySet:
        """Funds in which ``user`` holds one of ``roles`` (any role when none are named)."""
        if not user.is_authenticated:
            return self.none()
        filters = Q(roles__user=user)
        if roles:
            filters &= Q(roles__role__in=roles)
        return self.filter(filters).distinct()

    def managed_by(self, user: User | AnonymousUser) -> FundQuerySet:
        return self.with_role(user, FundRole.Role.OFFICER)


class Fund(models.Model):
    """One council's fund. A deployment can host several (a county and its districts)."""

    class Currency(models.TextChoices):
        GBP = "GBP", "Pounds sterling"

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, help_text="Used in web addresses, e.g. 'deal-for-communities'.")
    council_name = models.CharField("owning council", max_length=200)
    description = models.TextField(blank=True)
    org_identifier = models.CharField(
        "360Giving organisation identifier",
        max_length=100,
        help_text="The council's org-id.guide identifier, e.g. GB-LAE-WGN.",
    )
    grant_prefix = models.CharField(
        "360Giving identifier prefix",
        max_length=100,
        help_text="The prefix registered with 360Giving, e.g. 360G-wigan.",
    )
    reference_prefix = models.CharField(
        max_length=10,
        help_text="Starts every application reference, e.g. DFC for DFC-2026-00042.",
    )
    currency = models.CharField(max_length=3, choices=Currency, default=Currency.GBP)
    goal_change_days = models.PositiveSmallIntegerField(
        "days a change of goals waits",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="A group's changed goals take effect when an officer agrees, or after this many "
        "days if nobody objects.",
    )
    signoff_limit = money_field(
        "awards above this need a second officer",
        null=True,
        blank=True,
        validators=[MinValueValidator(PENNY)],
        help_text="An award of more than this waits for another fund officer's approval before it is "
        "released. Empty: no award needs one.",
    )
    offer_days = models.PositiveSmallIntegerField(
        "days a group has to accept an offer",
        default=28,
        validators=[MinValueValidator(7), MaxValueValidator(90)],
        help_text="A group is reminded a week before; an offer not accepted by then lapses and its "
        "money returns to the round.",
    )
    offer_terms = models.TextField(
        "the terms of an offer",
        default=DEFAULT_OFFER_TERMS,
        help_text="Printed in every offer letter; the group accepts them.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def offer_deadline(self, made_on: date) -> date:
        """The last day to accept an offer made on ``made_on``."""
        return made_on + timedelta(days=self.offer_days)


class Place(models.Model):
    """An area the fund serves, e.g. one of seven service delivery footprints."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["fund", "name"]
        constraints = [models.UniqueConstraint(fields=["fund", "name"], name="place_name_unique_in_fund")]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """An outcome objective the fund works towards, e.g. wellbeing and independence."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["fund", "name"]
        constraints = [models.UniqueConstraint(fields=["fund", "name"], name="theme_name_unique_in_fund")]

    def __str__(self) -> str:
        return self.name


class TierQuerySet(models.QuerySet["Tier"]):
    def for_amount(self, amount: Decimal) -> TierQuerySet:
        """The tier whose band holds ``amount``: bands are inclusive at both ends and
        contiguous to the penny, so £2,000.00 is small and £2,000.01 is start-up."""
        return self.filter(minimum_amount__lte=amount).filter(
            Q(maximum_amount__gte=amount) | Q(maximum_amount__isnull=True)
        )


class Tier(models.Model):
    """A band of investment size, deciding how an application is assessed and supported."""

    class DecisionRoute(models.TextChoices):
        PANEL = "panel", "A panel scores it, then an officer decides"
        OFFICER = "officer", "A fund officer decides alone"

    class MentorPolicy(models.TextChoices):
        REQUIRED = "required", "A mentor is required"
        OFFERED = "offered", "A mentor is offered"
        NONE = "none", "No mentor"

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(max_length=100)
    description = models.TextField(
        blank=True,
        help_text="Shown to applicants in plain words, after the amounts (so no need to repeat them).",
    )
    minimum_amount = money_field(
        "smallest amount (£)",
        validators=[MinValueValidator(PENNY)],
        help_text="Inclusive. The first tier usually starts at £0.01.",
    )
    maximum_amount = money_field(
        "largest amount (£)",
        null=True,
        blank=True,
        validators=[MinValueValidator(PENNY)],
        help_text="Inclusive. Leave empty for the top tier, which has no upper limit.",
    )
    decision_route = models.CharField(max_length=10, choices=DecisionRoute, default=DecisionRoute.PANEL)
    reviewers_needed = models.PositiveSmallIntegerField(
        default=2, help_text="How many panel members score each application (0 when an officer decides)."
    )
    update_cadence_months = models.PositiveSmallIntegerField(
        "months between progress updates",
        default=6,
        help_text="0 means one update at the end of the investment.",
    )
    mentor_policy = models.CharField(max_length=10, choices=MentorPolicy, default=MentorPolicy.NONE)

    # What an application in this tier is asked for. Smaller tiers ask less.
    constituted_only = models.BooleanField(
        "only for constituted organisations",
        default=False,
        help_text="Unincorporated community groups cannot apply in this tier.",
    )
    asks_sustainability_plan = models.BooleanField(
        "asks for a sustainability plan",
        default=False,
        help_text="How the project will keep going once the investment is spent.",
    )
    asks_match_funding = models.BooleanField(
        "asks about match funding", default=True, help_text="Money or in-kind support from elsewhere."
    )
    asks_partners = models.BooleanField("asks about partners", default=True)
    partners_required = models.BooleanField(
        default=False, help_text="Applications must name at least one partner organisation."
    )
    budget_years = models.PositiveSmallIntegerField(
        "years the budget covers",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 for a single-year budget; more for investments paid over several years.",
    )
    payment_tranches = models.PositiveSmallIntegerField(
        "payments",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How many payments an award in this tier is paid in.",
    )
    payment_interval_months = models.PositiveSmallIntegerField(
        "months between payments", default=0, help_text="0 when it is paid all at once."
    )
    needs_constitution = models.BooleanField("asks for the group's constitution", default=False)
    needs_accounts = models.BooleanField("asks for the latest accounts", default=False)
    needs_safeguarding_policy = models.BooleanField("asks for a safeguarding policy", default=False)

    objects = TierQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "minimum_amount"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "name"], name="tier_name_unique_in_fund"),
            models.CheckConstraint(
                condition=Q(maximum_amount__isnull=True) | Q(maximum_amount__gte=models.F("minimum_amount")),
                name="tier_maximum_not_below_minimum",
            ),
            models.CheckConstraint(
                condition=Q(decision_route="officer") | Q(reviewers_needed__gte=1),
                name="tier_panel_needs_reviewers",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def band_label(self) -> str:
        """The band in plain words, e.g. 'Up to £2,000' or 'Over £10,000'."""
        if self.maximum_amount is None:
            return f"Over {pounds(self.minimum_amount - PENNY)}"
        if self.minimum_amount <= PENNY:
            return f"Up to {pounds(self.maximum_amount)}"
        return f"{pounds(self.minimum_amount)} to {pounds(self.maximum_amount)}"

    def clean(self) -> None:
        errors = {}
        if (
            self.maximum_amount is not None
            and self.minimum_amount is not None
            and self.maximum_amount < self.minimum_amount
        ):
            errors["maximum_amount"] = "The largest amount must not be below the smallest amount."
        if self.decision_route == self.DecisionRoute.PANEL and not self.reviewers_needed:
            errors["reviewers_needed"] = "A tier decided by a panel needs at least one reviewer."
        if errors:
            raise ValidationError(errors)


class RoundQuerySet(models.QuerySet["Round"]):
    def open(self, now: datetime | None = None) -> RoundQuerySet:
        """Rounds taking applications now."""
        now = now or timezone.now()
        return self.filter(status=Round.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now)

    def managed_by(self, user: User | AnonymousUser) -> RoundQuerySet:
        return self.filter(fund__in=Fund.objects.managed_by(user))

    def with_allocated_and_criteria(self) -> RoundQuerySet:
        """Each round with ``allocated`` (money set aside for its tiers) and ``criteria_count``.

        Each figure is its own subquery: summing allocations over a join that also holds the
        criteria would count every allocation once per criterion."""
        allocated = (
            TierAllocation.objects.filter(round=OuterRef("pk"))
            .order_by()
            .values("round")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        criteria = (
            Criterion.objects.filter(round=OuterRef("pk"))
            .order_by()
            .values("round")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            allocated=Coalesce(Subquery(allocated), Decimal(0), output_field=money_field("allocated")),
            criteria_count=Coalesce(Subquery(criteria), 0),
        )


class Round(models.Model):
    """A funding round: a window for applications and a fixed budget to award from."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft: not shown to applicants"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    opens_at = models.DateTimeField("opens")
    closes_at = models.DateTimeField("closes")
    budget = money_field("budget (£)", validators=[MinValueValidator(PENNY)])
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    # Panel members are reminded before it and counted late after it (to-do lists, notifications).
    review_deadline = models.DateField("panel reviews due by", null=True, blank=True)
    one_application_per_organisation = models.BooleanField(
        default=True,
        help_text="A group may have only one application in this round at a time (withdrawn ones aside).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "-opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "name"], name="round_name_unique_in_fund"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opening"
            ),
            models.CheckConstraint(condition=Q(budget__gt=0), name="round_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.fund.name})"

    def phase(self, now: datetime | None = None) -> str:
        """Where the round stands for applicants: draft, not yet open, open or closed."""
        now = now or timezone.now()
        if self.status == self.Status.DRAFT:
            return "draft"
        if self.status == self.Status.ARCHIVED or now >= self.closes_at:
            return "closed"
        if now < self.opens_at:
            return "not yet open"
        return "open"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The closing date must be after the opening date."})
        if (
            self.review_deadline
            and self.closes_at
            and self.review_deadline <= timezone.localdate(self.closes_at)
        ):
            raise ValidationError(
                {"review_deadline": "The date panel reviews are due must be after the round closes."}
            )


class TierAllocation(models.Model):
    """Part of a round's budget set aside for one tier (optional)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="allocations")
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="allocations")
    amount = money_field("allocation (£)", validators=[MinValueValidator(PENNY)])

    class Meta:
        ordering = ["round", "tier__minimum_amount"]
        constraints = [
            models.UniqueConstraint(fields=["round", "tier"], name="one_allocation_per_tier_in_round"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.tier.name}: {pounds(self.amount)}"

    @staticmethod
    def key_for(tier: Tier) -> str:
        """The name a tier's allocation goes by in forms and in the errors about it."""
        return f"allocation_{tier.pk}"


class Criterion(models.Model):
    """A published criterion panel members score a round's applications against."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, help_text="What a high score looks like.")
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="How much this criterion counts towards the total, e.g. 2 counts double.",
    )
    scale_max = models.PositiveSmallIntegerField(
        "highest score",
        default=5,
        validators=[MinValueValidator(1)],
        help_text="Scores run from 0 to this number.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["round", "title"], name="criterion_title_unique_in_round"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(scale_max__gte=1), name="criterion_scale_at_least_one"),
        ]

    def __str__(self) -> str:
        return self.title


class FundRoleQuerySet(models.QuerySet["FundRole"]):
    def for_user(self, user: User | AnonymousUser) -> FundRoleQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class FundRole(models.Model):
    """A staff role held by one person in one fund. Roles never reach across funds."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Fund officer"
        FINANCE = "finance", "Finance officer"
        PANEL = "panel", "Panel member"
        MENTOR = "mentor", "Mentor"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fund_roles")
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=10, choices=Role)
    granted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = FundRoleQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "fund", "role"], name="one_role_of_a_kind_per_fund"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.fund.name}"
