"""The social value page shows its by-investment table a page at a time; the CSV has every row."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from fund.models import FundRole
from kit.pagination import PER_PAGE
from tests.factories import ApplicationFactory, InvestmentFactory, RoundFactory, fund_with_tiers, staff
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
