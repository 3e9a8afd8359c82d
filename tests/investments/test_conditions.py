"""Conditions of an award as records: the group shows each is met, an officer accepts the evidence
or asks again, and finance cannot pay the tranche a condition holds back until it is met."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fund.models import FundRole
from investments.models import AwardCondition, Payment
from investments.services import conditions
from investments.services.payments import unmet_conditions
from tests.factories import PDF_BYTES, UserFactory, awarded_investment, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    member = UserFactory()
    investment = awarded_investment(member=member, amount_requested=Decimal("5000.00"))
    Payment.objects.filter(investment=investment).update(release_conditions=[])
    fund = investment.round.fund
    first = investment.payments.order_by("number").first()
    officer = fund.roles.get(role=FundRole.Role.OFFICER).user
    condition = conditions.add(
        investment=investment, payment=first, text="Send the hall's lease.", by=officer
    )
    return {
        "investment": investment,
        "member": member,
        "officer": officer,
        "condition": condition,
        "first": first,
    }


def _evidence_url(world) -> str:
    return reverse("investments:send_evidence", args=[world["investment"].pk, world["condition"].pk])


def test_the_condition_holds_back_its_tranche_until_an_officer_accepts_the_evidence(client, world):
    from django.utils import timezone

    first, condition = world["first"], world["condition"]
    assert unmet_conditions(first, timezone.localdate()) == [
        "the condition “Send the hall's lease.” must be met"
    ]

    client.force_login(world["member"])
    work = client.get(reverse("work:home")).content.decode()
    assert "meets the condition: Send the hall&#x27;s lease." in work
    response = client.post(
        _evidence_url(world),
        {"note": "Lease attached.", "evidence": SimpleUploadedFile("lease.pdf", PDF_BYTES)},
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.status == AwardCondition.Status.SENT and condition.evidence_name == "lease.pdf"

    client.force_login(world["officer"])
    work = client.get(reverse("work:home")).content.decode()
    assert "1 condition with evidence to check" in work
    listed = client.get(reverse("investments:investments") + "?needs=condition").content.decode()
    assert world["investment"].application.reference in listed
    page = client.get(
        reverse("investments:oversight_investment", args=[world["investment"].pk])
    ).content.decode()
    assert "The group said: Lease attached." in page and "lease.pdf" in page
    file = client.get(reverse("investments:condition_evidence", args=[condition.pk]))
    assert b"".join(file.streaming_content) == PDF_BYTES

    # Not enough: asked again, with what more is needed; the group sees it.
    url = reverse("investments:condition_ask_again", args=[world["investment"].pk, condition.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "The lease must be signed by both sides."})
    condition.refresh_from_db()
    assert condition.status == AwardCondition.Status.OPEN
    client.force_login(world["member"])
    assert "The lease must be signed by both sides." in client.get(reverse("work:home")).content.decode()
    client.post(_evidence_url(world), {"note": "Signed lease attached."})

    client.force_login(world["officer"])
    condition.refresh_from_db()
    client.post(
        reverse("investments:condition_met", args=[world["investment"].pk, condition.pk]),
        {"seen": condition.evidence_sent_at.isoformat()},
    )
    condition.refresh_from_db()
    assert condition.status == AwardCondition.Status.MET and condition.decided_by == world["officer"]
    assert unmet_conditions(first, timezone.localdate()) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": ""}, "Say how the condition is met"),
        ({"note": "x" * 2001}, "2,000 characters or fewer"),
        ({"note": "Here", "evidence": SimpleUploadedFile("lease.exe", b"MZ" + b"\0" * 50)}, "must be a"),
        ({"note": "Here", "evidence": SimpleUploadedFile("lease.docx", PDF_BYTES)}, "but it is a PDF file"),
    ],
)
def test_evidence_that_cannot_be_taken_says_why_and_keeps_the_note(client, world, data, message):
    client.force_login(world["member"])
    response = client.post(_evidence_url(world), data)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    if data["note"] == "Here":
        assert "Here</textarea>" in html
    world["condition"].refresh_from_db()
    assert world["condition"].status == AwardCondition.Status.OPEN


def test_an_officer_adds_a_condition_to_a_tranche_not_yet_paid(client, world):
    client.force_login(world["officer"])
    url = reverse("investments:add_condition", args=[world["investment"].pk])
    response = client.post(url, {"text": "", "payment": ""})
    html = response.content.decode()
    assert "Write the condition the group must meet" in html and "Choose the payment it holds back" in html
    second = world["investment"].payments.order_by("number")[1]
    client.post(url, {"text": "Show the safeguarding policy.", "payment": second.number})
    assert second.award_conditions.get().text == "Show the safeguarding policy."
    # A tranche already paid is not offered.
    Payment.objects.filter(pk=world["first"].pk).update(status=Payment.Status.PAID)
    page = client.get(url).content.decode()
    assert f'value="{world["first"].number}"' not in page


def test_nobody_but_the_group_sends_evidence_nor_anyone_but_an_officer_decides(client, world):
    investment, condition = world["investment"], world["condition"]
    client.force_login(UserFactory())
    assert client.get(_evidence_url(world)).status_code == 404
    assert client.get(reverse("investments:condition_evidence", args=[condition.pk])).status_code == 404
    client.force_login(world["member"])
    met = reverse("investments:condition_met", args=[investment.pk, condition.pk])
    assert client.post(met).status_code in (302, 403)
    condition.refresh_from_db()
    assert condition.status == AwardCondition.Status.OPEN
    for role in (FundRole.Role.PANEL, FundRole.Role.MENTOR):
        client.force_login(staff(role, investment.round.fund))
        assert client.get(reverse("investments:condition_evidence", args=[condition.pk])).status_code == 404
    other_officer = staff(FundRole.Role.OFFICER, awarded_investment().round.fund)
    client.force_login(other_officer)
    assert client.post(met).status_code == 404
    condition.refresh_from_db()
    assert condition.status == AwardCondition.Status.OPEN


def test_an_officer_cannot_accept_evidence_they_have_not_seen(client, world):
    from notifications.models import Kind, Notification

    condition = world["condition"]
    conditions.send_evidence(condition=condition, by=world["member"], note="First go.", upload=None)
    condition.refresh_from_db()
    seen = condition.evidence_sent_at
    # Nothing sent yet for a new condition: it cannot be marked met.
    fresh = conditions.add(
        investment=world["investment"], payment=world["first"], text="Another.", by=world["officer"]
    )
    with pytest.raises(Exception, match="has not sent evidence"):
        conditions.mark_met(condition=fresh, by=world["officer"])
    # The group sends more after the officer opened the page: the officer's click is refused.
    conditions.send_evidence(condition=condition, by=world["member"], note="Second go.", upload=None)
    client.force_login(world["officer"])
    url = reverse("investments:condition_met", args=[world["investment"].pk, condition.pk])
    page = client.post(url, {"seen": seen.isoformat()}, follow=True).content.decode()
    assert "sent new evidence since you opened the page" in page
    condition.refresh_from_db()
    assert condition.status == AwardCondition.Status.SENT
    condition.refresh_from_db()
    client.post(url, {"seen": condition.evidence_sent_at.isoformat()})
    condition.refresh_from_db()
    assert condition.status == AwardCondition.Status.MET
    # The group hears of it.
    assert Notification.objects.filter(
        user=world["member"], kind=Kind.EVIDENCE, text__contains="is met"
    ).exists()


def test_no_condition_can_be_added_once_every_tranche_is_paid(client, world):
    world["investment"].payments.update(status=Payment.Status.PAID)
    client.force_login(world["officer"])
    response = client.get(reverse("investments:add_condition", args=[world["investment"].pk]), follow=True)
    assert "there is none left to hold back" in response.content.decode()


def test_a_group_member_who_sent_evidence_is_still_a_group_member_for_erasure(world):
    from privacy.erasure import can_erase, connected_funds

    conditions.send_evidence(
        condition=world["condition"], by=world["member"], note="Sam's lease.", upload=None
    )
    assert can_erase(world["officer"], world["member"])
    assert world["investment"].round.fund in connected_funds(world["member"])
