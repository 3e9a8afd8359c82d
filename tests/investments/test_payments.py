"""Money as finance meets it: tranches paid in full only when their entries add up, mistakes reversed
(never deleted), dates that make sense, and the award's conditions confirmed before money leaves."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import services as assessment
from fund.models import FundRole
from investments.models import Investment, Payment, PaymentEntry
from investments.services import conditions as award_conditions
from investments.services.payments import record_payment, reverse_payment
from kit.errors import RuleError
from tests.factories import UserFactory, accept, awarded_investment, staff, submitted_application

pytestmark = pytest.mark.django_db


def _date_fields(prefix: str, day) -> dict:
    return {f"{prefix}paid_on_0": day.day, f"{prefix}paid_on_1": day.month, f"{prefix}paid_on_2": day.year}


# --- Point 4: paid when the entries add up; reversals, never deletes -----------------------------------


@pytest.fixture
def tranche():
    """The first £2,500 tranche of a £5,000 award, free to pay."""
    investment = awarded_investment()
    Payment.objects.filter(investment=investment).update(release_conditions=[])
    return investment.payments.get(number=1)


@pytest.fixture
def finance(tranche):
    return staff(FundRole.Role.FINANCE, tranche.investment.round.fund, full_name="Fin Ance")


def test_a_penny_against_a_tranche_leaves_it_part_paid_and_the_rest_can_be_paid(tranche, finance):
    today = timezone.localdate()
    record_payment(payment=tranche, by=finance, paid_on=today, amount=Decimal("0.01"), reference="TYPO")
    tranche.refresh_from_db()
    assert tranche.status == Payment.Status.PART_PAID
    record_payment(payment=tranche, by=finance, paid_on=today, amount=Decimal("2499.99"), reference="REST")
    tranche.refresh_from_db()
    assert tranche.status == Payment.Status.PAID
    assert Payment.objects.with_paid().get(pk=tranche.pk).paid == Decimal("2500.00")
    with pytest.raises(RuleError, match="already paid in full"):
        record_payment(payment=tranche, by=finance, paid_on=today, amount=Decimal("1"), reference="MORE")


def test_finance_reverses_a_mistaken_payment_on_the_page_and_it_stays_in_the_ledger(client, tranche, finance):
    investment = tranche.investment
    client.force_login(finance)
    today = timezone.localdate()
    response = client.post(
        reverse("investments:record_payment", args=[investment.pk, 1]),
        {**_date_fields("payment-1-", today), "payment-1-amount": "0.01", "payment-1-reference": "BACS-TYPO"},
    )
    assert response.status_code == 302
    page = client.get(reverse("investments:investment_payments", args=[investment.pk])).content.decode()
    assert "Part paid" in page and "£2,499.99 is left to pay" in page
    entry = PaymentEntry.objects.get()

    reverse_url = reverse("investments:reverse_entry", args=[investment.pk, entry.pk])
    assert reverse_url in page
    refused = client.post(reverse_url, {"reason": ""})
    assert refused.status_code == 400
    assert "Enter why the payment is being reversed" in refused.content.decode()
    response = client.post(reverse_url, {"reason": "Typed £0.01 instead of £2,500"})
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == Payment.Status.SCHEDULED
    reversal = PaymentEntry.objects.get(reverses=entry)
    assert (reversal.amount, reversal.recorded_by, reversal.reason) == (
        Decimal("-0.01"),
        finance,
        "Typed £0.01 instead of £2,500",
    )
    assert PaymentEntry.objects.count() == 2  # nothing deleted
    page = client.get(reverse("investments:investment_payments", args=[investment.pk])).content.decode()
    assert "Reversed because: Typed £0.01 instead of £2,500" in page
    # Reversed once only; a reversal is not reversible.
    again = client.get(reverse_url, follow=True)
    assert again.redirect_chain[-1][0] == reverse("investments:investment_payments", args=[investment.pk])
    assert "is already reversed" in again.content.decode()
    assert client.post(reverse_url, {"reason": "Again"}).status_code == 302
    assert PaymentEntry.objects.count() == 2
    assert (
        client.get(reverse("investments:reverse_entry", args=[investment.pk, reversal.pk])).status_code == 404
    )
    # The audit trail has both entries, with who recorded them.
    officer = investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user
    client.force_login(officer)
    history = client.get(reverse("audit:history", args=["investments", investment.pk])).content.decode()
    assert history.count("Payment entry") >= 2 and "Fin Ance" in history


def test_only_the_funds_finance_can_reverse_a_payment(client, tranche, finance):
    entry = record_payment(
        payment=tranche, by=finance, paid_on=timezone.localdate(), amount=Decimal("5"), reference="X"
    )
    officer = tranche.investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user
    with pytest.raises(RuleError, match="Only finance officers"):
        reverse_payment(entry=entry, by=officer, reason="No")
    other_finance = staff(FundRole.Role.FINANCE, awarded_investment().round.fund)
    url = reverse("investments:reverse_entry", args=[tranche.investment_id, entry.pk])
    for someone in (officer, other_finance, UserFactory()):
        client.force_login(someone)
        assert client.post(url, {"reason": "No"}).status_code in (403, 404)
    assert not PaymentEntry.objects.filter(reverses=entry).exists()


# --- Point 5: payment dates ---------------------------------------------------------------------------


def test_a_payment_dated_in_the_future_or_before_the_award_is_refused(client, tranche, finance):
    investment = tranche.investment
    award_day = timezone.localdate(investment.created_at)
    client.force_login(finance)
    for day, message in (
        (award_day.replace(year=2099), "The date paid cannot be in the future"),
        (award_day - timedelta(days=1), f"The date paid cannot be before the award on {award_day:%-d %B %Y}"),
    ):
        response = client.post(
            reverse("investments:record_payment", args=[investment.pk, 1]),
            {**_date_fields("payment-1-", day), "payment-1-amount": "2500", "payment-1-reference": "BACS-1"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert message in page
        assert 'value="BACS-1"' in page
    assert not PaymentEntry.objects.exists()


# --- Point 6: the award's conditions, shown and confirmed --------------------------------------------


def test_finance_sees_the_awards_conditions_and_must_confirm_them_with_a_note(client):
    application = submitted_application(amount_requested=Decimal("3000.00"))
    officer = staff(FundRole.Role.OFFICER, application.round.fund)
    tier = application.tier
    tier.decision_route, tier.reviewers_needed = "officer", 0
    tier.save()
    assessment.mark_eligible(application=application, by=officer)
    assessment.decide(
        application=application,
        by=officer,
        outcome="award",
        amount=Decimal("3000.00"),
        conditions="The first payment waits until the landowner's written permission.",
        base_url="http://testserver",
    )
    investment = accept(Investment.objects.get(application=application))
    Payment.objects.filter(investment=investment).update(release_conditions=[])
    finance = staff(FundRole.Role.FINANCE, investment.round.fund)
    client.force_login(finance)
    page = client.get(reverse("investments:investment_payments", args=[investment.pk])).content.decode()
    assert "Conditions of the award" in page
    assert "The first payment waits until the landowner&#x27;s written permission." in page
    number = investment.payments.order_by("number").first().number
    prefix = f"payment-{number}-"
    post = {
        **_date_fields(prefix, timezone.localdate()),
        f"{prefix}amount": "1500",
        f"{prefix}reference": "BACS-7",
    }
    url = reverse("investments:record_payment", args=[investment.pk, number])
    # The condition is a record of its own, holding back the first payment until an officer
    # accepts that it is met: finance is refused, and told why.
    [condition] = investment.award_conditions.all()
    assert condition.payment.number == number
    response = client.post(url, post, follow=True)
    assert (
        "the condition “The first payment waits until the landowner&#x27;s written permission.” must be met"
        in (response.content.decode())
    )
    assert not PaymentEntry.objects.exists()
    award_conditions.send_evidence(
        condition=condition,
        by=application.organisation.memberships.get().user,
        note="Letter seen.",
        upload=None,
    )
    award_conditions.mark_met(condition=condition, by=officer)
    response = client.post(url, post)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Confirm that the award&#x27;s conditions for this payment are met" in page
    assert "Say how you know the conditions are met" in page
    assert not PaymentEntry.objects.exists()
    response = client.post(
        url,
        {
            **post,
            f"{prefix}conditions_met": "on",
            f"{prefix}conditions_note": "Landowner's letter of 2 May seen by the fund team",
        },
    )
    assert response.status_code == 302
    entry = PaymentEntry.objects.get()
    assert entry.conditions_note == "Landowner's letter of 2 May seen by the fund team"
    page = client.get(reverse("investments:investment_payments", args=[investment.pk])).content.decode()
    assert "Conditions met: Landowner&#x27;s letter of 2 May seen by the fund team" in page


# --- Point 9: the admin cannot move money --------------------------------------------------------------


def test_the_admin_shows_investments_and_payments_but_cannot_change_their_amounts(client, tranche):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    investment = tranche.investment
    change = reverse("admin:investments_investment_change", args=[investment.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="amount"' not in page.content.decode()
    response = client.post(change, {"amount": "999999.00", "status": "active"})
    assert response.status_code == 403
    payment_change = reverse("admin:investments_payment_change", args=[tranche.pk])
    assert 'name="amount"' not in client.get(payment_change).content.decode()
    assert client.post(payment_change, {"amount": "1.00"}).status_code == 403
    assert client.get(reverse("admin:investments_investment_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:investments_investment_delete", args=[investment.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    investment.refresh_from_db()
    tranche.refresh_from_db()
    assert (investment.amount, tranche.amount) == (Decimal("5000.00"), Decimal("2500.00"))


def _payments_page_queries(client, tranches: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    investment = awarded_investment()
    investment.payments.all().delete()
    for number in range(1, tranches + 1):
        tranche = Payment.objects.create(
            investment=investment,
            number=number,
            due_date=investment.start_date,
            amount=Decimal("100.00"),
            release_conditions=["update_acknowledged"] if number > 1 else [],
        )
        if number % 2:
            PaymentEntry.objects.create(
                payment=tranche,
                amount=Decimal("40.00"),
                paid_on=investment.start_date,
                reference=f"P{number}",
            )
    client.force_login(staff(FundRole.Role.FINANCE, investment.round.fund))
    url = reverse("investments:investment_payments", args=[investment.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_payments_page_reads_the_same_number_of_queries_however_many_tranches(client):
    assert _payments_page_queries(client, 2) == _payments_page_queries(client, 12)


def test_more_than_an_unpaid_tranche_says_what_may_be_entered(tranche, finance):
    with pytest.raises(RuleError) as error:
        record_payment(
            payment=tranche,
            by=finance,
            paid_on=timezone.localdate(),
            amount=Decimal("2500.01"),
            reference="X",
        )
    assert error.value.message_dict == {"amount": ["Payment 1 is £2,500: enter £2,500 or less"]}
    record_payment(
        payment=tranche, by=finance, paid_on=timezone.localdate(), amount=Decimal("500"), reference="Y"
    )
    with pytest.raises(RuleError) as error:
        record_payment(
            payment=tranche, by=finance, paid_on=timezone.localdate(), amount=Decimal("2001"), reference="Z"
        )
    assert error.value.message_dict == {
        "amount": ["Only £2,000 of payment 1's £2,500 is left to pay: enter £2,000 or less"]
    }
