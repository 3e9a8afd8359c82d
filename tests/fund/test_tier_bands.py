"""Tier bands: contiguous to the penny, inclusive at the top, checked as a whole."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fund.models import Tier
from fund.rules import Band, tier_band_problems
from fund.services import save_tier_bands
from kit.errors import RuleError
from tests.factories import FundFactory, fund_with_tiers

D = Decimal

DEAL_FOR_COMMUNITIES = [
    Band("Small", D("0.01"), D("2000.00")),
    Band("Start-up", D("2000.01"), D("10000.00")),
    Band("Big idea", D("10000.01"), None),
]


def test_the_deal_for_communities_bands_are_valid():
    assert tier_band_problems(DEAL_FOR_COMMUNITIES) == []


def test_a_gap_of_one_penny_is_named_with_the_fix():
    bands = [Band("Small", D("0.01"), D("2000.00")), Band("Start-up", D("2000.02"), None)]
    assert tier_band_problems(bands) == [
        "Amounts from £2,000.01 to £2,000.01 fall in no tier: Start-up should start at £2,000.01."
    ]


def test_an_overlap_at_the_boundary_is_named_with_the_fix():
    bands = [Band("Small", D("0.01"), D("2000.00")), Band("Start-up", D("2000.00"), None)]
    assert tier_band_problems(bands) == ["Small and Start-up overlap: Start-up should start at £2,000.01."]


def test_only_the_highest_tier_may_be_open_ended():
    bands = [Band("Small", D("0.01"), None), Band("Start-up", D("2000.01"), None)]
    assert "Small has no upper limit, so only the highest tier may be open-ended." in tier_band_problems(
        bands
    )


def test_fractions_of_a_penny_are_refused():
    bands = [Band("Small", D("0.01"), D("2000.005")), Band("Big", D("2000.01"), None)]
    assert "Small: the largest amount must be in pounds and pence." in tier_band_problems(bands)


def test_the_lowest_tier_must_start_at_one_penny():
    bands = [Band("Small", D("1.00"), None)]
    assert tier_band_problems(bands) == ["Small must start at £0.01 so every amount falls in a tier."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "tier"),
    [
        ("0.01", "Small"),
        ("2000.00", "Small"),
        ("2000.01", "Start-up"),
        ("10000.00", "Start-up"),
        ("10000.01", "Big idea"),
        ("131940.00", "Big idea"),
    ],
)
def test_an_amount_falls_in_exactly_one_tier_inclusive_at_the_top(amount, tier):
    fund = fund_with_tiers()
    assert [t.name for t in Tier.objects.filter(fund=fund).for_amount(D(amount))] == [tier]


@pytest.mark.django_db
def test_saving_bands_with_a_gap_saves_none_of_them():
    fund = FundFactory()
    tiers = [
        Tier(
            name="Small",
            minimum_amount=D("0.01"),
            maximum_amount=D("2000.00"),
            reviewers_needed=0,
            decision_route=Tier.DecisionRoute.OFFICER,
        ),
        Tier(name="Start-up", minimum_amount=D("2000.02"), maximum_amount=None),
    ]
    with pytest.raises(RuleError) as error:
        save_tier_bands(fund=fund, tiers=tiers)
    assert "Start-up should start at £2,000.01" in error.value.messages[0]
    assert not fund.tiers.exists()


@pytest.mark.django_db
def test_a_panel_tier_needs_at_least_one_reviewer():
    fund = FundFactory()
    tiers = [Tier(name="Everything", minimum_amount=D("0.01"), reviewers_needed=0)]
    with pytest.raises(ValidationError) as error:
        save_tier_bands(fund=fund, tiers=tiers)
    assert error.value.message_dict == {
        "reviewers_needed": ["A tier decided by a panel needs at least one reviewer."]
    }


def test_band_labels_read_as_applicants_expect():
    small, start_up, big = (
        Tier(minimum_amount=D("0.01"), maximum_amount=D("2000.00")),
        Tier(minimum_amount=D("2000.01"), maximum_amount=D("10000.00")),
        Tier(minimum_amount=D("10000.01"), maximum_amount=None),
    )
    assert small.band_label == "Up to £2,000"
    assert start_up.band_label == "£2,000.01 to £10,000"
    assert big.band_label == "Over £10,000"
