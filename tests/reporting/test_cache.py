"""The social value report is kept per fund and filters, and made afresh as soon as anything it
reads changes; the SROI engine checks outcomes from outside, and not again those it made."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fund.models import FundRole
from fund.money import pounds
from reporting import views
from reporting.figures import build_report
from reporting.sroi import Outcome, evaluate, sensitivity
from tests.factories import ApplicationFactory, awarded_investment, financial_proxy, outcome_record, staff
from tests.reporting.test_pages import _outcome_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """The scope of each report the page builds rather than takes from the cache."""
    built: list[str] = []

    def counted(*args, **kwargs):
        built.append(kwargs.get("scope", ""))
        return build_report(*args, **kwargs)

    monkeypatch.setattr(views, "build_report", counted)
    return built


def _value(fund) -> str:
    return pounds(build_report(fund).total.value.present_value)


def test_the_page_is_built_once_until_an_outcome_is_recorded_then_shows_it_at_once(client, builds):
    investment = awarded_investment(amount_requested=Decimal("1000.00"))
    fund = investment.round.fund
    proxy = financial_proxy(fund)
    outcome_record(investment, proxy, quantity="10")
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    url = reverse("reporting:sroi", args=[fund.slug])
    before = _value(fund)
    assert before in client.get(url).content.decode()
    assert before in client.get(url).content.decode()
    assert len(builds) == 1

    client.post(reverse("reporting:outcome_add", args=[investment.pk]), _outcome_form(proxy, quantity="90"))
    after = _value(fund)
    assert after != before
    assert after in client.get(url).content.decode()
    assert len(builds) == 2


def test_each_set_of_filters_has_its_own_report_and_bad_filters_are_not_kept(client, builds):
    investment = awarded_investment(amount_requested=Decimal("1000.00"))
    fund = investment.round.fund
    outcome_record(investment, financial_proxy(fund), quantity="10")
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    url = reverse("reporting:sroi", args=[fund.slug])
    other_tier = fund.tiers.exclude(pk=investment.tier_id).first()
    client.get(url)
    filtered = client.get(url, {"tier": other_tier.pk}).content.decode()
    assert "No investments match." in filtered
    assert len(builds) == 2
    client.get(url, {"tier": "not a tier"})
    client.get(url, {"tier": "not a tier"})
    assert len(builds) == 4


def test_a_change_to_a_proxy_or_a_payment_is_shown_at_once(client, builds):
    investment = awarded_investment(amount_requested=Decimal("1000.00"))
    fund = investment.round.fund
    proxy = financial_proxy(fund, value="10.00")
    outcome_record(investment, proxy, quantity="10")
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    url = reverse("reporting:sroi", args=[fund.slug])
    client.get(url)
    version = proxy.current
    version.value = Decimal("30.00")
    version.save()
    assert _value(fund) in client.get(url).content.decode()
    assert len(builds) == 2


def test_checked_outcomes_are_valued_as_the_checked_ones_and_outside_input_is_still_refused():
    outcomes = [
        Outcome(
            quantity=Decimal(12), proxy_value=Decimal("19.50"), deadweight=Decimal("0.2"), duration_years=3
        ),
        Outcome(
            quantity=Decimal(3),
            proxy_value=Decimal(400),
            drop_off=Decimal("0.5"),
            duration_years=2,
            fiscal=True,
        ),
    ]
    assert evaluate(outcomes, Decimal(500), checked=True) == evaluate(outcomes, Decimal(500))
    assert sensitivity(outcomes, Decimal(500), checked=True) == sensitivity(outcomes, Decimal(500))
    bad = [Outcome(quantity=Decimal(-1), proxy_value=Decimal(1))]
    with pytest.raises(ValueError, match="outcome 1 quantity must not be negative"):
        evaluate(bad, Decimal(100))
    with pytest.raises(ValueError, match="outcome 1 quantity must not be negative"):
        sensitivity(bad, Decimal(100))


def test_a_draft_being_written_keeps_the_report_and_a_change_to_an_invested_group_does_not(client, builds):
    investment = awarded_investment(amount_requested=Decimal("1000.00"))
    fund = investment.round.fund
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    url = reverse("reporting:sroi", args=[fund.slug])
    client.get(url)
    draft = ApplicationFactory(round=investment.round)
    draft.title = "Still writing"
    draft.save()
    client.get(url)
    assert len(builds) == 1
    group = investment.application.organisation
    group.name = "Hindley Green Gardeners"
    group.save()
    assert "Hindley Green Gardeners" in client.get(url).content.decode()
    assert len(builds) == 2
