"""An award's offer: one of the group's owners accepts its terms by name, or declines; nothing is
paid before acceptance; an offer not accepted is chased, then lapses and its money returns."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.models import ApplicationEvent
from fund.commitments import awarded_in
from fund.models import FundRole
from investments.models import Investment, Offer
from investments.services import payment_runs
from investments.services.offers import accept_offer, chase_and_lapse, decline_offer
from investments.services.payments import record_payment
from kit.errors import RuleError
from notifications.models import Notification
from organisations.models import Membership
from tests.factories import BankDetailsFactory, UserFactory, awarded_investment, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(full_name="Olive Owner")


@pytest.fixture
def investment(owner):
    return awarded_investment(amount_requested=Decimal("6000.00"), member=owner, accepted=False)


def test_an_award_makes_an_offer_and_nothing_is_paid_until_an_owner_accepts_it(investment, owner):
    offer = investment.offer
    assert offer.status == Offer.Status.WAITING
    assert offer.respond_by == timezone.localdate() + timedelta(days=investment.round.fund.offer_days)
    assert offer.terms == investment.round.fund.offer_terms
    finance = staff(FundRole.Role.FINANCE, investment.round.fund)
    payment = investment.payments.order_by("number").first()
    payment.release_conditions = []
    payment.save()
    with pytest.raises(RuleError, match="must accept the fund's offer first"):
        record_payment(
            payment=payment, by=finance, paid_on=timezone.localdate(), amount=payment.amount, reference="R1"
        )
    BankDetailsFactory(organisation=investment.application.organisation, verified_at=timezone.now())
    [tranche] = [
        t
        for t in payment_runs.tranches_due(investment.round.fund, timezone.localdate())
        if t.payment == payment
    ]
    assert "the group must accept the fund's offer first" in tranche.held

    accept_offer(offer=offer, by=owner, signed_name="Olive Owner", signed_position="Treasurer", agreed=True)

    offer.refresh_from_db()
    assert (offer.status, offer.signed_name, offer.signed_position, offer.responded_by) == (
        Offer.Status.ACCEPTED,
        "Olive Owner",
        "Treasurer",
        owner,
    )
    [tranche] = [
        t
        for t in payment_runs.tranches_due(investment.round.fund, timezone.localdate())
        if t.payment == payment
    ]
    assert tranche.held == []
    record_payment(
        payment=payment, by=finance, paid_on=timezone.localdate(), amount=payment.amount, reference="R1"
    )
    assert ApplicationEvent.objects.filter(kind="offer_accepted", actor=owner).exists()
    # Pressing again changes nothing; another owner is told who accepted.
    accept_offer(offer=offer, by=owner, signed_name="Olive Owner", signed_position="Treasurer", agreed=True)
    other = UserFactory()
    Membership.objects.create(organisation=investment.application.organisation, user=other, role="owner")
    with pytest.raises(RuleError, match="Olive Owner accepted this offer"):
        accept_offer(offer=offer, by=other, signed_name="Other", signed_position="Chair", agreed=True)


def test_a_member_who_is_not_an_owner_reads_the_offer_but_cannot_answer_it(client, investment):
    member = UserFactory()
    Membership.objects.create(organisation=investment.application.organisation, user=member, role="member")
    client.force_login(member)
    page = client.get(reverse("investments:offer", args=[investment.pk])).content.decode()
    assert "Only the group&#x27;s owners can accept or decline its offer" in page
    assert "Accept the offer" not in page
    response = client.post(
        reverse("investments:offer", args=[investment.pk]),
        {"signed_name": "Mo Member", "signed_position": "Volunteer", "agreed": "on"},
    )
    assert response.status_code == 400
    assert Offer.objects.get(investment=investment).status == Offer.Status.WAITING


def test_the_owner_accepts_on_the_page_and_is_asked_for_bank_details(client, investment, owner):
    client.force_login(owner)
    page = client.get(reverse("investments:investment", args=[investment.pk])).content.decode()
    assert "Accept your offer by" in page
    url = reverse("investments:offer", args=[investment.pk])
    page = client.get(url).content.decode()
    assert "£6,000" in page
    assert "The group will spend the investment only on the project" in page
    response = client.post(
        url, {"signed_name": "Olive Owner", "signed_position": "Treasurer", "agreed": "on"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Offer accepted" in page and "Olive Owner, Treasurer" in page
    assert "Give the group's bank details" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"signed_position": "Chair", "agreed": "on"}, "Enter your full name, as you would sign it"),
        (
            {"signed_name": "Olive Owner", "agreed": "on"},
            "Enter your position in the group, like chair or treasurer",
        ),
        (
            {"signed_name": "Olive Owner", "signed_position": "Chair"},
            "Confirm that you accept the terms for the group",
        ),
        ({"signed_name": "   ", "signed_position": "Chair", "agreed": "on"}, "Enter your full name"),
        ({"signed_name": "x" * 201, "signed_position": "Chair", "agreed": "on"}, "200 characters"),
        ({"signed_name": "Olive", "signed_position": "x" * 101, "agreed": "on"}, "100 characters"),
    ],
)
def test_a_bad_acceptance_is_explained_and_what_was_typed_is_kept(client, investment, owner, data, message):
    client.force_login(owner)
    response = client.post(reverse("investments:offer", args=[investment.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    for value in data.values():
        if value not in ("on", "   ") and len(value) < 100:
            assert f'value="{value}"' in page
    assert Offer.objects.get(investment=investment).status == Offer.Status.WAITING


def test_declining_needs_a_reason_and_returns_the_money_to_the_round(client, investment, owner, tasks):
    round = investment.round
    assert awarded_in(round)[investment.tier_id] == Decimal("6000.00")
    client.force_login(owner)
    url = reverse("investments:offer", args=[investment.pk])
    response = client.post(url, {"decline-reason": "", "decline": "Decline the offer"})
    assert response.status_code == 400
    assert "Say why the group is declining" in response.content.decode()
    assert Offer.objects.get(investment=investment).status == Offer.Status.WAITING
    officer = staff(FundRole.Role.OFFICER, round.fund)
    response = client.post(
        url, {"decline-reason": "We found the money elsewhere.", "decline": "Decline the offer"}
    )
    assert response.status_code == 302
    investment.refresh_from_db()
    assert investment.status == Investment.Status.CANCELLED
    assert investment.offer.decline_reason == "We found the money elsewhere."
    assert awarded_in(round).get(investment.tier_id, Decimal(0)) == Decimal(0)
    assert Notification.objects.filter(user=officer, kind="offer").exists()
    with pytest.raises(RuleError, match="declined this offer"):
        accept_offer(
            offer=investment.offer, by=owner, signed_name="Olive", signed_position="Chair", agreed=True
        )
    assert not payment_runs.tranches_due(round.fund, timezone.localdate() + timedelta(days=400))


def test_an_offer_is_chased_once_a_week_before_and_lapses_after_its_deadline(
    investment, owner, tasks, django_capture_on_commit_callbacks
):
    offer = investment.offer
    deadline = offer.respond_by
    officer = staff(FundRole.Role.OFFICER, investment.round.fund)
    tasks()
    mail.outbox.clear()
    assert chase_and_lapse(today=deadline - timedelta(days=8)).chased == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert chase_and_lapse(today=deadline - timedelta(days=7)).chased == 1
        assert chase_and_lapse(today=deadline - timedelta(days=6)).chased == 0  # once
    tasks()
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert f"Accept the offer for {investment.application.reference} by" in mail.outbox[0].subject
    assert chase_and_lapse(today=deadline).lapsed == 0  # the last day is still in time
    with pytest.raises(RuleError, match="had to be accepted by"):
        accept_offer(
            offer=offer,
            by=owner,
            signed_name="Olive",
            signed_position="Chair",
            agreed=True,
            today=deadline + timedelta(days=1),
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = chase_and_lapse(today=deadline + timedelta(days=1))
    tasks()
    assert report.lapsed == 1
    offer.refresh_from_db()
    investment.refresh_from_db()
    assert offer.status == Offer.Status.LAPSED
    assert investment.status == Investment.Status.CANCELLED
    assert awarded_in(investment.round).get(investment.tier_id, Decimal(0)) == Decimal(0)
    assert any("has lapsed" in message.subject for message in mail.outbox)
    assert Notification.objects.filter(user=officer, kind="offer", text__contains="lapsed").exists()
    assert ApplicationEvent.objects.filter(kind="offer_lapsed").exists()
    assert chase_and_lapse(today=deadline + timedelta(days=2)).lapsed == 0


def test_the_offer_letter_prints_the_amount_payments_conditions_dates_goals_and_terms(client, owner):
    investment = awarded_investment(
        amount_requested=Decimal("8000.00"), member=owner, accepted=False, start_date=timezone.localdate()
    )
    investment.award_conditions.create(
        payment=investment.payments.order_by("number").first(), text="Send the hall's lease."
    )
    client.force_login(owner)
    response = client.get(reverse("investments:offer_letter", args=[investment.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert f"Offer of investment: {investment.application.reference}" in text
    assert "£8,000" in text
    for payment in investment.payments.all():
        assert f"{payment.due_date:%-d %B %Y}" in text
        assert f"£{payment.amount:,.2f}".replace(".00", "") in text
    assert "Send the hall's lease." in text
    for update in investment.updates.all():
        assert f"{update.due_date:%-d %B %Y}" in text
    for goal in investment.application.goals.all():
        assert " ".join(goal.description.split()) in text
    assert "The group will spend the investment only on the project" in text
    assert f"{investment.offer.respond_by:%-d %B %Y}" in text
    accept_offer(
        offer=investment.offer, by=owner, signed_name="Olive Owner", signed_position="Chair", agreed=True
    )
    response = client.get(reverse("investments:offer_letter", args=[investment.pk]))
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Accepted for" in text and "by Olive Owner, Chair" in text


def test_only_the_group_and_its_funds_officers_and_finance_read_the_offer(client, investment):
    letter = reverse("investments:offer_letter", args=[investment.pk])
    page = reverse("investments:offer", args=[investment.pk])
    client.force_login(UserFactory())
    assert (client.get(letter).status_code, client.get(page).status_code) == (404, 404)
    client.force_login(staff(FundRole.Role.OFFICER, awarded_investment().round.fund))  # another fund
    assert client.get(letter).status_code == 404
    client.force_login(staff(FundRole.Role.PANEL, investment.round.fund))
    assert client.get(letter).status_code == 404
    for role in (FundRole.Role.OFFICER, FundRole.Role.FINANCE):
        client.force_login(staff(role, investment.round.fund))
        assert client.get(letter).status_code == 200
        assert client.get(page).status_code == 404  # the answer is the group's
    outsider = UserFactory()
    client.force_login(outsider)
    response = client.post(page, {"signed_name": "Not Me", "signed_position": "Chair", "agreed": "on"})
    assert response.status_code == 404
    assert Offer.objects.get(investment=investment).status == Offer.Status.WAITING
    with pytest.raises(RuleError):
        decline_offer(offer=investment.offer, by=outsider, reason="Mischief")


def test_the_owner_who_answered_stays_on_the_groups_side_finds_it_in_their_export_and_is_erased(
    investment, owner
):
    from privacy.erasure import can_erase, erase, staff_records
    from privacy.personal_data import export

    accept_offer(
        offer=investment.offer,
        by=owner,
        signed_name="Olive Q Owner",
        signed_position="Treasurer",
        agreed=True,
    )
    officer = staff(FundRole.Role.OFFICER, investment.round.fund)
    assert staff_records(owner) == []
    assert can_erase(officer, owner)
    [row] = export(owner)["written"]["offers_answered"]
    assert (row["signed_name"], row["status"], row["investment"]) == (
        "Olive Q Owner",
        "Accepted",
        investment.application.reference,
    )
    erase(person=owner, by=officer, reference="DP-7")
    offer = Offer.objects.get(investment=investment)
    assert "Olive" not in offer.signed_name
    assert offer.status == Offer.Status.ACCEPTED  # the group's acceptance stands; the name goes
    assert not Offer.history.filter(signed_name__contains="Olive").exists()


def test_an_offer_on_an_investment_the_fund_closed_can_no_longer_be_answered_or_lapse(investment, owner):
    from investments.services.monitoring import close_investment

    officer = staff(FundRole.Role.OFFICER, investment.round.fund)
    close_investment(investment=investment, by=officer, ended_early=True, end_reason="The hall burnt down.")
    with pytest.raises(RuleError, match="closed this investment"):
        accept_offer(
            offer=investment.offer, by=owner, signed_name="Olive", signed_position="Chair", agreed=True
        )
    assert chase_and_lapse(today=investment.offer.respond_by + timedelta(days=1)).lapsed == 0
    investment.refresh_from_db()
    assert investment.status == Investment.Status.ENDED_EARLY


def test_the_reminder_never_comes_on_the_day_the_offer_is_made(investment):
    Offer.objects.filter(pk=investment.offer.pk).update(respond_by=timezone.localdate() + timedelta(days=7))
    assert chase_and_lapse(today=timezone.localdate()).chased == 0
    assert chase_and_lapse(today=timezone.localdate() + timedelta(days=1)).chased == 1


def test_the_daily_command_lapses_offers_not_accepted_in_time(investment):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    day_after = investment.offer.respond_by + timedelta(days=1)
    call_command("send_reminders", "--today", day_after.isoformat(), stdout=out)
    assert "0 groups reminded to accept, 1 lapsed" in out.getvalue()
    assert Offer.objects.get(investment=investment).status == Offer.Status.LAPSED


def test_an_award_is_published_once_its_offer_is_accepted(client, investment, owner):
    from reporting.giving360 import awarded

    fund = investment.round.fund
    group = investment.application.organisation.name
    assert group not in client.get(reverse("public:funded", args=[fund.slug])).content.decode()
    assert investment.pk not in [award.pk for award in awarded(fund)]
    accept_offer(offer=investment.offer, by=owner, signed_name="Olive", signed_position="Chair", agreed=True)
    assert group in client.get(reverse("public:funded", args=[fund.slug])).content.decode()
    assert investment.pk in [award.pk for award in awarded(fund)]


def test_the_offer_page_of_a_closed_investment_offers_nothing_to_answer(client, investment, owner):
    from investments.services.monitoring import close_investment

    close_investment(
        investment=investment,
        by=staff(FundRole.Role.OFFICER, investment.round.fund),
        ended_early=True,
        end_reason="The hall burnt down.",
    )
    client.force_login(owner)
    page = client.get(reverse("investments:offer", args=[investment.pk])).content.decode()
    assert "its offer can no longer be answered" in page
    assert "Accept the offer" not in page
