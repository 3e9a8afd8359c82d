"""Reads that need assessment's view of an application."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import User
from applications.models import Application, ApplicationQuerySet
from assessment.models import Review


def applications_visible_to(user: User) -> ApplicationQuerySet:
    """Who may see an application, the one rule: its group's members; the fund's officers and
    finance once it is sent; a panel member once they have declared no conflict with it. Every
    page, download and history that shows an application to more than its group reads it here."""
    if not user.is_authenticated:
        return Application.objects.none()
    reviewing = Review.objects.filter(
        reviewer=user, status__in=[Review.Status.IN_PROGRESS, Review.Status.SUBMITTED]
    ).values("application_id")
    return Application.objects.filter(
        Q(organisation__memberships__user=user)
        | Q(pk__in=Application.objects.for_staff(user).values("pk"))
        | Q(pk__in=reviewing)
    ).distinct()
