"""Sending a message or note, and keeping how far each person has read."""

from __future__ import annotations

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from conversations.models import Message, Reading
from conversations.permissions import Side, side_of
from fund.models import FundRole
from kit.errors import RuleError
from kit.uploads import attach, upload_problems
from notifications.models import Kind
from notifications.services import current_mentors, fund_people, group_members, notify

LONGEST = 5000  # characters in one message


@transaction.atomic
def send(
    *,
    application: Application,
    by: User,
    text: str,
    attachment: UploadedFile | None = None,
    team_note: bool = False,
) -> Message:
    """Add ``by``'s message to the application's conversation (a note the group never sees when
    ``team_note``), with the file checked as every upload is."""
    side = side_of(by, application)
    if side is None:
        raise RuleError("Only the group's members and the fund team take part in this conversation.")
    if team_note and side != Side.TEAM:
        raise RuleError("Only the fund team writes notes.")
    problems: dict[str, list[str]] = {}
    text = text.strip()
    if not text:
        problems["text"] = ["Write your note" if team_note else "Write your message"]
    elif len(text) > LONGEST:
        problems["text"] = [f"The message must be {LONGEST:,} characters or fewer: it has {len(text):,}"]
    content_type = None
    if attachment is not None:
        content_type, found = upload_problems(attachment)
        if found:
            problems["attachment"] = found
    if problems:
        raise RuleError(problems)
    message = Message(
        application=application, author=by, from_team=side == Side.TEAM, team_note=team_note, text=text
    )
    if attachment is not None:
        attach(message, "attachment", attachment, content_type)
    message.save()
    if not team_note:
        fund = application.round.fund
        if side == Side.GROUP:
            investment = getattr(application, "investment", None)
            mentors = current_mentors(fund, investment.pk) if investment is not None else []
            people = [*fund_people(fund, FundRole.Role.OFFICER), *mentors]
        else:
            people = group_members(application.organisation_id)
        notify(
            people,
            kind=Kind.MESSAGE,
            text=f"New message about {application.reference}",
            url=reverse("conversations:thread", args=[application.pk]),
            fund=fund,
            by=by,
        )
    return message


def mark_read(application: Application, user: User, up_to: datetime | None = None) -> None:
    """``user`` has read the conversation up to ``up_to``: the newest message they were shown
    (a message that came after it stays new)."""
    read_at = up_to or timezone.now()
    reading, made = Reading.objects.get_or_create(
        application=application, user=user, defaults={"read_at": read_at}
    )
    if not made and reading.read_at < read_at:
        Reading.objects.filter(pk=reading.pk).update(read_at=read_at)


def post_from_team(*, application: Application, by: User, text: str) -> Message:
    """A message the fund's own steps write for an officer (the questions when an application is
    sent back), already checked by the step that sends it."""
    return Message.objects.create(application=application, author=by, from_team=True, text=text)
