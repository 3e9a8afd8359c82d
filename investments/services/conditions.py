"""Conditions of an award as records: each holds back its tranche until an officer accepts the
group's evidence that it is met (``payments.unmet_conditions`` reads them)."""

from __future__ import annotations

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from fund.models import FundRole
from fund.permissions import can_manage_fund
from investments.models import AwardCondition, Investment, Payment
from kit.errors import RuleError
from kit.uploads import attach, upload_problems
from notifications.models import Kind
from notifications.services import fund_people, group_members, notify

LONGEST = 2000  # characters in a condition, or in the group's note


def from_award(investment: Investment, text: str) -> list[AwardCondition]:
    """The conditions an officer wrote when awarding, one a line, each holding back the first
    tranche (an officer may move one to a later tranche)."""
    first = investment.payments.order_by("number").first()
    lines = [line.strip().lstrip("-–—•*·").strip() for line in text.splitlines()]
    if first is None:
        return []
    return [
        AwardCondition.objects.create(investment=investment, payment=first, text=line)
        for line in lines
        if line
    ]


def _officer_locked(condition: AwardCondition, by: User) -> AwardCondition:
    condition = (
        AwardCondition.objects.select_for_update(of=("self",))
        .select_related("investment__round__fund", "investment__application")
        .get(pk=condition.pk)
    )
    if not can_manage_fund(by, condition.investment.round.fund):
        raise RuleError("Only the fund's officers decide on conditions.")
    return condition


@transaction.atomic
def add(*, investment: Investment, payment: Payment, text: str, by: User) -> AwardCondition:
    """An officer adds a condition holding back ``payment``, which must not be paid yet."""
    if not can_manage_fund(by, investment.round.fund):
        raise RuleError("Only the fund's officers set conditions.")
    text = text.strip()
    problems: dict[str, list[str]] = {}
    if not text:
        problems["text"] = ["Write the condition the group must meet"]
    elif len(text) > LONGEST:
        problems["text"] = [f"The condition must be {LONGEST:,} characters or fewer"]
    # Locked in the order finance locks them when recording a payment: the investment, then the tranche.
    Investment.objects.select_for_update().get(pk=investment.pk)
    payment = Payment.objects.select_for_update().get(pk=payment.pk, investment=investment)
    if payment.status != Payment.Status.SCHEDULED:
        problems["payment"] = [
            f"Payment {payment.number} has been paid, in part or in full: choose a later one"
        ]
    if problems:
        raise RuleError(problems)
    return AwardCondition.objects.create(investment=investment, payment=payment, text=text)


@transaction.atomic
def send_evidence(
    *, condition: AwardCondition, by: User, note: str, upload: UploadedFile | None
) -> AwardCondition:
    """A member of the group says how the condition is met, with a file if they have one."""
    condition = (
        AwardCondition.objects.select_for_update()
        .select_related("investment__application")
        .get(pk=condition.pk)
    )
    if not condition.investment.application.organisation.memberships.filter(user=by).exists():
        raise RuleError("Only the group's members send evidence.")
    if condition.investment.status == "cancelled":
        raise RuleError("This investment was cancelled, so its conditions no longer need evidence.")
    if condition.status == AwardCondition.Status.MET:
        raise RuleError("This condition is already met.")
    note = note.strip()
    problems: dict[str, list[str]] = {}
    if not note:
        problems["note"] = ["Say how the condition is met"]
    elif len(note) > LONGEST:
        problems["note"] = [f"Your note must be {LONGEST:,} characters or fewer"]
    content_type = None
    if upload is not None:
        content_type, found = upload_problems(upload)
        if found:
            problems["evidence"] = found
    if problems:
        raise RuleError(problems)
    old = condition.evidence.name
    if upload is not None:
        attach(condition, "evidence", upload, content_type)
    condition.evidence_note = note
    condition.status = AwardCondition.Status.SENT
    condition.evidence_sent_at = timezone.now()
    condition.evidence_sent_by = by
    condition._history_user = by  # type: ignore[attr-defined]  # for django-simple-history
    condition.save()
    if upload is not None and old:
        storage = condition.evidence.storage
        transaction.on_commit(lambda: storage.delete(old))
    investment = condition.investment
    notify(
        fund_people(investment.round.fund, FundRole.Role.OFFICER),
        kind=Kind.EVIDENCE,
        text=f"Evidence sent for a condition of {investment.application.reference}",
        url=reverse("investments:oversight_investment", args=[investment.pk]) + "#conditions",
        fund=investment.round.fund,
        by=by,
    )
    return condition


def _tell_group(condition: AwardCondition, text: str, by: User) -> None:
    investment = condition.investment
    notify(
        group_members(investment.application.organisation_id),
        kind=Kind.EVIDENCE,
        text=text,
        url=reverse("investments:investment", args=[investment.pk]) + "#conditions",
        fund=investment.round.fund,
        by=by,
    )


@transaction.atomic
def mark_met(*, condition: AwardCondition, by: User, seen_sent_at: datetime | None = None) -> AwardCondition:
    """Accept the group's evidence: only evidence sent, and the evidence the officer saw (another
    officer may have asked again, or the group sent more, since the page was opened)."""
    condition = _officer_locked(condition, by)
    if condition.status == AwardCondition.Status.MET:
        raise RuleError("This condition is already met.")
    if condition.status != AwardCondition.Status.SENT:
        raise RuleError("The group has not sent evidence for this condition yet.")
    if seen_sent_at is not None and condition.evidence_sent_at != seen_sent_at:
        raise RuleError("The group has sent new evidence since you opened the page: read it first.")
    condition.status = AwardCondition.Status.MET
    condition.decided_at = timezone.now()
    condition.decided_by = by
    condition._history_user = by  # type: ignore[attr-defined]
    condition.save()
    _tell_group(condition, f"A condition of {condition.investment.application.reference} is met", by)
    return condition


@transaction.atomic
def ask_again(*, condition: AwardCondition, by: User, reason: str) -> AwardCondition:
    """The evidence is not enough: the group is asked again, and told what more is needed."""
    condition = _officer_locked(condition, by)
    if condition.status != AwardCondition.Status.SENT:
        raise RuleError("Only evidence the group has sent can be sent back to them.")
    reason = reason.strip()
    if not reason:
        raise RuleError({"reason": ["Say what more the group needs to send"]})
    if len(reason) > LONGEST:
        raise RuleError({"reason": [f"What you ask must be {LONGEST:,} characters or fewer"]})
    reference = condition.investment.application.reference
    _tell_group(condition, f"The fund team asked for more to show a condition of {reference} is met", by)
    condition.status = AwardCondition.Status.OPEN
    condition.asked_again = reason
    condition.decided_at = timezone.now()
    condition.decided_by = by
    condition._history_user = by  # type: ignore[attr-defined]
    condition.save()
    return condition
