"""From the panel's decision to the money: an officer holds a meeting and releases its decisions;
an award over the fund's limit waits for a second officer; the group accepts its offer on a phone
without JavaScript and gives its bank details; finance checks them, makes a payment run, downloads
it and marks it paid; a later change of bank details holds the next payment. axe checks each page."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from fund.models import FundRole
from investments.models import Investment, Offer, Payment
from tests.factories import CriterionFactory, RoundFactory, UserFactory, fund_with_tiers, reviewed, staff
from tests.support.browser import signed_in_tab

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_meeting_releases_its_decisions_and_the_accepted_offer_is_paid(
    chromium, live_server, person, assert_accessible
):
    fund = fund_with_tiers(signoff_limit=Decimal("5000.00"))
    round = RoundFactory(fund=fund, budget=Decimal("50000.00"), name="Spring round")
    CriterionFactory(round=round, title="Need", scale_max=5)
    owner = UserFactory(full_name="Sam Hughes")
    awarded = reviewed(round, "8000.00", 5, member=owner)
    declined = reviewed(round, "4000.00", 1)
    officer = staff(FundRole.Role.OFFICER, fund, full_name="Olu Officer")
    second = staff(FundRole.Role.OFFICER, fund, full_name="Sam Second")
    finance = staff(FundRole.Role.FINANCE, fund)

    # The officer arranges the meeting and records its decisions.
    tab = person(officer)
    tab.goto(f"/manage/rounds/{round.pk}/")
    tab.get_by_role("link", name="Panel meetings").click()
    assert_accessible(tab)
    tab.get_by_role("link", name="Arrange a panel meeting").click()
    held_on = tab.get_by_role("group", name="Date of the meeting")
    today = timezone.localdate()
    held_on.get_by_label("Day").fill(str(today.day))
    held_on.get_by_label("Month").fill("13")
    held_on.get_by_label("Year").fill(str(today.year))
    tab.get_by_label("Who was there").fill("Councillor Jones (chair), two residents")
    tab.get_by_role("button", name="Arrange the meeting").click()
    expect(tab.get_by_role("alert")).to_be_visible()
    expect(tab.get_by_label("Who was there")).to_have_value("Councillor Jones (chair), two residents")
    held_on.get_by_label("Month").fill(str(today.month))
    tab.get_by_role("button", name="Arrange the meeting").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(f"Panel meeting, {today:%-d %B %Y}")
    assert_accessible(tab)

    tab.get_by_role("link", name=f"Record the decision on {awarded.reference}").click()
    assert_accessible(tab)
    tab.get_by_label("Award (the amount may be less").check()
    tab.get_by_label("Amount to award").fill("9000")
    tab.get_by_role("button", name="Record the decision").click()
    expect(tab.get_by_role("alert")).to_contain_text("cannot be more than the £8,000 asked for")
    tab.get_by_label("Amount to award").fill("7500")
    tab.get_by_role("button", name="Record the decision").click()
    expect(tab.get_by_text("It waits for another officer's approval")).to_be_visible()

    tab.get_by_role("link", name=f"Record the decision on {declined.reference}").click()
    tab.get_by_label("Decline, with feedback").check()
    tab.get_by_label("Feedback for the group").fill("The panel could not see who the project would reach.")
    tab.get_by_role("button", name="Record the decision").click()
    expect(tab.get_by_text("Waits for a second officer", exact=True)).to_be_visible()
    expect(tab.get_by_role("link", name="Release the decisions")).to_have_count(0)
    assert_accessible(tab)
    assert Investment.objects.count() == 0

    # A second officer approves the award over the limit.
    second_tab = person(second)
    second_tab.goto("/home/")
    second_tab.get_by_role("link", name="1 award waiting for your approval").click()
    second_tab.get_by_role("button", name=f"Approve the award to {awarded.reference}").click()
    expect(second_tab.get_by_text(f"You approved the award to {awarded.reference}")).to_be_visible()

    # The officer releases the decisions together, and prints the minutes.
    tab.reload()
    tab.get_by_role("link", name="Release the decisions").click()
    assert_accessible(tab)
    tab.get_by_role("button", name="Release 2 decisions").click()
    expect(tab.get_by_text("2 decisions released")).to_be_visible()
    minutes = tab.request.get(tab.get_by_role("link", name=re.compile("The minutes")).get_attribute("href"))
    assert minutes.headers["content-type"] == "application/pdf"
    awarded.refresh_from_db()
    declined.refresh_from_db()
    assert (awarded.status, declined.status) == (Application.Status.AWARDED, Application.Status.DECLINED)
    investment = awarded.investment
    assert investment.amount == Decimal("7500.00")

    # The group accepts its offer, and gives its bank details, on a phone without JavaScript.
    context = chromium.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    try:
        group_tab = signed_in_tab(context, owner)
        group_tab.goto("/home/")
        group_tab.get_by_role("link", name=re.compile("Accept the offer of £7,500")).click()
        expect(group_tab.get_by_role("heading", level=1)).to_have_text("Your offer of investment")
        letter = group_tab.request.get(f"/investments/{investment.pk}/offer/letter.pdf")
        assert letter.headers["content-type"] == "application/pdf"
        group_tab.get_by_label("Your full name").fill("Sam Hughes")
        group_tab.get_by_label("Your position in the group").fill("Treasurer")
        group_tab.get_by_role("button", name="Accept the offer").click()
        expect(group_tab.get_by_role("alert")).to_contain_text(
            "Confirm that you accept the terms for the group"
        )
        expect(group_tab.get_by_label("Your position in the group")).to_have_value("Treasurer")
        group_tab.get_by_label(re.compile("I accept the offer")).check()
        group_tab.get_by_role("button", name="Accept the offer").click()
        expect(group_tab.get_by_text("Offer accepted")).to_be_visible()
        assert group_tab.evaluate("document.documentElement.scrollWidth") <= 390
        group_tab.get_by_role("link", name="Give the group's bank details").click()
        group_tab.get_by_label("Name on the account").fill(awarded.organisation.name)
        group_tab.get_by_label("Sort code").fill("30-90-89")
        group_tab.get_by_label("Account number").fill("00733445")
        group_tab.get_by_role("button", name="Save bank details").click()
        expect(group_tab.get_by_text("Not checked by the fund yet")).to_be_visible()
    finally:
        context.close()
    assert Offer.objects.get(investment=investment).status == Offer.Status.ACCEPTED

    # Finance checks the details with the group, makes a run and marks it paid.
    Payment.objects.filter(investment=investment).update(release_conditions=[])
    investment.payments.filter(number=1).update(due_date=timezone.localdate())
    finance_tab = person(finance)
    finance_tab.goto("/home/")
    finance_tab.get_by_role("link", name=re.compile("new bank details to check")).click()
    finance_tab.get_by_role("link", name=awarded.organisation.name).click()
    finance_tab.get_by_label("How did you check them?").fill(
        "Phoned Sam, the treasurer, on the number we hold"
    )
    finance_tab.get_by_label(re.compile("The details match")).check()
    finance_tab.get_by_role("button", name="Mark as checked").click()
    finance_tab.goto(f"/finance/funds/{fund.slug}/payment-runs/new/")
    finance_tab.get_by_role("button", name="Make the run").click()
    expect(finance_tab.get_by_role("heading", level=1)).to_have_text("Payment run 1")
    with finance_tab.expect_download() as download:
        finance_tab.get_by_role("link", name=re.compile("Download the run")).click()
    assert "00733445" in download.value.path().read_text(encoding="utf-8-sig")
    first = investment.payments.order_by("number").first()
    paid_on = finance_tab.get_by_role("group", name="Date paid")
    for label, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
        paid_on.get_by_label(label).fill(str(value))
    finance_tab.get_by_label(re.compile("The run's total")).fill(f"{first.amount}")
    finance_tab.get_by_role("button", name="Mark the run as paid").click()
    expect(finance_tab.get_by_text("each payment is recorded")).to_be_visible()
    first.refresh_from_db()
    assert first.status == Payment.Status.PAID

    # A later change of bank details holds the next payment until finance checks it again.
    owner_tab = person(owner)
    owner_tab.goto(f"/groups/{awarded.organisation.pk}/bank-details/")
    owner_tab.get_by_label("Name on the account").fill(awarded.organisation.name)
    owner_tab.get_by_label("Sort code").fill("40-11-62")
    owner_tab.get_by_label("Account number").fill("21498730")
    owner_tab.get_by_role("button", name="Save bank details").click()
    investment.payments.filter(number=2).update(due_date=today)
    finance_tab.goto(f"/finance/funds/{fund.slug}/payment-runs/new/")
    expect(finance_tab.get_by_text(re.compile("bank details changed and must be checked"))).to_be_visible()
    assert_accessible(finance_tab)
