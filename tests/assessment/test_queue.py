"""The officer's work queue: filters, sorting and the CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from fund.models import FundRole
from tests.factories import OrganisationFactory, RoundFactory, fund_with_tiers, staff, submitted_application
from tests.support.downloads import body_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(client):
    fund = fund_with_tiers()
    round = RoundFactory(fund=fund)
    small = submitted_application(
        round=round,
        amount_requested=Decimal("1500.00"),
        organisation=OrganisationFactory(name="Leigh Knitters"),
        title="Knit and natter",
    )
    big = submitted_application(
        round=round,
        amount_requested=Decimal("25000.00"),
        organisation=OrganisationFactory(name="=Scholes Hub", legal_form="cio", charity_number="1180000"),
        title="Digital skills",
    )
    client.force_login(staff(FundRole.Role.OFFICER, fund))
    return {"small": small, "big": big, "round": round}


def test_filters_by_tier_and_by_words_in_the_name(client, queue):
    url = reverse("assessment:queue")
    big_tier = queue["big"].tier.pk
    html = client.get(url, {"tier": big_tier}).content.decode()
    assert queue["big"].reference in html and queue["small"].reference not in html
    html = client.get(url, {"q": "knit"}).content.decode()
    assert queue["small"].reference in html and queue["big"].reference not in html
    html = client.get(url, {"amount_min": "2000"}).content.decode()
    assert queue["big"].reference in html and queue["small"].reference not in html


def test_sorts_by_amount_both_ways(client, queue):
    url = reverse("assessment:queue")
    ascending = client.get(url, {"sort": "amount"}).content.decode()
    assert ascending.index(queue["small"].reference) < ascending.index(queue["big"].reference)
    descending = client.get(url, {"sort": "-amount"}).content.decode()
    assert descending.index(queue["big"].reference) < descending.index(queue["small"].reference)


def test_a_wrong_amount_in_a_filter_says_so(client, queue):
    response = client.get(reverse("assessment:queue"), {"amount_min": "lots"})
    assert "Enter an amount in pounds, like 2000" in response.content.decode()


def test_the_csv_holds_the_filtered_rows_and_cannot_run_formulas(client, queue):
    response = client.get(reverse("assessment:queue"), {"format": "csv", "sort": "amount"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body_text(response))))
    assert rows[0][:3] == ["Reference", "Group", "Project"]
    assert [row[0] for row in rows[1:]] == [queue["small"].reference, queue["big"].reference]
    assert rows[2][1] == "'=Scholes Hub"
    assert rows[2][5] == "25000.00"
