"""The social value page shows its by-investment table a page at a time; the CSV has every row."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from fund.models import FundRole
from fund.money import pounds
from kit.pagination import PER_PAGE
from reporting.figures import build_report
from tests.factories import (
    ApplicationFactory,
    InvestmentFactory,
    RoundFactory,
    awarded_investment,
    financial_proxy,
    fund_with_tiers,
    outcome_record,
    staff,
)
from tests.support.downloads import body_text

pytestmark = pytest.mark.django_db


def test_the_by_investment_table_pages_and_the_csv_has_them_all(client):
    fund = fund_with_tiers()
    round = RoundFactory(fund=fund)
    count = PER_PAGE + 5
    for number in range(count):
        application = ApplicationFactory(
            round=round,
            status=Application.Status.AWARDED,
            reference=f"CIF-2026-{number:05d}",
            submitted_at=timezone.now(),
        )
        InvestmentFactory(application=application)
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    page = client.get(reverse("reporting:sroi", args=[fund.slug])).content.decode()
    assert page.count("CIF-2026-") == PER_PAGE
    assert f"Showing 1 to {PER_PAGE} of {count} investments" in page
    second = client.get(reverse("reporting:sroi", args=[fund.slug]), {"page": 2}).content.decode()
    assert second.count("CIF-2026-") == 5
    assert (
        "download" in second and "page=2" not in second.split("Download these figures")[0].split("href=")[-1]
    )
    csv_text = body_text(client.get(reverse("reporting:sroi_csv", args=[fund.slug])))
    assert csv_text.count("CIF-2026-") == count


def test_an_investments_outcomes_page_by_25_with_the_total_of_them_all_in_the_same_queries(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    investment = awarded_investment()
    fund = investment.round.fund
    proxy = financial_proxy(fund, value="10.00")
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    url = reverse("reporting:outcomes", args=[investment.pk])
    for _ in range(3):
        outcome_record(investment, proxy, quantity="1")
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(27):
        outcome_record(investment, proxy, quantity="1")
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("× Volunteer hour</h2>") == 25
    assert "Showing 1 to 25 of 30 outcomes" in page
    total = pounds(build_report(fund).total.value.present_value)
    assert f"Together the outcomes below are worth <strong>{total}</strong>" in page
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("× Volunteer hour</h2>") == 5
