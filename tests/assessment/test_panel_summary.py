"""The panel summary sums scores in the database and gets the figures the scoring rules give."""

import random
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import Application
from assessment import panel_summary
from assessment.models import Review, Score
from assessment.scoring import CriterionScore, combine, review_score
from tests.factories import (
    ApplicationFactory,
    CriterionFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
)

pytestmark = pytest.mark.django_db

D = Decimal
RECOMMENDATIONS = ["fund", "conditions", "do_not_fund"]


def _expected(application: Application) -> tuple:
    """The summary figures for one application, worked out review by review from the scoring rules."""
    reviews = list(Review.objects.submitted().filter(application=application).order_by("pk"))
    scores = [
        review_score(
            CriterionScore(score.criterion.weight, score.criterion.scale_max, score.score)
            for score in review.scores.select_related("criterion")
            if score.score is not None
        )
        for review in reviews
    ]
    recommendations = [review.recommendation for review in reviews]
    result = combine([score for score in scores if score is not None], recommendations)
    fund_votes = sum(value in ("fund", "conditions") for value in recommendations)
    recommended = application.amount_requested if reviews and fund_votes * 2 > len(reviews) else D(0)
    return (application.reference, result, fund_votes, recommended)


def test_summary_rows_match_the_scoring_rules_for_random_scores_with_gaps():
    rng = random.Random(20261204)
    round = RoundFactory(fund=fund_with_tiers(), budget=D("60000.00"))
    criteria = [
        CriterionFactory(round=round, title=title, weight=D(weight), scale_max=scale)
        for title, weight, scale in [
            ("Need", "3.00", 5),
            ("Reach", "1.25", 10),
            ("Plan", "0.75", 3),
            ("Value", "2.50", 7),
            ("Team", "0.33", 4),
        ]
    ]
    tier = round.fund.tiers.get(name="Start-up")
    group = OrganisationFactory()
    reviewers = [UserFactory() for _ in range(4)]
    for number in range(30):
        application = ApplicationFactory(
            round=round,
            organisation=group,
            tier=tier,
            amount_requested=D(rng.choice(["2500.00", "4999.99", "5000.00"])),
            status=Application.Status.IN_REVIEW,
            reference=f"CIF-2026-{number:05d}",
            submitted_at=timezone.now(),
        )
        for reviewer in rng.sample(reviewers, rng.randint(0, 4)):
            submitted = rng.random() < 0.85  # a review still in progress must not count
            review = Review.objects.create(
                application=application,
                reviewer=reviewer,
                status=Review.Status.SUBMITTED if submitted else Review.Status.IN_PROGRESS,
                recommendation=rng.choice(RECOMMENDATIONS),
                submitted_at=timezone.now() if submitted else None,
            )
            all_missing = rng.random() < 0.1
            Score.objects.bulk_create(
                Score(
                    review=review,
                    criterion=criterion,
                    score=None if all_missing or rng.random() < 0.2 else rng.randint(0, criterion.scale_max),
                )
                for criterion in criteria
                if rng.random() < 0.9
            )

    summary = panel_summary.for_round(round)

    expected = sorted(
        (_expected(application) for application in Application.objects.filter(round=round)),
        key=lambda row: (row[1].mean is None, -(row[1].mean or 0), row[0]),
    )
    assert [
        (row.application.reference, row.result, row.fund_votes, row.recommended) for row in summary.rows
    ] == (expected)
    assert any(row.result.disagreement for row in summary.rows)
    assert any(row.result.mean is None for row in summary.rows)
    running = D(0)
    for rank, row in enumerate(summary.rows, start=1):
        running += row.recommended
        assert (row.rank, row.running_total, row.within_budget) == (rank, running, running <= round.budget)


def test_a_review_score_exactly_on_a_half_tenth_rounds_up():
    # 2.46 / 13.12 * 100 is exactly 18.75; dividing each criterion by its scale first once lost that.
    scores = [
        CriterionScore(D("0.78"), 12, 9),
        CriterionScore(D("1.00"), 3, 0),
        CriterionScore(D("2.00"), 3, 2),
        CriterionScore(D("1.25"), 6, 1),
        CriterionScore(D("2.00"), 6, 1),
        CriterionScore(D("6.09"), 12, 0),
    ]
    assert review_score(scores) == D("18.8")


# --- Held between requests: made afresh whenever what it reads changes ------------------------


@pytest.fixture
def scored_round():
    round = RoundFactory(fund=fund_with_tiers(), budget=D("60000.00"))
    criterion = CriterionFactory(round=round, title="Need", weight=D("1.00"), scale_max=5)
    application = ApplicationFactory(
        round=round,
        tier=round.fund.tiers.get(name="Start-up"),
        amount_requested=D("5000.00"),
        status=Application.Status.IN_REVIEW,
        reference="CIF-2026-00001",
        submitted_at=timezone.now(),
    )
    review = Review.objects.create(
        application=application,
        reviewer=UserFactory(),
        status=Review.Status.SUBMITTED,
        recommendation="fund",
        submitted_at=timezone.now(),
    )
    Score.objects.create(review=review, criterion=criterion, score=4)
    return round, criterion, application, review


def test_a_summary_is_held_until_something_it_reads_changes(scored_round):
    round, criterion, application, review = scored_round
    first = panel_summary.for_round(round)
    assert first.rows[0].result.mean == D("80.0")
    assert panel_summary.for_round(round) is first  # nothing changed: the same summary

    score = review.scores.get()
    score.score = 2
    score.save()
    assert panel_summary.for_round(round).rows[0].result.mean == D("40.0")

    criterion.scale_max = 10
    criterion.save()
    assert panel_summary.for_round(round).rows[0].result.mean == D("20.0")

    review.recommendation = "do_not_fund"
    review.save()
    assert panel_summary.for_round(round).rows[0].recommended == D(0)

    application.amount_requested = D("4000.00")
    application.save()
    assert panel_summary.for_round(round).rows[0].application.amount_requested == D("4000.00")

    application.organisation.name = "Renamed group"
    application.organisation.save()
    assert panel_summary.for_round(round).rows[0].application.group == "Renamed group"

    round.budget = D("1000.00")
    round.save()
    assert panel_summary.for_round(round).budget == D("1000.00")


def test_a_summary_is_made_afresh_after_a_write_without_signals_that_says_so(scored_round):
    round, _, _, review = scored_round
    held = panel_summary.for_round(round)
    Score.objects.filter(review=review).update(score=1)  # a bulk write: no signal
    assert panel_summary.for_round(round) is held
    panel_summary.panel_changed()
    assert panel_summary.for_round(round).rows[0].result.mean == D("20.0")


def test_a_draft_being_written_leaves_the_summary_held(scored_round):
    round, _, application, _ = scored_round
    held = panel_summary.for_round(round)
    # A draft of the same group: not in any summary.
    ApplicationFactory(round=round, organisation=application.organisation, tier=application.tier)
    assert panel_summary.for_round(round) is held
