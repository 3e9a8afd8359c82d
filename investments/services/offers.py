"""The fund's offer of an award and the group's answer.

An award's offer waits for one of the group's owners to accept its terms with a declaration (their
name and position), or to decline it. Payments wait for acceptance. The daily run reminds the group
a week before the deadline and lapses an offer nobody accepted in time; a declined or lapsed offer
cancels the investment, so its money returns to the round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import ApplicationEvent
from applications.services.history import record
from investments.models import Investment, Offer
from kit.errors import RuleError
from kit.permissions import ALLOWED, Permission
from notifications.models import Kind
from notifications.services import fund_people, group_members, notify
from organisations.models import Membership
from organisations.notify import email_group

CHASE_DAYS_BEFORE = 7


def can_answer_offer(user: User, offer: Offer) -> Permission:
    """The group's owners answer for it: accepting binds the group to the fund's terms."""
    organisation_id = offer.investment.application.organisation_id
    if Membership.objects.filter(
        organisation_id=organisation_id, user_id=user.pk, role=Membership.Role.OWNER
    ).exists():
        return ALLOWED
    return Permission(
        False,
        "Only the group's owners can accept or decline its offer: ask one of them, or ask to be made one.",
    )


def _locked(offer: Offer, by: User) -> Offer:
    """The offer and its investment, locked, if ``by`` may answer it: an investment the fund
    closed meanwhile (ended early) has nothing left to accept."""
    Investment.objects.select_for_update().filter(pk=offer.investment_id).first()
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("investment__application__organisation", "investment__round__fund", "responded_by")
        .get(pk=offer.pk)
    )
    if not (permission := can_answer_offer(by, offer)):
        raise RuleError(permission.reason)
    investment = offer.investment
    if offer.is_waiting and (investment.status != Investment.Status.ACTIVE or investment.closed_at):
        raise RuleError("The fund closed this investment, so its offer can no longer be answered.")
    return offer


def _answered_already(offer: Offer) -> RuleError:
    when = timezone.localtime(offer.responded_at).strftime("%-d %B %Y") if offer.responded_at else ""
    if offer.status == Offer.Status.ACCEPTED:
        return RuleError(f"{offer.signed_name} accepted this offer for the group on {when}.")
    if offer.status == Offer.Status.DECLINED:
        return RuleError(f"The group declined this offer on {when}.")
    return RuleError(
        f"This offer lapsed: it was not accepted by {offer.respond_by:%-d %B %Y}. "
        "Contact the fund team if the group still wants to go ahead."
    )


@transaction.atomic
def accept_offer(
    *, offer: Offer, by: User, signed_name: str, signed_position: str, agreed: bool, today: date | None = None
) -> Offer:
    """One of the group's owners accepts the offer's terms for the group, by name."""
    offer = _locked(offer, by)
    today = today or timezone.localdate()
    if offer.status == Offer.Status.ACCEPTED and offer.responded_by_id == by.pk:
        return offer  # the same person pressed twice
    if not offer.is_waiting:
        raise _answered_already(offer)
    if today > offer.respond_by:
        raise RuleError(
            f"The offer had to be accepted by {offer.respond_by:%-d %B %Y}. "
            "Contact the fund team if the group still wants to go ahead."
        )
    problems: dict[str, list[str]] = {}
    if not agreed:
        problems["agreed"] = ["Confirm that you accept the terms for the group"]
    if not signed_name.strip():
        problems["signed_name"] = ["Enter your full name, as you would sign it"]
    if not signed_position.strip():
        problems["signed_position"] = ["Enter your position in the group, like chair or treasurer"]
    if problems:
        raise RuleError(problems)
    offer.status = Offer.Status.ACCEPTED
    offer.responded_by, offer.responded_at = by, timezone.now()
    offer.signed_name, offer.signed_position = signed_name.strip(), signed_position.strip()
    offer._history_user = by  # type: ignore[attr-defined]
    offer.save()
    investment = offer.investment
    record(
        application=investment.application,
        kind=ApplicationEvent.Kind.OFFER_ACCEPTED,
        by=by,
        details=f"{offer.signed_name}, {offer.signed_position}",
    )
    return offer


@transaction.atomic
def decline_offer(*, offer: Offer, by: User, reason: str) -> Offer:
    """One of the group's owners turns the offer down; its money returns to the round."""
    offer = _locked(offer, by)
    if offer.status == Offer.Status.DECLINED:
        return offer
    if not offer.is_waiting:
        raise _answered_already(offer)
    if not reason.strip():
        raise RuleError({"reason": ["Say why the group is declining, so the fund can learn from it"]})
    offer.status = Offer.Status.DECLINED
    offer.responded_by, offer.responded_at = by, timezone.now()
    offer.decline_reason = reason.strip()
    offer._history_user = by  # type: ignore[attr-defined]
    offer.save()
    _cancel(offer.investment, by=by, kind=ApplicationEvent.Kind.OFFER_DECLINED, details=offer.decline_reason)
    reference = offer.investment.application.reference
    _tell_officers(
        offer.investment, f"{reference}: the offer is declined: {offer.decline_reason}"[:300], by=by
    )
    return offer


