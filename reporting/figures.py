"""The fund's figures: money, reach and social value, overall and by tier, round, place, theme,
financial year and investment.

``build_report`` is the one function behind the SROI page, its CSV and the board pack, so the
same numbers appear everywhere. The database does the heavy sums: outcome quantities are summed
per investment and per set of assumptions, and payments, match funding and reach per
investment. Those few rows are then rolled up here, because an investment serving two places
(or themes) counts in each, which a single SQL GROUP BY across the many-to-many would count
twice. The engine (``reporting.sroi``) values each group; its valuation is linear in quantity,
so outcomes sharing a proxy version and adjustments are valued together without changing the
result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.text import capfirst

from applications.models import MatchFunding
from fund.models import Fund, Place, Round, Theme, Tier
from investments.models import SENT, Investment, InvestmentQuerySet, ProgressUpdate, SpendReport
from kit.words import plural
from reporting.models import ADJUSTMENTS, OutcomeRecord, ProxyVersion
from reporting.sroi import GREEN_BOOK_RATE, Outcome, Sensitivity, SroiResult, evaluate, sensitivity

NO_PLACE = "No place given"
NO_THEME = "No theme given"


def financial_year(day: date) -> int:
    """The UK financial year a day falls in, by the year it starts (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}–{(start_year + 1) % 100:02d}"


@dataclass(frozen=True)
class Figures:
    investments: int
    invested: Decimal
    paid: Decimal
    # What the groups reported spending, line by line of their budgets, in the updates they sent.
    spent: Decimal
    match_funding: Decimal
    people_reached: int
    volunteer_hours: Decimal
    closed: int
    self_sustaining: int
    value: SroiResult | None  # None when nothing was invested

    @property
    def match_ratio(self) -> Decimal | None:
        """Match funding leveraged for each £1 invested."""
        if not self.invested:
            return None
        return (self.match_funding / self.invested).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Row:
    key: object
    label: str
    figures: Figures
    reference: str = ""  # for investments: the application reference
    tier: str = ""  # for investments: the tier's name


@dataclass(frozen=True)
class Assumption:
    """A proxy version the report used, with how much of it and how often it was overridden."""

    version: ProxyVersion
    quantity: Decimal
    records: int
    overridden: int


@dataclass(frozen=True)
class Override:
    proxy: str
    changes: dict[str, object]
    reason: str
    records: int
    investments: int


@dataclass(frozen=True)
class Story:
    text: str
    told_by: str
    place: str
    update_pk: int
    has_photo: bool
    photo_alt: str = ""


@dataclass
class SroiReport:
    fund: Fund
    scope: str
    as_of: datetime
    discount_rate: Decimal
    total: Figures
    sensitivity: Sensitivity | None
    by_tier: list[Row]
    by_round: list[Row]
    by_place: list[Row]
    by_theme: list[Row]
    by_year: list[Row]
    by_investment: list[Row]
    assumptions: list[Assumption]
    overrides: list[Override]
    stories: list[Story]
    first_start: date | None = None  # the earliest and latest start of the investments covered
    last_start: date | None = None

    @property
    def unreviewed(self) -> list[ProxyVersion]:
        return [a.version for a in self.assumptions if a.version.needs_review]

    @property
    def investments_by_tier(self) -> list[tuple[str, list[Row]]]:
        """A caption and the investment rows for each tier: a table per tier."""
        tables = []
        for tier in self.by_tier:
            count = tier.figures.investments
            caption = f"{tier.label}: {plural(count, 'investment')}"
            tables.append((caption, [row for row in self.by_investment if row.tier == tier.label]))
        return tables

    @property
    def breakdowns(self) -> list[tuple[str, str, list[Row]]]:
        """(slug, heading, rows) for each way the figures are broken down, investments last."""
        return [
            ("tier", "Tier", self.by_tier),
            ("round", "Round", self.by_round),
            ("place", "Place", self.by_place),
            ("theme", "Theme", self.by_theme),
            ("year", "Financial year started", self.by_year),
            ("investment", "Investment", self.by_investment),
        ]


@dataclass
class _Usage:
    """How much of one proxy version the outcomes used, and in how many records (and overridden)."""

    quantity: Decimal = Decimal(0)
    records: int = 0
    overridden: int = 0


