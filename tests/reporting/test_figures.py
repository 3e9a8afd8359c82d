"""The fund's figures: every breakdown adds up to what the engine computes for the same outcomes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import MatchFunding
from fund.models import FundRole
from investments.models import Investment, PaymentEntry, ProgressUpdate
from reporting import services
from reporting.figures import build_report, financial_year, financial_year_label
from reporting.sroi import Outcome, evaluate
from tests.factories import (
    GoalFactory,
    MatchFundingFactory,
    PlaceFactory,
    RoundFactory,
    ThemeFactory,
    awarded_investment,
    financial_proxy,
    fund_with_tiers,
    outcome_record,
    staff,
)

pytestmark = pytest.mark.django_db

HOUR = Outcome(quantity=Decimal(10), proxy_value=Decimal("19.00"))
HOUR_OVERRIDDEN = Outcome(quantity=Decimal(5), proxy_value=Decimal("19.00"), deadweight=Decimal("0.2"))
SAVING = Outcome(
    quantity=Decimal(2),
    proxy_value=Decimal("100.00"),
    deadweight=Decimal("0.5"),
    drop_off=Decimal("0.1"),
    duration_years=2,
    fiscal=True,
)


@pytest.fixture
def scene():
    """Two investments in one fund: a small one started in 2025-26, a start-up in 2026-27,
    sharing a place and a theme, with outcomes valued by two proxies."""
    fund = fund_with_tiers(decided_by_officer=True)
    round_ = RoundFactory(fund=fund, budget=Decimal("100000.00"))
    small = awarded_investment(round=round_, amount_requested=Decimal("1000.00"), start_date=date(2025, 6, 1))
    start_up = awarded_investment(
        round=round_, amount_requested=Decimal("4000.00"), start_date=date(2026, 5, 1)
    )
    shared_place = PlaceFactory(fund=fund, name="Leigh")
    for investment in (small, start_up):
        investment.application.places.add(shared_place)
    together, apart = ThemeFactory(fund=fund, name="Together"), ThemeFactory(fund=fund, name="Apart")
    # Two of the small investment's goals share a theme: it must still count once there.
    small.application.goals.get().themes.add(together)
    GoalFactory(application=small.application).themes.add(together)
    start_up.application.goals.get().themes.add(together, apart)

    hour = financial_proxy(fund, name="Volunteer hour", value="19.00")
    saving = financial_proxy(
        fund,
        name="GP appointment avoided",
        value="100.00",
        kind="fiscal",
        deadweight=Decimal("0.5"),
        drop_off=Decimal("0.1"),
        duration_years=2,
    )
    outcome_record(small, hour, "10")
    outcome_record(small, hour, "5", deadweight=Decimal("0.2"), override_reason="Some came anyway")
    outcome_record(start_up, saving, "2")

    # Money and reach: one tranche paid, secured match funding (pending does not count),
    # a sent update (a draft does not count), and the small investment closed self-sustaining.
    first = small.payments.order_by("number").first()
    PaymentEntry.objects.create(
        payment=first, amount=Decimal("600.00"), paid_on=small.start_date, reference="P1"
    )
    MatchFundingFactory(application=start_up.application, amount=Decimal("2000.00"))
    MatchFundingFactory(
        application=start_up.application, amount=Decimal("500.00"), status=MatchFunding.Status.PENDING
    )
    ProgressUpdate.objects.filter(investment=small).update(
        status=ProgressUpdate.Status.SUBMITTED, people_reached=7, volunteer_hours=Decimal("3.5")
    )
    ProgressUpdate.objects.filter(investment=start_up).update(
        status=ProgressUpdate.Status.DRAFT, people_reached=99, volunteer_hours=Decimal("99")
    )
    Investment.objects.filter(pk=small.pk).update(
        status=Investment.Status.COMPLETED, outcome=Investment.Outcome.SELF_SUSTAINING
    )
    return fund, small, start_up, shared_place, together, apart


def test_the_total_is_the_engines_answer_for_every_outcome(scene):
    fund, *_ = scene
    report = build_report(fund)
    assert report.total.value == evaluate([HOUR, HOUR_OVERRIDDEN, SAVING], Decimal("5000.00"))
    assert report.total.value.fiscal_present_value == evaluate([SAVING], Decimal(5000)).present_value
    total = report.total
    assert (total.investments, total.invested, total.paid) == (2, Decimal("5000.00"), Decimal("600.00"))
    assert (total.match_funding, total.match_ratio) == (Decimal("2000.00"), Decimal("0.40"))
    assert (total.people_reached, total.volunteer_hours) == (7, Decimal("3.5"))
    assert (total.closed, total.self_sustaining) == (1, 1)
    assert report.sensitivity.low <= report.total.value.ratio <= report.sensitivity.high


def test_tiers_rounds_and_years_each_hold_their_own_investments(scene):
    fund, small, start_up, *_ = scene
    report = build_report(fund)
    tiers = {row.label: row.figures for row in report.by_tier}
    assert tiers["Small"].value == evaluate([HOUR, HOUR_OVERRIDDEN], Decimal("1000.00"))
    assert tiers["Start-up"].value == evaluate([SAVING], Decimal("4000.00"))
    assert [row.figures.invested for row in report.by_round] == [Decimal("5000.00")]
    assert [(row.label, row.figures.investments) for row in report.by_year] == [
        ("2025–26", 1),
        ("2026–27", 1),
    ]
    assert [row.reference for row in report.by_investment] == sorted(
        [small.application.reference, start_up.application.reference]
    )


def test_an_investment_counts_once_in_each_place_and_theme_it_serves(scene):
    fund, _small, _start_up, shared_place, _together, _apart = scene
    report = build_report(fund)
    places = {row.key: row.figures for row in report.by_place}
    assert places[shared_place.pk].investments == 2
    assert places[shared_place.pk].value == report.total.value
    themes = {row.label: row.figures for row in report.by_theme}
    assert (themes["Together"].investments, themes["Together"].invested) == (2, Decimal("5000.00"))
    assert themes["Together"].value == report.total.value
    assert themes["Apart"].value == evaluate([SAVING], Decimal("4000.00"))


def test_overrides_are_listed_with_their_reasons_and_counted_against_the_proxy(scene):
    fund, *_ = scene
    report = build_report(fund)
    [override] = report.overrides
    assert override.changes == {"deadweight": Decimal("0.2000")}
    assert (override.reason, override.records, override.investments) == ("Some came anyway", 1, 1)
    usage = {a.version.name: (a.quantity, a.records, a.overridden) for a in report.assumptions}
    assert usage["Volunteer hour"] == (Decimal("15.00"), 2, 1)


def test_filtering_the_investments_narrows_every_figure(scene):
    fund, small, *_ = scene
    report = build_report(fund, Investment.objects.filter(pk=small.pk))
    assert report.total.investments == 1
    assert report.total.value == evaluate([HOUR, HOUR_OVERRIDDEN], Decimal("1000.00"))


def test_a_cancelled_investment_is_left_out(scene):
    fund, _small, start_up, *_ = scene
    Investment.objects.filter(pk=start_up.pk).update(status=Investment.Status.CANCELLED)
    assert build_report(fund).total.invested == Decimal("1000.00")


def test_a_report_made_again_uses_the_proxy_values_it_first_used(scene):
    fund, small, *_ = scene
    first_made = timezone.now()
    proxy = fund.proxies.get(versions__name="Volunteer hour")
    values = {name: getattr(proxy.current, name) for name in services.VERSIONED} | {"value": Decimal("25.00")}
    services.save_proxy(
        fund=fund, by=staff(FundRole.Role.FINANCE, fund), values=values, proxy=proxy, reason="2025 prices"
    )
    outcome_record(small, proxy, "100")

    again = build_report(fund, as_of=first_made)
    assert again.total.value == evaluate([HOUR, HOUR_OVERRIDDEN, SAVING], Decimal("5000.00"))
    now = build_report(fund)
    assert {a.version.number for a in now.assumptions if a.version.name == "Volunteer hour"} == {2}
    assert now.total.value.present_value > again.total.value.present_value


def test_financial_years_run_from_april():
    assert financial_year(date(2026, 3, 31)) == 2025
    assert financial_year(date(2026, 4, 1)) == 2026
    assert financial_year_label(2025) == "2025–26"
    assert financial_year_label(2099) == "2099–00"


@pytest.mark.postgres
def test_the_figures_are_the_same_on_postgresql(postgres, scene):
    fund, *_ = scene
    report = build_report(fund, as_of=timezone.now() + timedelta(seconds=1))
    assert report.total.value == evaluate([HOUR, HOUR_OVERRIDDEN, SAVING], Decimal("5000.00"))
    assert {row.label: row.figures.investments for row in report.by_theme} == {"Together": 2, "Apart": 1}


def test_the_pack_has_a_table_of_investments_for_each_tier(scene):
    fund, small, start_up, *_ = scene
    tables = build_report(fund).investments_by_tier
    assert [(caption, [row.reference for row in rows]) for caption, rows in tables] == [
        ("Small: 1 investment", [small.application.reference]),
        ("Start-up: 1 investment", [start_up.application.reference]),
    ]
