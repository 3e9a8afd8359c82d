"""The panel summary for a round: the one table an officer takes into the panel meeting.

Each application in a panel tier with its weighted score (the mean of its submitted
reviews), the spread between reviewers and whether they disagree, its rank, the amount
recommended, and a running total against the round's budget and each tier's allocation.
The arithmetic is ``assessment.scoring``; this module reads the rows for it. The database sums
each submitted review's weighted scores (one row per review, never the scores themselves) and
``scoring`` turns those sums into review scores and combines them.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value, signals

from applications.models import Application
from assessment.models import Decision, Review, Score
from assessment.scoring import PanelResult, combine, common_scale, review_score_from_totals
from fund.commitments import awarded_in
from fund.models import Criterion, Round, Tier, TierAllocation
from organisations.models import Organisation

SHOWN = (Application.Status.ELIGIBLE, Application.Status.IN_REVIEW, Application.Status.AWARDED)
FUNDING = (Review.Recommendation.FUND, Review.Recommendation.FUND_WITH_CONDITIONS)


class Listed(NamedTuple):
    """What the summary shows of an application: read as values, as a round may have thousands."""

    pk: int
    reference: str | None  # every application shown here has been sent, so has one
    amount_requested: Decimal
    tier_id: int
    group: str  # the organisation's name
    tier: str  # the tier's name
    awarded: Decimal | None  # the investment's amount, once awarded


@dataclass
class Row:
    application: Listed
    result: PanelResult
    fund_votes: int
    recommended: Decimal
    rank: int = 0
    running_total: Decimal = Decimal(0)
    within_budget: bool = True
    tier_running_total: Decimal = Decimal(0)
    within_tier: bool = True


@dataclass
class Summary:
    round: Round
    rows: list[Row]
    budget: Decimal
    awarded_outside_panel: Decimal
    allocations: dict[int, Decimal] = field(default_factory=dict)

    @property
    def recommended_total(self) -> Decimal:
        return sum((row.recommended for row in self.rows), Decimal(0))


@dataclass(frozen=True)
class ReviewTotals:
    """One submitted review as the database sums it."""

    recommendation: str
    score: Decimal | None


def _review_totals(round: Round, applications: QuerySet[Application]) -> dict[int, list[ReviewTotals]]:
    """Each application's submitted reviews, with their scores from ``scoring``."""
    reviews = Review.objects.submitted().filter(application__in=applications.values("pk"))
    # A review scores its round's criteria, so every scale in its scores is one of these. A scale
    # no score uses only makes the common scale larger, which gives the same exact result.
    common = common_scale(round.criteria.values_list("scale_max", flat=True))
    scored = Q(scores__score__isnull=False)
    # scoring.on_common_scale in SQL; the scale divides ``common``, so the division is exact.
    on_common_scale = (
        F("scores__criterion__weight")
        * F("scores__score")
        * (Value(common) / F("scores__criterion__scale_max"))
    )
    total = DecimalField(max_digits=30, decimal_places=2)  # wider than one weight: these are sums
    rows = (
        reviews.order_by()
        .values("pk", "application_id", "recommendation")
        .annotate(
            weighted=Sum(on_common_scale, filter=scored, output_field=total),
            total_weight=Sum("scores__criterion__weight", filter=scored, output_field=total),
        )
        .order_by("pk")
    )
    by_application: dict[int, list[ReviewTotals]] = defaultdict(list)
    for row in rows:
        score = review_score_from_totals(row["weighted"], row["total_weight"], common)
        by_application[row["application_id"]].append(ReviewTotals(row["recommendation"], score))
    return by_application


def results_of(round: Round, application_ids: list[int]) -> dict[int, PanelResult]:
    """The panel's combined result for each of these applications of ``round``, whatever their
    status now (a meeting's minutes show the scores of those it declined too)."""
    reviews = _review_totals(round, Application.objects.filter(round=round, pk__in=application_ids))
    return {
        pk: combine(
            [review.score for review in reviews.get(pk, []) if review.score is not None],
            [review.recommendation for review in reviews.get(pk, [])],
        )
        for pk in application_ids
    }


def _row(application: Listed, reviews: list[ReviewTotals]) -> Row:
    recommendations = [review.recommendation for review in reviews]
    result = combine([review.score for review in reviews if review.score is not None], recommendations)
    fund_votes = sum(value in FUNDING for value in recommendations)
    if application.awarded is not None:
        recommended = application.awarded
    elif reviews and fund_votes * 2 > len(reviews):
        recommended = application.amount_requested
    else:
        recommended = Decimal(0)
    return Row(application=application, result=result, fund_votes=fund_votes, recommended=recommended)


