"""A group gives its bank details on a phone without JavaScript; finance checks them, makes a
payment run, downloads its file and marks it paid; a later change of details holds the next
payment. axe checks each page."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fund.models import FundRole
from investments.models import Payment
from tests.factories import UserFactory, awarded_investment, staff
from tests.support.browser import signed_in_tab

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bank_details_are_checked_before_a_run_pays_them(chromium, live_server, person, assert_accessible):
    owner = UserFactory(full_name="Sam Hughes")
    investment = awarded_investment(member=owner, amount_requested=Decimal("1500.00"))
    group = investment.application.organisation
    fund = investment.round.fund
    finance = staff(FundRole.Role.FINANCE, fund)

    context = chromium.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    try:
        tab = signed_in_tab(context, owner)
        tab.goto(f"/groups/{group.pk}/bank-details/")
        tab.get_by_label("Name on the account").fill(group.name)
        tab.get_by_label("Sort code").fill("30-90-8")
        tab.get_by_label("Account number").fill("00733445")
        tab.get_by_role("button", name="Save bank details").click()
        expect(tab.get_by_role("alert")).to_contain_text("A sort code has 6 numbers: this has 5")
        expect(tab.get_by_label("Account number")).to_have_value("00733445")
        tab.get_by_label("Sort code").fill("30-90-89")
        tab.get_by_role("button", name="Save bank details").click()
        expect(tab.get_by_text("Not checked by the fund yet")).to_be_visible()
        expect(tab.get_by_text(re.compile(r"\*\*-\*\*-89"))).to_be_visible()
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()

    tab = person(finance)
    tab.goto("/home/")
    tab.get_by_role("link", name=re.compile("new bank details to check")).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Payment runs")
    assert_accessible(tab)
    tab.get_by_role("link", name=group.name).click()
    expect(tab.get_by_text("00733445")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_label("How did you check them?").fill("Phoned Sam, the treasurer, on the number we hold")
    tab.get_by_label(re.compile("The details match")).check()
    tab.get_by_role("button", name="Mark as checked").click()
    expect(tab.get_by_text("bank details are checked")).to_be_visible()

    tab.goto(f"/finance/funds/{fund.slug}/payment-runs/new/")
    assert_accessible(tab)
    tab.get_by_role("button", name="Make the run").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Payment run 1")
    assert_accessible(tab)
    with tab.expect_download() as download:
        tab.get_by_role("link", name=re.compile("Download the run")).click()
    assert "00733445" in download.value.path().read_text(encoding="utf-8-sig")
    first = investment.payments.order_by("number").first()
    today = timezone.localdate()
    paid_on = tab.get_by_role("group", name="Date paid")
    for label, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
        paid_on.get_by_label(label).fill(str(value))
    tab.get_by_label(re.compile("The run's total")).fill(f"{first.amount}")
    tab.get_by_role("button", name="Mark the run as paid").click()
    expect(tab.get_by_text("each payment is recorded")).to_be_visible()
    first.refresh_from_db()
    assert first.status == Payment.Status.PAID

    # The group changes its details: the next payment waits for finance's check again.
    group_tab = person(owner)
    group_tab.goto(f"/groups/{group.pk}/bank-details/")
    group_tab.get_by_label("Name on the account").fill(group.name)
    group_tab.get_by_label("Sort code").fill("40-11-62")
    group_tab.get_by_label("Account number").fill("21498730")
    group_tab.get_by_role("button", name="Save bank details").click()
    tab.goto(f"/manage/payments/investments/{investment.pk}/")
    expect(tab.get_by_text("Not checked")).to_be_visible()
    assert_accessible(tab)
