"""How panel scores add up. Pure Python on Decimal, so the arithmetic is read and tested alone.

- A review's score is the weighted average of its criteria, each as a share of its scale,
  expressed out of 100: sum(weight * score / scale) / sum(weight) * 100. The sum is taken on a
  common scale (a multiple of every criterion's scale) so it stays exact, in Python or in SQL, and
  is divided once, then rounded to 0.1.
- An application's score is the mean of its submitted reviews' scores.
- Reviewers disagree when their scores are 25 points or more apart, or when one says
  "fund" (with or without conditions) and another "do not fund".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from math import lcm

DISAGREEMENT_POINTS = Decimal(25)
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class CriterionScore:
    weight: Decimal
    scale_max: int
    score: int


def common_scale(scale_maxes: Iterable[int]) -> int:
    """The smallest scale every criterion's scale divides: scores moved onto it add up exactly."""
    return lcm(*scale_maxes)


def on_common_scale(weight: Decimal, score: int, scale_max: int, common: int) -> Decimal:
    """One criterion's weighted score on the common scale: weight * score / scale_max * common."""
    return weight * score * (common // scale_max)


def review_score_from_totals(
    weighted: Decimal | None, total_weight: Decimal | None, common: int
) -> Decimal | None:
    """A review's score from its sums: ``weighted`` adds ``on_common_scale`` over its scored
    criteria, ``total_weight`` their weights. The database gives these for many reviews at once."""
    if weighted is None or not total_weight:
        return None
    return (weighted * 100 / (total_weight * common)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def review_score(scores: Iterable[CriterionScore]) -> Decimal | None:
    scores = list(scores)
    if not scores:
        return None
    common = common_scale(item.scale_max for item in scores)
    return review_score_from_totals(
        sum(
            (on_common_scale(item.weight, item.score, item.scale_max, common) for item in scores), Decimal(0)
        ),
        sum((item.weight for item in scores), Decimal(0)),
        common,
    )


def criterion_points(weight: Decimal, total_weight: Decimal) -> Decimal:
    """How many of a review's 100 points one criterion carries: its share of the weights."""
    if not total_weight:
        return Decimal(0)
    return (weight / total_weight * 100).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP).normalize()


@dataclass(frozen=True)
class PanelResult:
    mean: Decimal | None
    spread: Decimal | None
    disagreement: bool
    reviews: int


def combine(review_scores: Sequence[Decimal], recommendations: Sequence[str]) -> PanelResult:
    """``recommendations`` use the Review.Recommendation values: fund, conditions, do_not_fund."""
    if not review_scores:
        return PanelResult(mean=None, spread=None, disagreement=False, reviews=0)
    mean = (sum(review_scores, Decimal(0)) / len(review_scores)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    spread = max(review_scores) - min(review_scores)
    says_fund = any(value in ("fund", "conditions") for value in recommendations)
    says_no = any(value == "do_not_fund" for value in recommendations)
    return PanelResult(
        mean=mean,
        spread=spread,
        disagreement=spread >= DISAGREEMENT_POINTS or (says_fund and says_no),
        reviews=len(review_scores),
    )