@dataclass
class _Tally:
    """Running sums for one group of investments, turned into Figures at the end."""

    investments: int = 0
    invested: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    match_funding: Decimal = Decimal(0)
    people_reached: int = 0
    volunteer_hours: Decimal = Decimal(0)
    closed: int = 0
    self_sustaining: int = 0
    buckets: dict[tuple, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def add(self, other: _Tally) -> None:
        self.investments += other.investments
        self.invested += other.invested
        self.paid += other.paid
        self.spent += other.spent
        self.match_funding += other.match_funding
        self.people_reached += other.people_reached
        self.volunteer_hours += other.volunteer_hours
        self.closed += other.closed
        self.self_sustaining += other.self_sustaining
        for key, quantity in other.buckets.items():
            self.buckets[key] += quantity

    def outcomes(self, versions: dict[int, ProxyVersion]) -> list[Outcome]:
        """The outcomes to value, one per bucket; ``versions`` maps version pk to version."""
        return [_outcome(key, quantity, versions) for key, quantity in self.buckets.items() if quantity]

    def figures(self, versions: dict[int, ProxyVersion], rate: Decimal) -> Figures:
        outcomes = self.outcomes(versions)
        value = evaluate(outcomes, self.invested, rate, checked=True) if self.invested > 0 else None
        return Figures(
            investments=self.investments,
            invested=self.invested,
            paid=self.paid,
            spent=self.spent,
            match_funding=self.match_funding,
            people_reached=self.people_reached,
            volunteer_hours=self.volunteer_hours,
            closed=self.closed,
            self_sustaining=self.self_sustaining,
            value=value,
        )


def _outcome(key: tuple, quantity: Decimal, versions: dict[int, ProxyVersion]) -> Outcome:
    version_pk, deadweight, attribution, displacement, drop_off, duration = key
    version = versions[version_pk]
    return Outcome(
        quantity=quantity,
        proxy_value=version.value,
        deadweight=deadweight,
        attribution=attribution,
        displacement=displacement,
        drop_off=drop_off,
        duration_years=duration,
        fiscal=version.fiscal,
    )


def outcome_values(
    recorded: Iterable[tuple[OutcomeRecord, ProxyVersion]],
    investment: Investment,
    discount_rate: Decimal = GREEN_BOOK_RATE,
) -> tuple[list[SroiResult], SroiResult]:
    """Each recorded outcome of ``investment`` valued on its own, and all of them together, as
    the report values them: the proxy version given, the record's adjustments or the proxy's
    defaults, over its duration, discounted. Each ``present_value`` is the outcome's worth in
    pounds; the ratios are against the whole investment."""
    outcomes = [
        _outcome(
            _effective({name: getattr(record, name) for name in ADJUSTMENTS}, version),
            record.quantity,
            {version.pk: version},
        )
        for record, version in recorded
    ]
    each = [evaluate([outcome], investment.amount, discount_rate, checked=True) for outcome in outcomes]
    return each, evaluate(outcomes, investment.amount, discount_rate, checked=True)


def proxy_versions_at(fund: Fund, as_of: datetime) -> dict[int, ProxyVersion]:
    """Each of the fund's proxies as it stood at ``as_of``: {proxy pk: version}."""
    versions: dict[int, ProxyVersion] = {}
    for version in ProxyVersion.objects.filter(proxy__fund=fund, created_at__lte=as_of).order_by(
        "proxy_id", "-number"
    ):
        versions.setdefault(version.proxy_id, version)
    return versions


def _effective(row: dict, version: ProxyVersion) -> tuple:
    """The bucket an outcome row falls in: its version and its adjustments, defaults filled in."""
    return (
        version.pk,
        *(row[name] if row[name] is not None else getattr(version, name) for name in ADJUSTMENTS),
    )


def build_report(
    fund: Fund,
    investments: InvestmentQuerySet | None = None,
    *,
    as_of: datetime | None = None,
    scope: str = "",
    discount_rate: Decimal = GREEN_BOOK_RATE,
    stories: int = 4,
) -> SroiReport:
    """The figures for ``investments`` (all the fund's, if not given) as they stood at ``as_of``:
    proxy versions made and outcomes recorded after it are left out, so a report can be made
    again with the values it used."""
    as_of = as_of or timezone.now()
    base = Investment.objects.all() if investments is None else investments
    chosen = base.committed().filter(round__fund=fund)
    ids = chosen.values("pk")
    versions = proxy_versions_at(fund, as_of)
    by_pk = {version.pk: version for version in versions.values()}

    tallies: dict[int, _Tally] = {}
    details: dict[int, Mapping[str, Any]] = {}
    for row in Investment.objects.filter(pk__in=ids).values(
        "pk",
        "amount",
        "start_date",
        "status",
        "outcome",
        "tier_id",
        "round_id",
        "application__reference",
        "application__organisation__name",
    ):
        tallies[row["pk"]] = _Tally(
            investments=1,
            invested=row["amount"],
            closed=int(row["status"] in (Investment.Status.COMPLETED, Investment.Status.ENDED_EARLY)),
            self_sustaining=int(row["outcome"] == Investment.Outcome.SELF_SUSTAINING),
        )
        details[row["pk"]] = row

    with_paid = Investment.objects.filter(pk__in=ids).with_paid()
    # ``paid`` is with_paid()'s annotation, which the plugin cannot follow through the custom queryset.
    for pk, paid in with_paid.values_list("pk", "paid"):  # type: ignore[misc]
        tallies[pk].paid = paid
    for secured in (
        MatchFunding.objects.filter(application__investment__in=ids, status=MatchFunding.Status.SECURED)
        .values("application__investment")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        tallies[secured["application__investment"]].match_funding = secured["total"]
    for reported in (
        SpendReport.objects.filter(update__investment__in=ids, update__status__in=SENT)
        .values("update__investment_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        tallies[reported["update__investment_id"]].spent = reported["total"]
    for sent in (
        ProgressUpdate.objects.sent()
        .filter(investment__in=ids)
        .values("investment_id")
        .annotate(people=Sum("people_reached"), hours=Sum("volunteer_hours"))
        .order_by()
    ):
        tallies[sent["investment_id"]].people_reached = sent["people"] or 0
        tallies[sent["investment_id"]].volunteer_hours = sent["hours"] or Decimal(0)

    # Outcomes: summed in the database per investment and per set of assumptions.
    usage: dict[int, _Usage] = defaultdict(_Usage)
    for outcome in (
        OutcomeRecord.objects.filter(investment__in=ids, proxy_id__in=versions, recorded_at__lte=as_of)
        .values("investment_id", "proxy_id", *ADJUSTMENTS)
        .annotate(quantity=Sum("quantity"), records=Count("pk"))
        .order_by()
    ):
        version = versions[outcome["proxy_id"]]
        tallies[outcome["investment_id"]].buckets[_effective(outcome, version)] += outcome["quantity"]
        used = usage[version.pk]
        used.quantity += outcome["quantity"]
        used.records += outcome["records"]
        if any(outcome[name] is not None for name in ADJUSTMENTS):
            used.overridden += outcome["records"]

    def rows[Key](
        groups: Mapping[Key, list[int]], labels: Mapping[Key, str], order: Iterable[Key]
    ) -> list[Row]:
        result = []
        for key in order:
            if key not in groups:
                continue
            tally = _Tally()
            for pk in groups[key]:
                tally.add(tallies[pk])
            result.append(Row(key=key, label=labels[key], figures=tally.figures(by_pk, discount_rate)))
        return result

    def grouped(attribute: str) -> dict[Any, list[int]]:
        groups: dict[Any, list[int]] = defaultdict(list)
        for pk, row in details.items():
            groups[row[attribute]].append(pk)
        return groups

    tiers = {tier.pk: tier.name for tier in Tier.objects.filter(fund=fund)}
    rounds = {round_.pk: round_.name for round_ in Round.objects.filter(fund=fund).order_by("opens_at")}
    places = {place.pk: place.name for place in Place.objects.filter(fund=fund)} | {None: NO_PLACE}
    themes = {theme.pk: theme.name for theme in Theme.objects.filter(fund=fund)} | {None: NO_THEME}

    by_place: dict[int | None, list[int]] = defaultdict(list)
    for pk, place in Investment.objects.filter(pk__in=ids).values_list("pk", "application__places"):
        by_place[place].append(pk)
    by_theme: dict[int | None, list[int]] = defaultdict(list)
    for pk, theme in (
        Investment.objects.filter(pk__in=ids).values_list("pk", "application__goals__themes").distinct()
    ):
        by_theme[theme].append(pk)
    by_year: dict[int, list[int]] = defaultdict(list)
    for pk, detail in details.items():
        by_year[financial_year(detail["start_date"])].append(pk)
    years = sorted(by_year)

    total = _Tally()
    for tally in tallies.values():
        total.add(tally)
    total_outcomes = total.outcomes(by_pk)

    ordered = sorted(details, key=lambda pk: details[pk]["application__reference"])
    return SroiReport(
        fund=fund,
        scope=scope,
        as_of=as_of,
        discount_rate=discount_rate,
        total=total.figures(by_pk, discount_rate),
        sensitivity=(
            sensitivity(total_outcomes, total.invested, discount_rate, checked=True)
            if total.invested > 0
            else None
        ),
        by_tier=rows(grouped("tier_id"), tiers, tiers),
        by_round=rows(grouped("round_id"), rounds, rounds),
        by_place=rows(by_place, places, places),
        by_theme=rows(by_theme, themes, themes),
        by_year=rows(by_year, {year: financial_year_label(year) for year in years}, years),
        by_investment=[
            Row(
                key=pk,
                label=details[pk]["application__organisation__name"],
                reference=details[pk]["application__reference"],
                tier=tiers[details[pk]["tier_id"]],
                figures=tallies[pk].figures(by_pk, discount_rate),
            )
            for pk in ordered
        ],
        assumptions=sorted(
            (
                Assumption(
                    version=version,
                    quantity=usage[version.pk].quantity,
                    records=usage[version.pk].records,
                    overridden=usage[version.pk].overridden,
                )
                for version in versions.values()
                if version.pk in usage
            ),
            key=lambda assumption: assumption.version.name,
        ),
        overrides=_overrides(ids, versions, as_of),
        first_start=min((row["start_date"] for row in details.values()), default=None),
        last_start=max((row["start_date"] for row in details.values()), default=None),
        stories=_stories(ids, stories),
    )


def _overrides(ids, versions: dict[int, ProxyVersion], as_of: datetime) -> list[Override]:
    """Outcomes valued with their own adjustments, one line per proxy, change and reason."""
    any_override = Q()
    for name in ADJUSTMENTS:
        any_override |= Q(**{f"{name}__isnull": False})
    rows = (
        OutcomeRecord.objects.filter(investment__in=ids, proxy_id__in=versions, recorded_at__lte=as_of)
        .filter(any_override)
        .values("proxy_id", *ADJUSTMENTS, "override_reason")
        .annotate(records=Count("pk"), investments=Count("investment", distinct=True))
        .order_by()
    )
    overrides = [
        Override(
            proxy=versions[row["proxy_id"]].name,
            changes={name: row[name] for name in ADJUSTMENTS if row[name] is not None},
            reason=row["override_reason"],
            records=row["records"],
            investments=row["investments"],
        )
        for row in rows
    ]
    return sorted(overrides, key=lambda override: (override.proxy, -override.records, override.reason))


def _stories(ids, limit: int) -> list[Story]:
    """The latest published stories (agreed to by the people in them and approved by an officer);
    names left out where asked, and a photo only where it is published too."""
    if not limit:
        return []
    updates = (
        ProgressUpdate.objects.published_stories()
        .with_publication()
        .filter(investment__in=ids)
        .select_related("investment__application__organisation", "investment__tier")
        .prefetch_related("investment__application__places")
        .order_by("-submitted_at", "-pk")[:limit]
    )
    stories = []
    for update in updates:
        application = update.investment.application
        place_names = ", ".join(place.name for place in application.places.all())
        stories.append(
            Story(
                text=update.story,
                told_by=capfirst(update.told_by),
                place=place_names,
                update_pk=update.pk,
                has_photo=update.photo_published,
                photo_alt=update.public_photo_alt,
            )
        )
    return stories


# --- The spreadsheet: the page's download and the board pack's attachment ----------------------

CSV_HEADER = [
    "Breakdown",
    "Group",
    "Reference",
    "Investments",
    "Invested (£)",
    "Paid (£)",
    "Match funding secured (£)",
    "Match funding per £1",
    "People reached",
    "Volunteer hours",
    "Closed",
    "Self-sustaining at close",
    "Present value (£)",
    "Fiscal present value (£)",
    "Social present value (£)",
    "Net present value (£)",
    "SROI ratio",
    "Net SROI ratio",
]


def csv_row(breakdown: str, row: Row) -> list:
    figures, value = row.figures, row.figures.value
    valued = (
        [
            value.present_value,
            value.fiscal_present_value,
            value.social_present_value,
            value.net_present_value,
            value.ratio,
            value.net_ratio,
        ]
        if value
        else [""] * 6
    )
    return [
        breakdown,
        row.label,
        row.reference,
        figures.investments,
        figures.invested,
        figures.paid,
        figures.match_funding,
        figures.match_ratio if figures.match_ratio is not None else "",
        figures.people_reached,
        figures.volunteer_hours,
        figures.closed,
        figures.self_sustaining,
        *valued,
    ]


def csv_rows(report: SroiReport) -> list[list[Any]]:
    """The report as a spreadsheet: the total, then every breakdown row, every investment last."""
    rows = [csv_row("Total", Row(key=None, label=report.scope, figures=report.total))]
    for _, heading, breakdown in report.breakdowns:
        rows.extend(csv_row(heading, row) for row in breakdown)
    return rows


def csv_name(fund: Fund) -> str:
    return f"{fund.slug}-social-value.csv"
