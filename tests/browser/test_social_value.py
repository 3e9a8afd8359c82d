"""Finance values an investment's outcomes and takes a board pack away, in Chromium, with axe."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from fund.models import FundRole
from reporting.figures import build_report
from tests.factories import awarded_investment, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_values_outcomes_and_downloads_a_board_pack(person, assert_accessible, tasks):
    investment = awarded_investment(amount_requested=Decimal("1800.00"))
    fund = investment.round.fund
    finance = staff(FundRole.Role.FINANCE, fund, full_name="Farid Finance")
    tab = person(finance)

    tab.goto("/finance/")
    tab.get_by_role("link", name=f"Financial proxies for {fund.name}").click()
    tab.get_by_role("button", name="Add the starter set").click()
    expect(tab.get_by_text("5 starter proxies added")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_role("link", name="Volunteer hour").click()
    expect(tab.get_by_role("heading", name="Change Volunteer hour")).to_be_visible()
    assert_accessible(tab)

    tab.goto("/finance/")
    tab.get_by_role("link", name=f"Outcomes of {investment.application.reference}").click()
    expect(tab.get_by_text("No outcomes recorded yet.")).to_be_visible()
    tab.get_by_role("link", name="Record an outcome").click()
    tab.get_by_label("Financial proxy").select_option(
        label="Volunteer hour: £19.00 per hour given by a volunteer"
    )
    tab.get_by_label("Quantity").fill("120")
    for legend, (day, month, year) in (
        ("Start of the period", ("1", "4", "2026")),
        ("End of the period", ("30", "9", "2026")),
    ):
        group = tab.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(year)
    tab.get_by_label("Evidence").fill("The group's volunteer sign-in book")
    tab.get_by_label("Deadweight (optional)").fill("50")
    tab.get_by_role("button", name="Save outcome").click()
    # A changed default needs its reason; nothing typed is lost.
    expect(tab.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(tab.get_by_label("Quantity")).to_have_value("120")
    assert_accessible(tab)
    tab.get_by_label("Why the defaults do not fit (if you changed any)").fill("Half came before the grant")
    tab.get_by_role("button", name="Save outcome").click()
    expect(tab.get_by_text("The outcome is recorded.")).to_be_visible()
    expect(tab.get_by_role("heading", name="120 × Volunteer hour")).to_be_visible()
    assert_accessible(tab)

    tab.goto("/finance/")
    tab.get_by_role("link", name=f"Social value and board packs for {fund.name}").click()
    ratio = build_report(fund).total.value.ratio
    expect(tab.get_by_role("definition").filter(has_text="of value for each £1 invested")).to_contain_text(
        f"£{ratio}"
    )
    expect(tab.get_by_role("img", name="Invested and social value by tier")).to_be_visible()
    assert_accessible(tab)

    tab.get_by_role("button", name="Make a board pack (PDF) of these figures").click()
    expect(tab.get_by_role("status")).to_contain_text("% done")
    assert_accessible(tab)
    tasks()  # the worker makes the pack; the page notices and shows it is ready
    expect(tab.get_by_role("heading", name="Your board pack is ready")).to_be_visible(timeout=15_000)
    assert_accessible(tab)
    with tab.expect_download() as download:
        tab.get_by_role("link", name="Download the board pack (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith(".pdf")
