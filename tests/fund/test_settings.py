"""The fund's own settings, set by its officers: how long a group's change of goals waits, the
award above which a second officer approves, and how long an offer waits and on what terms."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fund.models import Fund, FundRole
from tests.factories import fund_with_tiers, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund():
    return fund_with_tiers()


def settings_of(fund, **changed):
    return {
        "goal_change_days": str(fund.goal_change_days),
        "signoff_limit": "",
        "offer_days": str(fund.offer_days),
        "offer_terms": fund.offer_terms,
        **changed,
    }


def test_an_officer_sets_how_long_a_change_of_goals_waits_and_the_trail_keeps_it(client, fund):
    officer = staff(FundRole.Role.OFFICER, fund)
    client.force_login(officer)
    assert (
        "14 days, then takes effect"
        in client.get(reverse("fund:fund_detail", args=[fund.slug])).content.decode()
    )
    response = client.post(
        reverse("fund:fund_settings", args=[fund.slug]), settings_of(fund, goal_change_days="21")
    )
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.goal_change_days == 21
    assert fund.history.latest().history_user == officer


def test_an_officer_sets_the_sign_off_limit_and_the_offers_days_and_terms(client, fund):
    client.force_login(staff(FundRole.Role.OFFICER, fund))
    page = client.get(reverse("fund:fund_detail", args=[fund.slug])).content.decode()
    assert "None: no sign-off limit is set" in page
    assert "28 days, then it lapses" in page
    response = client.post(
        reverse("fund:fund_settings", args=[fund.slug]),
        settings_of(
            fund, signoff_limit="10,000", offer_days="21", offer_terms="Spend it well.\nSay thank you."
        ),
    )
    assert response.status_code == 302
    fund.refresh_from_db()
    assert (fund.signoff_limit, fund.offer_days, fund.offer_terms) == (
        Decimal("10000.00"),
        21,
        "Spend it well.\nSay thank you.",
    )
    page = client.get(reverse("fund:fund_detail", args=[fund.slug])).content.decode()
    assert "Over £10,000" in page
    assert "21 days, then it lapses" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("signoff_limit", "ten thousand", "Enter the sign-off limit"),
        ("signoff_limit", "0", "£0.01"),
        ("signoff_limit", "-500", "£0.01"),
        ("signoff_limit", "1e5", "Enter the sign-off limit"),
        ("offer_days", "", "Enter how many days a group has to accept an offer, like 28"),
        ("offer_days", "6", "Give a group at least 7 days to accept an offer"),
        ("offer_days", "91", "An offer can wait 90 days at most"),
        ("offer_days", "four weeks", "Enter the days as a whole number, like 28"),
        ("offer_terms", "", "Enter the terms of an offer"),
        ("offer_terms", "x" * 10001, "10,000 characters"),
    ],
)
def test_a_mistyped_offer_setting_is_explained_and_the_rest_is_kept(client, fund, field, value, message):
    client.force_login(staff(FundRole.Role.OFFICER, fund))
    data = settings_of(fund, goal_change_days="30", **{field: value})
    response = client.post(reverse("fund:fund_settings", args=[fund.slug]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="30"' in page  # what else was typed is still there
    fund.refresh_from_db()
    assert (fund.goal_change_days, fund.signoff_limit, fund.offer_days) == (14, None, 28)


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
    data = settings_of(fund)
    data.pop("goal_change_days") if value is None else data.update(goal_change_days=value)
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
