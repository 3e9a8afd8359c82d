"""One conversation for each sent application (and so for its investment) between the group's
members and the fund team: messages with an attachment if need be, and the fund team's notes,
which the group never sees. How far each person has read it is kept, for unread markers."""

from __future__ import annotations

import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models

from applications.models import Application


def attachment_key(message: Message, filename: str) -> str:
    """An unguessable storage key; the file's own name is kept only in the database."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"messages/{uuid.uuid4().hex}/{secrets.token_urlsafe(16)}{suffix}"


class MessageQuerySet(models.QuerySet["Message"]):
    def for_group(self) -> MessageQuerySet:
        """What the group may read: every message, never a note of the fund team's."""
        return self.filter(team_note=False)


class Message(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Which side wrote it, kept apart from the author: it holds when the author's link is removed.
    from_team = models.BooleanField("written by the fund team")
    team_note = models.BooleanField("a note for the fund team only", default=False)
    text = models.TextField()
    attachment = models.FileField(upload_to=attachment_key, max_length=200, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["application", "sent_at", "pk"]
        indexes = [models.Index(fields=["application", "-sent_at"], name="message_thread_latest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_team=True) | models.Q(team_note=False),
                name="only_the_team_writes_notes",
            )
        ]

    def __str__(self) -> str:
        return f"{'Note' if self.team_note else 'Message'} on {self.application}"


class Reading(models.Model):
    """When a person last read an application's conversation: newer messages are unread."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="readings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "user"], name="one_reading_per_person")]

    def __str__(self) -> str:
        return f"{self.user} read {self.application} at {self.read_at:%Y-%m-%d %H:%M}"