# --- Held between requests ----------------------------------------------------------------------
#
# Ranking a county's round reads every submitted review: about 25 ms, on every view of the page,
# which officers open again and again in a meeting. Each process holds the last few summaries it
# made, under the round and the *panel version*, a token in the shared cache that changes (at once
# and again when the change is committed) whenever anything the summary reads is saved or deleted.
# A write that sends no signal (a bulk update) calls ``panel_changed`` itself. Whatever happens, a
# summary is made afresh at least every ``HELD_FOR`` seconds.

VERSION_KEY = "assessment:panel-version"
HELD_FOR = 60
HELD_IN_PROCESS = 8
_held: OrderedDict[tuple[int, str], tuple[float, Summary]] = OrderedDict()
_held_lock = threading.Lock()
# What the summary reads: the applications sent (a draft being written changes nothing here), their
# groups' names, reviews and scores, decisions and investments, and the round's criteria, budget,
# allocations and tiers.
WATCHED = (Review, Score, Decision, Criterion, Round, TierAllocation, Tier, Organisation)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def panel_changed(**kwargs) -> None:
    """Every summary is made afresh: at once, for what reads it in the same transaction, and
    again on commit, as another request may have made one in between from the data before."""
    _new_version()
    transaction.on_commit(_new_version)


def _sent_application_changed(sender, instance, **kwargs) -> None:
    if instance.submitted_at is not None:
        panel_changed()


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def connect() -> None:
    # Investments (an award's amount) sit above this app: the model is found through the registry.
    for model in (*WATCHED, apps.get_model("investments", "Investment")):
        signals.post_save.connect(panel_changed, sender=model, dispatch_uid=f"panel-{model.__name__}")
        signals.post_delete.connect(panel_changed, sender=model, dispatch_uid=f"panel-del-{model.__name__}")
    signals.post_save.connect(_sent_application_changed, sender=Application, dispatch_uid="panel-application")
    signals.post_delete.connect(
        _sent_application_changed, sender=Application, dispatch_uid="panel-del-application"
    )


def for_round(round: Round) -> Summary:
    """The round's summary, held in this process until anything it reads changes."""
    key = (round.pk, _version())
    now = time.monotonic()
    with _held_lock:
        held = _held.get(key)
        if held is not None and held[0] > now:
            _held.move_to_end(key)
            return held[1]
    summary = build(round)
    with _held_lock:
        _held[key] = (now + HELD_FOR, summary)
        while len(_held) > HELD_IN_PROCESS:
            _held.popitem(last=False)
    return summary


def build(round: Round) -> Summary:
    applications = (
        Application.objects.filter(round=round, status__in=SHOWN)
        .filter(tier__decision_route=Tier.DecisionRoute.PANEL)
        # An award whose offer was declined or lapsed: its money went back to the round.
        .exclude(investment__status="cancelled")
    )
    reviews = _review_totals(round, applications)
    # Every application is ranked and added up, but only what the summary shows of each is read.
    listed = applications.order_by().values_list(
        "pk",
        "reference",
        "amount_requested",
        "tier_id",
        "organisation__name",
        "tier__name",
        "investment__amount",
    )
    rows = sorted(
        (_row(Listed(*values), reviews.get(values[0], [])) for values in listed),
        key=lambda row: (row.result.mean is None, -(row.result.mean or 0), row.application.reference or ""),
    )
    allocations = dict(round.allocations.values_list("tier_id", "amount"))
    officer_route = set(
        round.fund.tiers.exclude(decision_route=Tier.DecisionRoute.PANEL).values_list("pk", flat=True)
    )
    outside = sum(
        (amount for tier_pk, amount in awarded_in(round).items() if tier_pk in officer_route), Decimal(0)
    )
    running = outside
    by_tier: dict[int, Decimal] = {}
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
        running += row.recommended
        row.running_total = running
        row.within_budget = running <= round.budget
        tier_id = row.application.tier_id
        by_tier[tier_id] = by_tier.get(tier_id, Decimal(0)) + row.recommended
        row.tier_running_total = by_tier[tier_id]
        row.within_tier = tier_id not in allocations or by_tier[tier_id] <= allocations[tier_id]
    return Summary(
        round=round, rows=rows, budget=round.budget, awarded_outside_panel=outside, allocations=allocations
    )
