"""The fund's own settings, set by its officers: how long a group's change of goals waits."""

import pytest
from django.urls import reverse

from fund.models import Fund, FundRole
from tests.factories import fund_with_tiers, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund():
    return fund_with_tiers()


def test_an_officer_sets_how_long_a_change_of_goals_waits_and_the_trail_keeps_it(client, fund):
    officer = staff(FundRole.Role.OFFICER, fund)
    client.force_login(officer)
    assert (
        "14 days, then takes effect"
        in client.get(reverse("fund:fund_detail", args=[fund.slug])).content.decode()
    )
    response = client.post(reverse("fund:fund_settings", args=[fund.slug]), {"goal_change_days": "21"})
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.goal_change_days == 21
    assert fund.history.latest().history_user == officer


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter how many days a change of goals waits, like 14"),
        (None, "Enter how many days a change of goals waits, like 14"),
        ("two weeks", "Enter the days as a whole number, like 14"),
        ("0", "A change of goals must wait at least 1 day"),
        ("91", "A change of goals can wait 90 days at most"),
        ("7.5", "Enter the days as a whole number, like 14"),
    ],
)
def test_a_mistyped_number_of_days_is_explained_and_kept(client, fund, value, message):
    client.force_login(staff(FundRole.Role.OFFICER, fund))
    data = {} if value is None else {"goal_change_days": value}
    response = client.post(reverse("fund:fund_settings", args=[fund.slug]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'value="{value}"' in page or not value
    assert Fund.objects.get(pk=fund.pk).goal_change_days == 14


def test_only_the_funds_officers_change_its_settings(client, fund):
    url = reverse("fund:fund_settings", args=[fund.slug])
    client.force_login(staff(FundRole.Role.OFFICER, fund_with_tiers()))
    assert client.post(url, {"goal_change_days": "3"}).status_code == 404
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    assert client.post(url, {"goal_change_days": "3"}).status_code == 403
    assert Fund.objects.get(pk=fund.pk).goal_change_days == 14
