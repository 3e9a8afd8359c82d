"""Payment runs: the tranches due and payable go in a run, its file goes to the finance system,
and marking it paid records each payment, once."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fund.models import FundRole
from investments.models import Payment, PaymentRun
from investments.services import payment_runs as runs
from kit.errors import RuleError
from tests.factories import BankDetailsFactory, UserFactory, awarded_investment, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def investment():
    return awarded_investment(amount_requested=Decimal("1500.00"))


@pytest.fixture
def finance(investment):
    return staff(FundRole.Role.FINANCE, investment.round.fund)


def _checked(investment, **kwargs):
    return BankDetailsFactory(
        organisation=investment.application.organisation, verified_at=timezone.now(), **kwargs
    )


def _due(investment):
    return runs.tranches_due(investment.round.fund, timezone.localdate())


def test_a_tranche_waits_for_checked_bank_details(investment):
    first = investment.payments.order_by("number").first()
    assert any(
        "has not given its bank details" in " ".join(t.held) for t in _due(investment) if t.payment == first
    )
    BankDetailsFactory(organisation=investment.application.organisation)
    assert any("must be checked" in " ".join(t.held) for t in _due(investment) if t.payment == first)
    _checked(investment)
    assert [t.payable for t in _due(investment) if t.payment == first] == [True]


def test_finance_makes_a_run_downloads_its_file_and_marks_it_paid_once(client, investment, finance):
    _checked(investment)
    fund = investment.round.fund
    client.force_login(finance)
    page = client.get(reverse("investments:payment_run_new", args=[fund.slug])).content.decode()
    first = investment.payments.order_by("number").first()
    assert "**-**-89" in page and "00733445" not in page
    response = client.post(reverse("investments:payment_run_new", args=[fund.slug]), {"payments": [first.pk]})
    run = PaymentRun.objects.get()
    assert response.url == reverse("investments:payment_run", args=[run.pk])

    file = b"".join(client.get(reverse("investments:payment_run_file", args=[run.pk])).streaming_content)
    rows = file.decode("utf-8-sig").splitlines()
    assert rows[0] == "Payee,Sort code,Account number,Amount (£),Reference"
    assert rows[1].endswith(f",30-90-89,00733445,{first.amount:.2f},{investment.application.reference}/1")

    url = reverse("investments:payment_run", args=[run.pk])
    today = timezone.localdate()
    date = {"paid_on_0": today.day, "paid_on_1": today.month, "paid_on_2": today.year}
    wrong = client.post(url, {**date, "total": "1.00"})
    assert wrong.status_code == 400 and "total is £" in wrong.content.decode()
    client.post(url, {**date, "total": f"{first.amount}"})
    run.refresh_from_db()
    first.refresh_from_db()
    assert run.status == PaymentRun.Status.PAID and first.status == Payment.Status.PAID
    assert first.entries.get().reference == run.reference
    # Again, by a second click or another finance officer: nothing more is paid.
    runs.mark_paid(
        run=run, by=staff(FundRole.Role.FINANCE, fund), paid_on=today, total=first.amount, today=today
    )
    assert first.entries.count() == 1
    with pytest.raises(RuleError, match="cannot be discarded"):
        runs.discard_run(run=run, by=finance)


def test_a_tranche_goes_in_one_run_and_a_discarded_run_frees_it(investment, finance):
    _checked(investment)
    first = investment.payments.order_by("number").first()
    today = timezone.localdate()
    run = runs.create_run(fund=investment.round.fund, payment_ids=[first.pk], by=finance, today=today)
    with pytest.raises(RuleError, match="already in a run"):
        runs.create_run(fund=investment.round.fund, payment_ids=[first.pk], by=finance, today=today)
    runs.discard_run(run=run, by=finance)
    again = runs.create_run(fund=investment.round.fund, payment_ids=[first.pk], by=finance, today=today)
    assert again.number == 2  # a discarded run's number is never given again
    with pytest.raises(RuleError, match="was discarded"):
        runs.mark_paid(run=run, by=finance, paid_on=today, total=Decimal(0), today=today)


def test_a_held_payment_cannot_be_put_in_a_run(investment, finance):
    BankDetailsFactory(organisation=investment.application.organisation)
    first = investment.payments.order_by("number").first()
    with pytest.raises(RuleError, match="must be checked"):
        runs.create_run(
            fund=investment.round.fund, payment_ids=[first.pk], by=finance, today=timezone.localdate()
        )
    with pytest.raises(RuleError, match="Choose at least one payment"):
        runs.create_run(fund=investment.round.fund, payment_ids=[], by=finance, today=timezone.localdate())


def test_bank_details_changed_after_the_run_was_made_stop_it_being_marked_paid(investment, finance):
    _checked(investment)
    first = investment.payments.order_by("number").first()
    today = timezone.localdate()
    run = runs.create_run(fund=investment.round.fund, payment_ids=[first.pk], by=finance, today=today)
    _checked(investment, account_number="99998888")
    with pytest.raises(RuleError, match="Bank details changed since the run was made"):
        runs.mark_paid(run=run, by=finance, paid_on=today, total=first.amount, today=today)
    first.refresh_from_db()
    assert first.status != Payment.Status.PAID


def test_only_the_funds_finance_officers_reach_its_runs(client, investment, finance):
    _checked(investment)
    first = investment.payments.order_by("number").first()
    run = runs.create_run(
        fund=investment.round.fund, payment_ids=[first.pk], by=finance, today=timezone.localdate()
    )
    urls = [
        reverse("investments:payment_runs", args=[investment.round.fund.slug]),
        reverse("investments:payment_run_new", args=[investment.round.fund.slug]),
        reverse("investments:payment_run", args=[run.pk]),
        reverse("investments:payment_run_file", args=[run.pk]),
    ]
    client.force_login(staff(FundRole.Role.FINANCE, awarded_investment().round.fund))
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("investments:payment_run_discard", args=[run.pk])).status_code == 404
    for person in (staff(FundRole.Role.OFFICER, investment.round.fund), UserFactory()):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 403, url
    assert PaymentRun.objects.filter(pk=run.pk).exists()
