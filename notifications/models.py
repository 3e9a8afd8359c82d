"""What the portal tells each person: a list in the portal, and e-mail at once or in a daily
digest, as each person chooses for each kind (some kinds cannot be turned off)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fund.models import Fund

# A notification is a pointer to something kept elsewhere: after a year it is removed
# (``privacy.retention`` via ``apply_retention``).
KEPT_FOR_DAYS = 365


class Kind(models.TextChoices):
    SUBMITTED = "submitted", "An application is sent or sent again"
    SENT_BACK = "sent_back", "Your application is sent back for more information"
    DECIDED = "decided", "A decision on your application"
    REVIEW_ASSIGNED = "review_assigned", "You are asked to review an application"
    REVIEW_DUE = "review_due", "A review of yours is due soon, or late"
    UPDATE_DUE = "update_due", "A progress update is due soon, due today, or overdue"
    UPDATE_SENT = "update_sent", "A progress update is sent"
    GOAL_CHANGE = "goal_change", "A change of goals is proposed, agreed or not agreed"
    CONCERN = "concern", "A mentor raises a concern"
    MESSAGE = "message", "A new message in a conversation"
    EVIDENCE = "evidence", "Evidence that a condition is met is sent"
    ROLE = "role", "You are given a role in a fund"
    APPROVAL = "approval", "An award above the fund's limit waits for your approval"
    OFFER = "offer", "An offer of investment waits for your group's answer"


# What the law or the fund needs a person to hear: never turned off (at once or in the digest).
# An update due is the fund's own need: a group cannot miss one unawares.
REQUIRED = {Kind.SENT_BACK, Kind.DECIDED, Kind.ROLE, Kind.UPDATE_DUE, Kind.OFFER}


class Channel(models.TextChoices):
    NOW = "now", "E-mail me at once"
    DIGEST = "digest", "Once a day, in one e-mail"
    OFF = "off", "Only in the portal"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, null=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind)
    # Says what happened and where, never what a private message says.
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # For the digest: when it went in one (None while waiting, or for those not sent by e-mail).
    digest_due = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["digest_due", "user"], name="notification_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user}"


class Preference(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind)
    channel = models.CharField(max_length=6, choices=Channel, default=Channel.NOW)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} by {self.channel}"
