"""Finance's proxies, officers' outcome records and the SROI page, as people use them."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from fund.models import FundRole
from fund.money import pounds
from reporting.figures import build_report
from reporting.models import FinancialProxy, OutcomeRecord, ProxyVersion
from reporting.starter import STARTER_PROXIES
from tests.factories import (
    GoalFactory,
    UserFactory,
    awarded_investment,
    financial_proxy,
    outcome_record,
    staff,
)
from tests.support.downloads import body_text

pytestmark = pytest.mark.django_db

PROXY_FORM = {
    "name": "Food parcel",
    "unit": "food parcel given out",
    "value": "£12.50",
    "kind": "social",
    "source": "Our own food bank's costs",
    "source_url": "",
    "source_year": "2025",
    "price_base": "2024/25",
    "deadweight": "10",
    "attribution": "20%",
    "displacement": "0",
    "drop_off": "0",
    "duration_years": "1",
    "needs_review": "on",
    "notes": "",
}


@pytest.fixture
def investment():
    return awarded_investment(amount_requested=Decimal("1000.00"))


@pytest.fixture
def finance(investment):
    return staff(FundRole.Role.FINANCE, investment.round.fund, full_name="Farid Finance")


# --- Proxies -------------------------------------------------------------------------------------


def test_finance_starts_from_the_starter_set_every_value_sourced_and_marked_for_review(
    client, finance, investment
):
    fund = investment.round.fund
    client.force_login(finance)
    page = client.get(reverse("reporting:proxies", args=[fund.slug])).content.decode()
    assert "Add the starter set" in page
    client.post(reverse("reporting:proxies", args=[fund.slug]), {"starter": "1"})
    client.post(reverse("reporting:proxies", args=[fund.slug]), {"starter": "1"})  # twice adds nothing more
    versions = ProxyVersion.objects.filter(proxy__fund=fund)
    assert versions.count() == len(STARTER_PROXIES) == 5
    for version in versions:
        assert version.needs_review
        assert version.source and version.source_url.startswith("https://")
        assert 2010 < version.source_year < 2030 and version.price_base
    assert {version.kind for version in versions} == {"fiscal", "social"}
    page = client.get(reverse("reporting:proxies", args=[fund.slug])).content.decode()
    assert page.count("To review") == 5


def test_finance_adds_a_proxy_typing_percentages(client, finance, investment):
    fund = investment.round.fund
    client.force_login(finance)
    response = client.post(reverse("reporting:proxy_add", args=[fund.slug]), PROXY_FORM)
    assert response.status_code == 302
    version = ProxyVersion.objects.get(proxy__fund=fund)
    assert (version.value, version.deadweight, version.attribution) == (
        Decimal("12.50"),
        Decimal("0.1000"),
        Decimal("0.2000"),
    )
    assert (version.number, version.created_by) == (1, finance)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("deadweight", "150", "The deadweight must be from 0% to 100%"),
        ("attribution", "lots", "Enter the attribution as a percentage, like 25"),
        ("drop_off", "", "Enter the drop-off as a percentage, like 25"),
        ("duration_years", "0", "The duration must be at least 1 year"),
        ("value", "twelve", "Enter the value per unit as a number of pounds, like 1500 or 1500.50"),
        ("kind", "", "Choose whether the value is fiscal or social"),
    ],
)
def test_a_mistyped_proxy_is_explained_and_nothing_typed_is_lost(
    client, finance, investment, field, typed, message
):
    fund = investment.round.fund
    client.force_login(finance)
    response = client.post(reverse("reporting:proxy_add", args=[fund.slug]), {**PROXY_FORM, field: typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'value="Our own food bank&#x27;s costs"' in page
    assert not FinancialProxy.objects.exists()


def test_changing_a_proxy_adds_a_version_with_its_reason(client, finance, investment):
    fund = investment.round.fund
    proxy = financial_proxy(fund, name="Food parcel", value="12.50")
    record = outcome_record(investment, proxy, "10")
    client.force_login(finance)
    url = reverse("reporting:proxy_edit", args=[fund.slug, proxy.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {
        name: ("on" if value is True else "" if value in (None, False) else value)
        for name, value in data.items()
    }

    missing = client.post(url, {**data, "value": "14.00", "change_reason": ""})
    assert "Say why the proxy is changing, for the record" in missing.content.decode()
    assert proxy.versions.count() == 1

    client.post(url, {**data, "value": "14.00", "change_reason": "Prices of 2025/26"})
    assert [v.value for v in proxy.versions.order_by("number")] == [Decimal("12.50"), Decimal("14.00")]
    assert proxy.current.change_reason == "Prices of 2025/26"
    record.refresh_from_db()
    assert record.proxy == proxy  # the outcome follows the proxy, valued now at its new version
    client.post(url, {**data, "value": "14.00", "change_reason": "No change really"})
    assert proxy.versions.count() == 2  # saving the same values adds nothing


def test_only_the_funds_finance_keeps_its_proxies(client, investment, finance):
    fund = investment.round.fund
    proxy = financial_proxy(fund)
    urls = [
        reverse("reporting:proxies", args=[fund.slug]),
        reverse("reporting:proxy_add", args=[fund.slug]),
        reverse("reporting:proxy_edit", args=[fund.slug, proxy.pk]),
    ]
    client.force_login(finance)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    for other in (
        staff(FundRole.Role.OFFICER, fund),
        staff(FundRole.Role.FINANCE, awarded_investment().round.fund),
        investment.application.organisation.memberships.first().user,
    ):
        client.force_login(other)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]


# --- Outcome records -----------------------------------------------------------------------------


def _outcome_form(chosen, **changes):
    return {
        "proxy": chosen.pk,
        "quantity": "24",
        "period_start_0": "1",
        "period_start_1": "4",
        "period_start_2": "2026",
        "period_end_0": "31",
        "period_end_1": "3",
        "period_end_2": "2027",
        "evidence": "The group's sign-in sheets",
        "goal": "",
        "update": "",
        "deadweight": "",
        "attribution": "",
        "displacement": "",
        "drop_off": "",
        "duration_years": "",
        "override_reason": "",
        **changes,
    }


def test_an_officer_records_an_outcome_against_the_groups_goal(client, investment):
    fund = investment.round.fund
    proxy = financial_proxy(fund, deadweight=Decimal("0.25"))
    officer = staff(FundRole.Role.OFFICER, fund)
    goal = investment.application.goals.get()
    client.force_login(officer)
    url = reverse("reporting:outcomes", args=[investment.pk])
    response = client.post(
        reverse("reporting:outcome_add", args=[investment.pk]),
        _outcome_form(proxy, goal=goal.pk, deadweight="25"),
    )
    assert response.status_code == 302 and response.url == url
    record = OutcomeRecord.objects.get()
    assert (record.quantity, record.goal, record.recorded_by) == (Decimal("24"), goal, officer)
    assert record.overrides == {}  # 25% is the proxy's default, so it is not an override
    assert "24 × Volunteer hour" in client.get(url).content.decode()


def test_an_override_needs_a_reason_and_the_form_keeps_what_was_typed(client, investment, finance):
    proxy = financial_proxy(investment.round.fund)
    client.force_login(finance)
    url = reverse("reporting:outcome_add", args=[investment.pk])
    response = client.post(url, _outcome_form(proxy, drop_off="30", quantity="17"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Say why this outcome&#x27;s adjustments differ from the proxy&#x27;s defaults" in page
    assert 'value="17"' in page and 'value="30"' in page
    assert not OutcomeRecord.objects.exists()

    client.post(url, _outcome_form(proxy, drop_off="30", override_reason="Members stay for years"))
    record = OutcomeRecord.objects.get()
    assert record.overrides == {"drop_off": Decimal("0.3000")}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": "-3"}, "The quantity must not be negative"),
        ({"period_end_2": "2025"}, "The end of the period must be on or after its start"),
        ({"period_start_1": "13"}, "The start of the period must be a real date"),
        ({"proxy": ""}, "Choose the financial proxy that values this outcome"),
        ({"duration_years": "0"}, "The duration must be at least 1 year"),
    ],
)
def test_a_mistyped_outcome_is_explained(client, investment, finance, changes, message):
    proxy = financial_proxy(investment.round.fund)
    client.force_login(finance)
    response = client.post(
        reverse("reporting:outcome_add", args=[investment.pk]), _outcome_form(proxy, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OutcomeRecord.objects.exists()


def test_an_outcome_cannot_point_at_another_groups_goal_or_another_funds_proxy(client, investment, finance):
    other = awarded_investment()
    client.force_login(finance)
    url = reverse("reporting:outcome_add", args=[investment.pk])
    theirs = GoalFactory(application=other.application)
    response = client.post(url, _outcome_form(financial_proxy(investment.round.fund), goal=theirs.pk))
    assert "Choose one of this group&#x27;s goals, or None" in response.content.decode()
    response = client.post(url, _outcome_form(financial_proxy(other.round.fund)))
    assert "Choose the financial proxy that values this outcome" in response.content.decode()
    assert not OutcomeRecord.objects.exists()


def test_an_outcome_can_be_changed_and_removed(client, investment, finance):
    proxy = financial_proxy(investment.round.fund)
    record = outcome_record(investment, proxy, "5")
    client.force_login(finance)
    edit = reverse("reporting:outcome_edit", args=[investment.pk, record.pk])
    assert 'value="5.00"' in client.get(edit).content.decode()
    client.post(edit, _outcome_form(proxy, quantity="8"))
    record.refresh_from_db()
    assert record.quantity == Decimal("8")
    client.post(reverse("reporting:outcome_delete", args=[investment.pk, record.pk]))
    assert not OutcomeRecord.objects.exists()


def test_groups_and_other_funds_never_see_outcome_records(client, investment):
    record = outcome_record(investment, financial_proxy(investment.round.fund))
    urls = [
        reverse("reporting:outcomes", args=[investment.pk]),
        reverse("reporting:outcome_add", args=[investment.pk]),
        reverse("reporting:outcome_edit", args=[investment.pk, record.pk]),
    ]
    for outsider in (
        investment.application.organisation.memberships.first().user,
        staff(FundRole.Role.MENTOR, investment.round.fund),
        staff(FundRole.Role.OFFICER, awarded_investment().round.fund),
    ):
        client.force_login(outsider)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
        delete = reverse("reporting:outcome_delete", args=[investment.pk, record.pk])
        assert client.post(delete).status_code == 404
    assert OutcomeRecord.objects.exists()


# --- The SROI page and its CSV -------------------------------------------------------------------


def test_the_sroi_page_and_csv_show_the_same_figures_as_the_report(client, investment, finance):
    fund = investment.round.fund
    outcome_record(investment, financial_proxy(fund, value="19.00", needs_review=True), "100")
    report = build_report(fund)
    client.force_login(finance)
    page = client.get(reverse("reporting:sroi", args=[fund.slug])).content.decode()
    assert f"<strong>£{report.total.value.ratio}</strong> of value for each £1 invested" in page
    assert pounds(report.total.value.present_value) in page
    assert "1 of the proxies used has not been reviewed by finance: Volunteer hour" in page
    assert "<svg" in page and "Invested and social value by tier" in page

    response = client.get(reverse("reporting:sroi_csv", args=[fund.slug]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body_text(response))))
    total = rows[0]
    assert (total["Breakdown"], total["Group"]) == ("Total", "All investments")
    assert Decimal(total["Present value (£)"]) == report.total.value.present_value
    assert Decimal(total["SROI ratio"]) == report.total.value.ratio
    tiers = [row for row in rows if row["Breakdown"] == "Tier"]
    assert [row["Group"] for row in tiers] == [row.label for row in report.by_tier]
    [row] = [row for row in rows if row["Breakdown"] == "Investment"]
    assert row["Reference"] == investment.application.reference


def test_filters_narrow_the_page_and_the_csv(client, investment, finance):
    fund = investment.round.fund
    other = awarded_investment(amount_requested=Decimal("3000.00"), round=investment.round)
    client.force_login(finance)
    page = client.get(reverse("reporting:sroi", args=[fund.slug]), {"tier": other.tier.pk}).content.decode()
    assert f"Tier: {other.tier.name}: 1 investment." in page
    csv_text = body_text(client.get(reverse("reporting:sroi_csv", args=[fund.slug]), {"tier": other.tier.pk}))
    assert investment.application.reference not in csv_text
    assert other.application.reference in csv_text


def test_only_the_funds_finance_and_officers_see_its_social_value(client, investment, finance):
    fund = investment.round.fund
    urls = [reverse("reporting:sroi", args=[fund.slug]), reverse("reporting:sroi_csv", args=[fund.slug])]
    for insider in (finance, staff(FundRole.Role.OFFICER, fund)):
        client.force_login(insider)
        assert [client.get(url).status_code for url in urls] == [200, 200]
    for outsider in (
        UserFactory(),
        investment.application.organisation.memberships.first().user,
        staff(FundRole.Role.PANEL, fund),
        staff(FundRole.Role.MENTOR, fund),
        staff(FundRole.Role.FINANCE, awarded_investment().round.fund),
    ):
        client.force_login(outsider)
        assert [client.get(url).status_code for url in urls] == [404, 404]
    client.logout()
    assert client.get(urls[0]).status_code == 302


def test_a_fund_with_nothing_invested_yet_says_so(client):
    from tests.factories import fund_with_tiers

    fund = fund_with_tiers()
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    page = client.get(reverse("reporting:sroi", args=[fund.slug])).content.decode()
    assert "All investments: 0 investments." in page
    assert "Nothing invested yet" in page
    assert client.get(reverse("reporting:sroi_csv", args=[fund.slug])).status_code == 200


def test_finance_home_shows_each_rounds_set_aside_and_each_investments_paid_once(client, investment, finance):
    """Figures summed across a join count each row once per row of the other relation; the page
    shows what was set aside and what was paid, however many criteria, allocations and payments."""
    from investments.models import Payment, PaymentEntry
    from tests.factories import CriterionFactory, TierAllocationFactory

    round = investment.round
    round.allocations.all().delete()
    for tier, amount in zip(
        round.fund.tiers.order_by("minimum_amount"), ("10000", "20000", "30000"), strict=True
    ):
        TierAllocationFactory(round=round, tier=tier, amount=Decimal(amount))
    for _ in range(4):
        CriterionFactory(round=round)
    payments = list(investment.payments.order_by("number"))
    Payment.objects.filter(investment=investment).delete()
    for number, amount in enumerate(("300.00", "450.00"), start=1):
        tranche = Payment.objects.create(
            investment=investment,
            number=number,
            due_date=investment.start_date,
            amount=Decimal(amount),
            status=Payment.Status.PAID,
        )
        PaymentEntry.objects.create(
            payment=tranche, amount=Decimal(amount), paid_on=investment.start_date, reference=f"P{number}"
        )
    assert payments  # the award made a schedule, replaced above by two paid tranches
    client.force_login(finance)

    html = client.get(reverse("reporting:finance_home")).content.decode()

    assert f"{round.name}</th>" in html
    row = html.split(f"{round.name}</th>", 1)[1].split("</tr>", 1)[0]
    assert "£60,000" in row
    investment_row = html.split(investment.application.reference, 1)[1].split("</tr>", 1)[0]
    assert "£750" in investment_row
