"""The arithmetic on its own: scores, disagreement, the budget rule and payment schedules."""

from datetime import date
from decimal import Decimal

from assessment.scoring import CriterionScore, combine, review_score
from fund.rules import award_problems
from investments.rules import payment_schedule

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


def test_awards_up_to_the_penny_of_the_budget_are_allowed_and_one_penny_more_is_not():
    common = dict(
        round_name="Round 1",
        budget=D("1000.00"),
        committed=D("400.00"),
        tier_name="Small",
        allocation=None,
        tier_committed=D(0),
    )
    assert award_problems(amount=D("600.00"), **common) == []
    assert award_problems(amount=D("600.01"), **common) == [
        "Awarding £600.01 would take Round 1 over its budget of £1,000: £400 is already awarded, "
        "so £600 is left."
    ]


def test_a_tier_allocation_caps_that_tiers_awards():
    problems = award_problems(
        amount=D("300.00"),
        round_name="Round 1",
        budget=D("10000"),
        committed=D(0),
        tier_name="Small",
        allocation=D("1000.00"),
        tier_committed=D("800.00"),
    )
    assert problems == [
        "Awarding £300 would take small investments over the £1,000 set aside for them: £200 is left."
    ]


def test_payments_split_to_the_penny_with_the_odd_pence_first():
    schedule = payment_schedule(amount=D("10000.00"), tranches=3, interval_months=6, start=date(2027, 1, 31))
    assert schedule == [
        (date(2027, 1, 31), D("3333.34")),
        (date(2027, 7, 31), D("3333.33")),
        (date(2028, 1, 31), D("3333.33")),
    ]
    assert sum(amount for _, amount in schedule) == D("10000.00")


def test_quarterly_payments_land_on_the_last_day_of_short_months():
    schedule = payment_schedule(
        amount=D("73969.00"), tranches=12, interval_months=3, start=date(2026, 11, 30)
    )
    assert schedule[1][0] == date(2027, 2, 28)
    assert len(schedule) == 12 and sum(amount for _, amount in schedule) == D("73969.00")
