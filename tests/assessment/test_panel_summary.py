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
