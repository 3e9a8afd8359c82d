"""The budget rule on its own: a round's budget and a tier's allocation, to the penny."""

from decimal import Decimal

from fund.rules import award_problems

D = Decimal


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
