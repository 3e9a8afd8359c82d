"""E-mails to a group: its contact and every member, sent by the task worker once the change commits."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string

from accounts.models import can_receive_mail
from accounts.tasks import send_email
from fund.models import Fund
from organisations.models import Organisation


def group_recipients(organisation: Organisation, *also: str) -> list[str]:
    """The group's contact and members (an erased person's placeholder address left out)."""
    addresses = {organisation.contact_email, *also}
    addresses |= set(organisation.memberships.values_list("user__email", flat=True))
    return sorted(address for address in addresses if can_receive_mail(address))


def email_group(
    organisation: Organisation, *, fund: Fund, subject: str, template: str, context: dict, also=()
) -> None:
    """Queue an e-mail to the group about its dealings with ``fund``; a change that rolls back sends
    nothing."""
    recipients = group_recipients(organisation, *also)
    if not recipients:
        return  # everyone who could be told has been erased
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=recipients, fund=fund.pk))


def email_members(organisation: Organisation, *, subject: str, template: str, context: dict) -> None:
    """Queue an e-mail to the group's contact and every member about the group itself (not one
    fund's dealings with it); a change that rolls back sends nothing."""
    recipients = group_recipients(organisation)
    if not recipients:
        return
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=recipients))
