"""A condition of an award in real browsers: finance is refused and told why; the group sends
evidence from its landing page; the officer checks it and marks it met; finance then pays the
tranche it held back. axe checks every page."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment import services as assessment
from fund.models import FundRole
from investments.models import Investment, Payment
from tests.factories import (
    PDF_BYTES,
    RoundFactory,
    UserFactory,
    accept,
    fund_with_tiers,
    staff,
    submitted_application,
)
from tests.support.browser import record_first_payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _heading(page, text, assert_accessible):
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(text))
    assert_accessible(page)


def test_finance_pays_the_tranche_a_condition_held_back_once_it_is_met(person, assert_accessible, tmp_path):
    fund = fund_with_tiers(name="Deal for Communities", reference_prefix="DFC", decided_by_officer=True)
    member = UserFactory(full_name="Sam Hughes")
    application = submitted_application(
        round=RoundFactory(fund=fund), amount_requested=Decimal("1500.00"), member=member
    )
    officer = staff(FundRole.Role.OFFICER, fund, full_name="Olivia Officer")
    finance = staff(FundRole.Role.FINANCE, fund, full_name="Fred Finance")
    assessment.mark_eligible(application=application, by=officer)
    assessment.decide(
        application=application,
        by=officer,
        outcome="award",
        amount=Decimal("1500.00"),
        start_date=timezone.localdate(),
        conditions="Send the hall's lease.",
        base_url="http://testserver",
    )
    investment = accept(Investment.objects.get(application=application))
    Payment.objects.filter(investment=investment).update(release_conditions=[])

    money = person(finance)
    _heading(money, "Your work", assert_accessible)
    money.goto(f"/manage/payments/investments/{investment.pk}/")
    expect(money.get_by_text("the condition “Send the hall's lease.” must be met")).to_be_visible()
    expect(money.get_by_role("button", name="Record payment")).to_have_count(0)
    assert_accessible(money)

    group = person(member)
    _heading(group, "Your work", assert_accessible)
    group.get_by_role("link", name=re.compile("meets the condition: Send the hall's lease.")).click()
    _heading(group, "Show a condition is met", assert_accessible)
    lease = tmp_path / "lease.pdf"
    lease.write_bytes(PDF_BYTES)
    group.get_by_label("How is the condition met?").fill("The lease is attached, signed by the parish.")
    group.get_by_label("A file that shows it (optional)").set_input_files(str(lease))
    group.get_by_role("button", name="Send").click()
    expect(group.get_by_text("Your evidence is sent. The fund team will check it.")).to_be_visible()
    assert_accessible(group)

    desk = person(officer)
    _heading(desk, "Your work", assert_accessible)
    desk.get_by_role("link", name="1 condition with evidence to check").click()
    _heading(desk, "Investments", assert_accessible)
    desk.get_by_role("link", name=application.reference).first.click()
    expect(desk.get_by_text("The group said: The lease is attached, signed by the parish.")).to_be_visible()
    expect(desk.get_by_role("link", name="lease.pdf")).to_be_visible()
    desk.get_by_role("button", name=re.compile("Mark as met")).click()
    expect(desk.get_by_text(re.compile("The condition is met"))).to_be_visible()
    assert_accessible(desk)

    money.reload()
    record_first_payment(money, investment, reference="BACS-1", how="The officer accepted the signed lease.")
    assert_accessible(money)
    assert investment.payments.order_by("number").first().status == Payment.Status.PAID
