"""The arithmetic on its own: scores and disagreement."""

from decimal import Decimal

from assessment.scoring import CriterionScore, combine, review_score

D = Decimal


def test_a_review_score_weights_each_criterion_as_a_share_of_its_scale():
    scores = [CriterionScore(D(3), 5, 5), CriterionScore(D(1), 10, 0)]
    # (3 * 5/5 + 1 * 0/10) / 4 * 100
    assert review_score(scores) == D("75.0")


def test_an_unscored_review_has_no_score():
    assert review_score([]) is None


def test_reviewers_disagree_when_25_points_apart_or_split_on_funding():
    assert combine([D(80), D(55)], ["fund", "fund"]).disagreement is True
    assert combine([D(80), D("55.1")], ["fund", "fund"]).disagreement is False
    split = combine([D(70), D(72)], ["conditions", "do_not_fund"])
    assert split.disagreement is True
    assert (split.mean, split.spread) == (D("71.0"), D(2))
