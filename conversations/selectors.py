"""An application's conversation as one timeline, and what is unread or unanswered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from accounts.models import User
from applications.models import Application, ApplicationEvent
from conversations.models import Message, MessageQuerySet, Reading
from conversations.permissions import Side
from fund.money import pounds

# What the group sees of the fund's own steps: not who was asked to review, nor conflicts.
GROUP_EVENTS = {
    ApplicationEvent.Kind.SUBMITTED,
    ApplicationEvent.Kind.SENT_BACK,
    ApplicationEvent.Kind.ELIGIBLE,
    ApplicationEvent.Kind.INELIGIBLE,
    ApplicationEvent.Kind.AWARDED,
    ApplicationEvent.Kind.DECLINED,
    ApplicationEvent.Kind.DEFERRED,
    ApplicationEvent.Kind.WITHDRAWN,
    ApplicationEvent.Kind.GOALS_PROPOSED,
    ApplicationEvent.Kind.GOALS_AGREED,
    ApplicationEvent.Kind.GOALS_UNOPPOSED,
    ApplicationEvent.Kind.GOALS_OBJECTED,
    ApplicationEvent.Kind.GOALS_WITHDRAWN,
}


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: a message or note, or something that happened."""

    at: datetime
    text: str
    message: Message | None = None
    unread: bool = False


def visible(messages: MessageQuerySet, side: Side) -> MessageQuerySet:
    return messages if side == Side.TEAM else messages.for_group()


def read_at(application: Application, user: User) -> datetime | None:
    return (
        Reading.objects.filter(application=application, user=user).values_list("read_at", flat=True).first()
    )


def timeline(application: Application, user: User, side: Side) -> list[Entry]:
    """Messages and what happened, oldest first: the group sees no notes and none of the fund's
    internal steps. Messages from others since ``user`` last read are marked unread."""
    seen = read_at(application, user)
    entries = [
        Entry(
            at=message.sent_at,
            text=message.text,
            message=message,
            unread=message.author_id != user.pk and (seen is None or message.sent_at > seen),
        )
        for message in visible(Message.objects.filter(application=application).select_related("author"), side)
    ]
    events = application.events.select_related("actor")
    if side == Side.GROUP:
        events = events.filter(kind__in=GROUP_EVENTS)
    entries += [Entry(at=event.at, text=event.get_kind_display()) for event in events]
    # What came after the award, read through the relations the investment's apps declare (they
    # sit above this one): updates sent, payments recorded, mentors named.
    investment = getattr(application, "investment", None)
    if investment is not None:
        for update in investment.updates.exclude(submitted_at=None):
            entries.append(Entry(at=update.submitted_at, text=f"Progress update {update.number} sent"))
        for payment in investment.payments.prefetch_related("entries"):
            for entry in payment.entries.all():
                entries.append(
                    Entry(
                        at=entry.recorded_at,
                        text=f"Payment {payment.number}: {pounds(entry.amount)} recorded as paid"
                        if entry.amount > 0
                        else f"Payment {payment.number}: {pounds(-entry.amount)} reversed",
                    )
                )
        for assignment in investment.mentor_assignments.select_related("mentor"):
            entries.append(
                Entry(at=assignment.assigned_at, text=f"{assignment.mentor.get_full_name()} named as mentor")
            )
    return sorted(entries, key=lambda entry: entry.at)


def unread_from_team(user: User) -> QuerySet[Any]:
    """The user's groups' applications with a message from the fund team they have not read, with
    ``latest``: when the newest came."""
    newest = (
        Message.objects.for_group()
        .filter(application=OuterRef("pk"), from_team=True)
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    seen = Reading.objects.filter(application=OuterRef("pk"), user=user).values("read_at")[:1]
    return (
        Application.objects.for_member(user)
        .annotate(latest=Subquery(newest), seen=Subquery(seen))
        .filter(latest__isnull=False)
        .filter(Q(seen__isnull=True) | Q(latest__gt=F("seen")))
    )


def unanswered(applications: QuerySet[Application]) -> QuerySet[Any]:
    """Applications whose newest message came from the group: waiting for the fund team's answer,
    with ``waiting_since``, when that message came."""
    newest = Message.objects.for_group().filter(application=OuterRef("pk")).order_by("-sent_at", "-pk")
    return applications.annotate(
        last_from_team=Subquery(newest.values("from_team")[:1]),
        waiting_since=Subquery(newest.values("sent_at")[:1]),
    ).filter(last_from_team=False)
