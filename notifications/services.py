"""Telling people: ``notify`` records a notification for each person and e-mails it at once or
keeps it for their daily digest, as they chose; ``send_digests`` sends the digests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User, can_receive_mail
from accounts.tasks import send_email
from fund.models import Fund, FundRole
from notifications.models import REQUIRED, Channel, Kind, Notification, Preference


def channels(user: User) -> dict[str, str]:
    """How ``user`` hears of each kind: their choice, else at once; never off for required kinds."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {
        kind: Channel.NOW
        if kind in REQUIRED and chosen.get(kind) == Channel.OFF
        else chosen.get(kind, Channel.NOW)
        for kind in Kind.values
    }


def fund_people(fund: Fund, *roles: str) -> list[User]:
    """Who holds one of ``roles`` in ``fund``."""
    return list(User.objects.filter(fund_roles__fund=fund, fund_roles__role__in=roles).distinct())


def group_members(organisation_id: int) -> list[User]:
    """The members of a group (reached by the relation organisations declares)."""
    return list(User.objects.filter(memberships__organisation=organisation_id))


def current_mentors(fund: Fund, investment_id: int) -> list[User]:
    """The investment's mentors still named for it and still mentors of ``fund``: someone whose
    role went keeps the assignment until it is handed on, but is told nothing more of it."""
    return list(
        User.objects.filter(
            mentor_assignments__investment=investment_id,
            mentor_assignments__ended_at=None,
            pk__in=FundRole.objects.filter(fund=fund, role=FundRole.Role.MENTOR).values("user"),
        )
    )


def notify(
    people: Iterable[User],
    *,
    kind: Kind,
    text: str,
    url: str,
    fund: Fund | None = None,
    base_url: str = "",
    by: User | None = None,
    email: bool = True,
    body: str = "",
) -> list[Notification]:
    """Tell each of ``people`` (once each, never ``by``, who caused it) that ``text`` happened,
    with a link to ``url``. The e-mail carries the words and the link only, and ``body``, a few
    lines the code writes (what to do next): a private message's content stays in the portal.
    ``email=False`` for what has its own e-mail already (a decision the group is written to
    about): it is listed in the portal only."""
    recipients: dict[int, User] = {
        person.pk: person for person in people if person.is_active and (by is None or person.pk != by.pk)
    }
    if not recipients:
        return []
    chosen = dict(
        Preference.objects.filter(user__in=list(recipients), kind=kind).values_list("user_id", "channel")
    )
    made = []
    for pk, person in recipients.items():
        channel = chosen.get(pk, Channel.NOW)
        if channel == Channel.OFF and kind in REQUIRED:
            channel = Channel.NOW
        notification = Notification.objects.create(
            user=person,
            fund=fund,
            kind=kind,
            text=text[:300],
            url=url,
            digest_due=email and channel == Channel.DIGEST,
        )
        made.append(notification)
        if email and channel == Channel.NOW and can_receive_mail(person.email):
            message = render_to_string(
                "notifications/email.txt",
                {
                    "text": text,
                    "body": body,
                    "link": f"{base_url or settings.SITE_URL}{url}",
                    "service": settings.SERVICE_NAME,
                },
            )
            transaction.on_commit(
                partial(
                    send_email.enqueue,
                    subject=text,
                    body=message,
                    to=[person.email],
                    fund=fund.pk if fund else None,
                )
            )
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
    return made


def tell_investment_team(
    fund: Fund, investment_id: int, *, kind: Kind, text: str, officer_url: str, by: User | None = None
) -> None:
    """The fund's officers, to ``officer_url``, and the investment's current mentors, to their
    page for it (named by its address: mentoring sits above this app)."""
    notify(fund_people(fund, FundRole.Role.OFFICER), kind=kind, text=text, url=officer_url, fund=fund, by=by)
    notify(
        current_mentors(fund, investment_id),
        kind=kind,
        text=text,
        url=reverse("mentoring:investment", args=[investment_id]),
        fund=fund,
        by=by,
    )


@transaction.atomic
def send_digests() -> int:
    """One e-mail to each person with notifications waiting for their digest; each goes once."""
    waiting = (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(digest_due=True, emailed_at__isnull=True)
        .select_related("user")
        .order_by("user", "created_at", "pk")
    )
    by_person: dict[User, list[Notification]] = defaultdict(list)
    for notification in waiting:
        by_person[notification.user].append(notification)
    now = timezone.now()
    for person, notifications in by_person.items():
        if can_receive_mail(person.email):
            body = render_to_string(
                "notifications/digest.txt",
                {
                    "notifications": notifications,
                    "site": settings.SITE_URL,
                    "service": settings.SERVICE_NAME,
                },
            )
            subject = f"{settings.SERVICE_NAME}: {len(notifications)} things since yesterday"
            transaction.on_commit(partial(send_email.enqueue, subject=subject, body=body, to=[person.email]))
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
    return len(by_person)


def set_channel(user: User, kind: str, channel: str) -> None:
    if kind in REQUIRED and channel == Channel.OFF:
        channel = Channel.NOW
    Preference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})
