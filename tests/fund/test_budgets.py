"""Money as officers meet it: a round's budget and a tier's allocation are never cut below what is
already awarded from them."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fund.models import FundRole, Round, TierAllocation
from tests.factories import UserFactory, awarded_investment

pytestmark = pytest.mark.django_db


def _round_post(round: Round, **overrides) -> dict:
    opens = timezone.localtime(round.opens_at)
    closes = timezone.localtime(round.closes_at)
    data = {
        "name": round.name,
        "description": "",
        "opens_on_0": opens.day,
        "opens_on_1": opens.month,
        "opens_on_2": opens.year,
        "opens_time": opens.strftime("%H:%M"),
        "closes_on_0": closes.day,
        "closes_on_1": closes.month,
        "closes_on_2": closes.year,
        "closes_time": closes.strftime("%H:%M"),
        "budget": str(round.budget),
        "status": round.status,
    }
    for tier in round.fund.tiers.all():
        allocation = round.allocations.filter(tier=tier).first()
        data[TierAllocation.key_for(tier)] = str(allocation.amount) if allocation else ""
    data.update(overrides)
    return data


# --- Point 3: a budget or allocation never below what is awarded -------------------------------------


@pytest.fixture
def awarded():
    """£3,450 awarded from a round with a start-up allocation."""
    investment = awarded_investment(amount_requested=Decimal("3450.00"))
    round = investment.round
    TierAllocation.objects.create(round=round, tier=investment.tier, amount=Decimal("20000.00"))
    return investment


def test_a_round_budget_cannot_be_cut_below_what_is_awarded(client, awarded):
    round = awarded.round
    officer = round.fund.roles.get(role=FundRole.Role.OFFICER).user
    client.force_login(officer)
    response = client.post(
        reverse("fund:round_edit", args=[round.pk]),
        _round_post(round, budget="3", **{TierAllocation.key_for(awarded.tier): ""}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"The budget cannot be less than the £3,450 already awarded from {round.name}" in page
    assert 'value="3"' in page  # what was typed stays
    round.refresh_from_db()
    assert round.budget != Decimal("3")


def test_a_tier_allocation_cannot_be_cut_below_what_is_awarded(client, awarded):
    round = awarded.round
    officer = round.fund.roles.get(role=FundRole.Role.OFFICER).user
    client.force_login(officer)
    key = TierAllocation.key_for(awarded.tier)
    response = client.post(
        reverse("fund:round_edit", args=[round.pk]), _round_post(round, **{key: "3449.99"})
    )
    page = response.content.decode()
    assert (
        "The start-up allocation cannot be less than the £3,450 already awarded to start-up investments"
        in page
    )
    assert round.allocations.get(tier=awarded.tier).amount == Decimal("20000.00")
    # Exactly what is awarded is fine.
    response = client.post(reverse("fund:round_edit", args=[round.pk]), _round_post(round, **{key: "3450"}))
    assert response.status_code == 302
    assert round.allocations.get(tier=awarded.tier).amount == Decimal("3450.00")


def test_the_admin_cannot_cut_a_budget_below_what_is_awarded_either(client, awarded):
    round = awarded.round
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    allocation = round.allocations.get()
    opens, closes = timezone.localtime(round.opens_at), timezone.localtime(round.closes_at)
    data = {
        "fund": round.fund_id,
        "name": round.name,
        "description": "",
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "closes_at_0": closes.strftime("%Y-%m-%d"),
        "closes_at_1": closes.strftime("%H:%M:%S"),
        "budget": "3.00",
        "status": round.status,
        "one_application_per_organisation": "on",
        "allocations-TOTAL_FORMS": "1",
        "allocations-INITIAL_FORMS": "1",
        "allocations-0-id": allocation.pk,
        "allocations-0-round": round.pk,
        "allocations-0-tier": awarded.tier.pk,
        "allocations-0-amount": "3.00",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:fund_round_change", args=[round.pk]), data)
    page = response.content.decode()
    assert "The budget cannot be less than the £3,450 already awarded" in page
    round.refresh_from_db()
    assert round.budget != Decimal("3.00")
