"""A round's budget and tier allocations, through the service every page uses."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fund.models import Fund, Round
from fund.services import grant_fund_role, save_round
from kit.errors import RuleError
from tests.factories import RoundFactory, UserFactory, fund_with_tiers

pytestmark = pytest.mark.django_db


def _round_arguments(fund, **overrides):
    now = timezone.now()
    arguments = dict(
        fund=fund,
        name="Round 2",
        description="",
        opens_at=now,
        closes_at=now + timedelta(days=30),
        budget=Decimal("50000.00"),
        status=Round.Status.PUBLISHED,
        allocations={},
    )
    arguments.update(overrides)
    return arguments


def test_allocations_within_the_budget_are_saved():
    fund = fund_with_tiers()
    small, start_up, _ = fund.tiers.all()
    round = save_round(
        **_round_arguments(fund, allocations={small: Decimal("10000.00"), start_up: Decimal("40000.00")})
    )
    assert {a.tier.name: a.amount for a in round.allocations.all()} == {
        "Small": Decimal("10000.00"),
        "Start-up": Decimal("40000.00"),
    }


def test_allocations_one_penny_over_the_budget_are_refused_with_the_totals():
    fund = fund_with_tiers()
    small, start_up, _ = fund.tiers.all()
    with pytest.raises(RuleError) as error:
        save_round(
            **_round_arguments(fund, allocations={small: Decimal("10000.01"), start_up: Decimal("40000.00")})
        )
    assert error.value.messages == [
        "The tier allocations add up to £50,000.01, which is more than the round's budget of £50,000. "
        "Reduce an allocation or raise the budget."
    ]
    assert not Round.objects.exists()


def test_an_empty_allocation_removes_the_one_saved_before():
    fund = fund_with_tiers()
    small, _, _ = fund.tiers.all()
    round = save_round(**_round_arguments(fund, allocations={small: Decimal("1000.00")}))
    save_round(**_round_arguments(fund, round=round, allocations={small: None}))
    assert not round.allocations.exists()


def test_another_funds_tier_cannot_be_allocated():
    fund, other = fund_with_tiers(), fund_with_tiers()
    foreign = other.tiers.first()
    with pytest.raises(RuleError) as error:
        save_round(**_round_arguments(fund, allocations={foreign: Decimal("1.00")}))
    assert error.value.messages == [f"{foreign.name} is not one of {fund.name}'s tiers."]


def test_a_round_must_close_after_it_opens():
    fund = fund_with_tiers()
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        save_round(**_round_arguments(fund, opens_at=now, closes_at=now))
    assert error.value.message_dict["closes_at"] == ["The closing date must be after the opening date."]


def test_only_published_rounds_inside_their_dates_are_open():
    now = timezone.now()
    open_round = RoundFactory()
    RoundFactory(status=Round.Status.DRAFT)
    RoundFactory(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2))
    RoundFactory(opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    assert list(Round.objects.open()) == [open_round]
    assert open_round.phase() == "open"


def test_a_role_is_granted_in_one_fund_only():
    fund, other = fund_with_tiers(), fund_with_tiers()
    person = UserFactory()
    grant_fund_role(user=person, fund=fund, role="officer")
    grant_fund_role(user=person, fund=fund, role="officer")  # granting twice changes nothing
    assert list(Fund.objects.managed_by(person)) == [fund]
    assert other not in Fund.objects.with_role(person)
    with pytest.raises(RuleError):
        grant_fund_role(user=person, fund=fund, role="mayor")