def _cancel(investment: Investment, *, by: User | None, kind: str, details: str) -> None:
    """The investment is cancelled before any payment: its money counts against the round no more."""
    investment.status = Investment.Status.CANCELLED
    investment.closed_at = timezone.now()
    investment._history_user = by  # type: ignore[attr-defined]
    investment.save(update_fields=["status", "closed_at"])
    record(application=investment.application, kind=kind, by=by, details=details)


def _tell_officers(investment: Investment, text: str, *, by: User | None = None) -> None:
    fund = investment.round.fund
    notify(
        fund_people(fund, "officer"),
        kind=Kind.OFFER,
        text=text,
        url=reverse("investments:oversight_investment", args=[investment.pk]),
        fund=fund,
        by=by,
    )


@dataclass(frozen=True)
class OfferReport:
    chased: int
    lapsed: int


@transaction.atomic
def chase_and_lapse(*, today: date, base_url: str = "") -> OfferReport:
    """Remind each group a week before its offer's deadline (once), and lapse the offers nobody
    accepted by then. Safe to run more than once a day."""
    base_url = base_url or settings.SITE_URL
    waiting = (
        Offer.objects.select_for_update(of=("self", "investment"), skip_locked=True)
        # An investment the fund closed meanwhile is left as it was closed.
        .filter(
            status=Offer.Status.WAITING,
            investment__status=Investment.Status.ACTIVE,
            investment__closed_at=None,
        )
        .select_related("investment__application__organisation", "investment__round__fund")
    )
    chased = lapsed = 0
    for offer in waiting.filter(respond_by__lt=today):
        offer.status = Offer.Status.LAPSED
        offer.save(update_fields=["status"])
        investment = offer.investment
        application = investment.application
        _cancel(
            investment,
            by=None,
            kind=ApplicationEvent.Kind.OFFER_LAPSED,
            details=f"not accepted by {offer.respond_by:%-d %B %Y}",
        )
        email_group(
            application.organisation,
            fund=investment.round.fund,
            subject=f"Your offer for {application.reference} has lapsed",
            template="investments/email/offer_lapsed.txt",
            context=_email_context(offer, base_url),
        )
        _tell_officers(investment, f"{application.reference}: the offer lapsed, not accepted in time")
        lapsed += 1
    for offer in waiting.filter(
        respond_by__gte=today,
        respond_by__lte=today + timedelta(days=CHASE_DAYS_BEFORE),
        chased_on__isnull=True,
        created_at__date__lt=today,  # never on the day the offer is made
    ):
        application = offer.investment.application
        notify(
            group_members(application.organisation_id),
            kind=Kind.OFFER,
            text=f"Accept the offer for {application.reference} by {offer.respond_by:%-d %B %Y}",
            url=reverse("investments:offer", args=[offer.investment_id]),
            fund=offer.investment.round.fund,
            base_url=base_url,
            body="Nothing can be paid until one of the group's owners accepts it. An offer not accepted "
            "by then lapses.",
        )
        offer.chased_on = today
        offer.save(update_fields=["chased_on"])
        chased += 1
    return OfferReport(chased=chased, lapsed=lapsed)


def _email_context(offer: Offer, base_url: str) -> dict:
    return {
        "offer": offer,
        "application": offer.investment.application,
        "link": base_url + reverse("investments:offer", args=[offer.investment_id]),
        "service_name": settings.SERVICE_NAME,
        "support_email": settings.SUPPORT_EMAIL,
    }
