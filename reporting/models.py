"""Finance's valuations: financial proxies (versioned), outcome records and board packs."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from fund.models import Fund, money_field
from investments.models import Investment

FRACTION_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]
ADJUSTMENTS = ("deadweight", "attribution", "displacement", "drop_off", "duration_years")


def fraction_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """A share from 0 to 1, kept to four places (0.1250 is 12.5%)."""
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=4, validators=FRACTION_VALIDATORS, **kwargs
    )


def fractions_within_bounds(prefix: str, names: tuple[str, ...]) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__gte": 0, f"{name}__lte": 1}) | Q(**{f"{name}__isnull": True}),
            name=f"{prefix}_{name}_0_to_1",
        )
        for name in names
    ]


class FinancialProxy(models.Model):
    """One proxy's identity in a fund. Its values live in versions: editing adds a version, so a
    report made earlier can be made again with the values it used."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="proxies")
    created_at = models.DateTimeField(auto_now_add=True)

    # What its name is read from, to prefetch when many are named at once (the audit trail).
    NAMED_WITH = ("versions",)

    class Meta:
        verbose_name_plural = "financial proxies"

    def __str__(self) -> str:
        current = self.current
        return current.name if current else f"Proxy {self.pk}"

    @property
    def current(self) -> ProxyVersion | None:
        cached = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if cached is not None:
            return max(cached, key=lambda version: version.number, default=None)
        return self.versions.order_by("-number").first()


class ProxyVersion(models.Model):
    class Kind(models.TextChoices):
        FISCAL = "fiscal", "Fiscal: a saving to the public purse"
        SOCIAL = "social", "Social: wider wellbeing value"

    proxy = models.ForeignKey(FinancialProxy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    unit = models.CharField(
        max_length=200, help_text="What one unit is, e.g. 'person moved into full-time work'"
    )
    value = money_field("value per unit per year (£)", validators=[MinValueValidator(Decimal(0))])
    kind = models.CharField(max_length=6, choices=Kind)
    source = models.CharField(max_length=300, help_text="The publication the value comes from")
    source_url = models.URLField("source web address", max_length=500, blank=True)
    source_year = models.PositiveSmallIntegerField()
    price_base = models.CharField(
        "price base", max_length=20, help_text="The year the £ are in, e.g. 2023/24"
    )
    deadweight = fraction_field("deadweight")
    attribution = fraction_field("attribution")
    displacement = fraction_field("displacement")
    drop_off = fraction_field("drop-off")
    duration_years = models.PositiveSmallIntegerField("duration (years)", validators=[MinValueValidator(1)])
    needs_review = models.BooleanField(
        "needs finance review", default=True, help_text="Not yet checked by finance against the source"
    )
    notes = models.TextField(blank=True, help_text="How the value was worked out, and how to use it")
    change_reason = models.CharField("why it changed", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["proxy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["proxy", "number"], name="one_proxy_version_number"),
            models.CheckConstraint(condition=Q(value__gte=0), name="proxy_value_not_negative"),
            models.CheckConstraint(condition=Q(duration_years__gte=1), name="proxy_duration_at_least_1"),
            *fractions_within_bounds("proxy", ADJUSTMENTS[:4]),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.number})"

    @property
    def fiscal(self) -> bool:
        return self.kind == self.Kind.FISCAL


class OutcomeRecord(models.Model):
    """A valued outcome of one investment: so many units of a proxy over a period, with the
    evidence. Adjustments left empty take the proxy's defaults; an override carries its reason."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="outcome_records")
    proxy = models.ForeignKey(FinancialProxy, on_delete=models.PROTECT, related_name="outcome_records")
    quantity = models.DecimalField(
        "quantity", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    period_start = models.DateField("from")
    period_end = models.DateField("to")
    evidence = models.TextField("evidence", blank=True)
    goal = models.ForeignKey(
        "applications.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="outcome_records"
    )
    update = models.ForeignKey(
        "investments.ProgressUpdate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcome_records",
    )
    deadweight = fraction_field("deadweight", null=True, blank=True)
    attribution = fraction_field("attribution", null=True, blank=True)
    displacement = fraction_field("displacement", null=True, blank=True)
    drop_off = fraction_field("drop-off", null=True, blank=True)
    duration_years = models.PositiveSmallIntegerField(
        "duration (years)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    override_reason = models.TextField("why the defaults do not fit", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["investment", "period_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="outcome_quantity_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="outcome_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(duration_years__gte=1) | Q(duration_years__isnull=True),
                name="outcome_duration_at_least_1",
            ),
            *fractions_within_bounds("outcome", ADJUSTMENTS[:4]),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.proxy} for {self.investment}"

    @property
    def overrides(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in ADJUSTMENTS if getattr(self, name) is not None}


def board_pack_key(pack: BoardPack, filename: str) -> str:
    return f"reports/{uuid.uuid4().hex}/{secrets.token_urlsafe(16)}.pdf"


class BoardPack(models.Model):
    """A board PDF, made by the task worker and kept: requested, running, then ready or failed."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting to start"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="board_packs")
    filters = models.JSONField(default=dict, blank=True, help_text="The SROI page's filters it was made with")
    scope = models.CharField(max_length=500, help_text="The filters in words, e.g. 'Round 1; small'")
    status = models.CharField(max_length=10, choices=Status, default=Status.REQUESTED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    stage = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=board_pack_key, blank=True, max_length=200)
    pages = models.PositiveIntegerField(null=True, blank=True)
    proxy_versions = models.ManyToManyField(ProxyVersion, blank=True, related_name="board_packs")
    headline = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Board pack for {self.fund} ({self.scope})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def filename(self) -> str:
        return f"{self.fund.slug}-board-pack-{self.requested_at:%Y-%m-%d}.pdf"
