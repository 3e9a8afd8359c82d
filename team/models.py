"""A fund's team: the invitations its officers send to officers, finance, panel members and mentors.

The roles themselves are ``fund.FundRole`` rows; an invitation becomes one when the person it was
sent to accepts it, signed in with that address.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from fund.models import Fund, FundRole, Place, Theme
from kit.invitations import Expires


def _token() -> str:
    return secrets.token_urlsafe(32)


class TeamInvitationQuerySet(models.QuerySet["TeamInvitation"]):
    def waiting(self) -> TeamInvitationQuerySet:
        """Sent, not yet accepted or withdrawn, and not expired."""
        return self.filter(
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            created_at__gt=timezone.now() - timedelta(days=TeamInvitation.VALID_DAYS),
        )


class TeamInvitation(Expires, models.Model):
    """An e-mailed invitation to take a role in a fund, used once within ``VALID_DAYS``."""

    VALID_DAYS = 14

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="team_invitations")
    email = models.EmailField("email address")
    role = models.CharField(max_length=10, choices=FundRole.Role)
    # What a mentor offers, copied to their mentor profile when they accept.
    capacity = models.PositiveSmallIntegerField(
        "investments they can mentor at once",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    places = models.ManyToManyField(Place, blank=True, related_name="+", verbose_name="places covered")
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name="expertise")
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token"])

    objects = TeamInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Two officers inviting the same person to the same role at once send one invitation.
            models.UniqueConstraint(
                fields=["fund", "email", "role"],
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="one_open_team_invitation_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display().lower()} of {self.fund}"
