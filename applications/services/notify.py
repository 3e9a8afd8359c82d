"""E-mails to a group: its contact and every member, sent by the task worker once the change commits."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string

from accounts.tasks import send_email
from applications.models import Organisation
from fund.models import Fund


def group_recipients(organisation: Organisation, *also: str) -> list[str]:
    return sorted(
        {organisation.contact_email, *also}
        | set(organisation.memberships.values_list("user__email", flat=True))
    )


def email_group(
    organisation: Organisation, *, fund: Fund, subject: str, template: str, context: dict, also=()
) -> None:
    """Queue an e-mail to the group about its dealings with ``fund``; a change that rolls back sends
    nothing."""
    recipients = group_recipients(organisation, *also)
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=recipients, fund=fund.pk))
