"""Reads that need assessment's view of an application."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from applications.models import Application, ApplicationQuerySet
from assessment.models import Decision, Review
from fund.models import FundRole, Tier


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


# --- Where an undecided application stands (the queue's stage filter and the officer's to-do list) ---

OPEN_REVIEW = (Review.Status.ASSIGNED, Review.Status.IN_PROGRESS)


def reviewer_on_panel(fund: OuterRef | None = None) -> Exists:
    """The review's reviewer is still on the panel of ``fund`` (the review's own fund unless a
    subquery names it): an unfinished review by someone who left is for reassigning, as
    ``services._active_reviews`` has it for one application."""
    return Exists(
        FundRole.objects.filter(
            user=OuterRef("reviewer"),
            fund=fund if fund is not None else OuterRef("application__round__fund"),
            role=FundRole.Role.PANEL,
        )
    )


def _coming() -> QuerySet[Review]:
    """An application's unfinished reviews by people still on the fund's panel: those that will
    count when done."""
    return Review.objects.filter(application=OuterRef("pk"), status__in=OPEN_REVIEW).filter(
        reviewer_on_panel(OuterRef(OuterRef("round__fund")))
    )


def _open_reviews_by_panel() -> Exists:
    return Exists(_coming())


def _reviews_coming() -> Coalesce:
    counted = _coming().order_by().values("application").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


def _submitted_reviews() -> Coalesce:
    counted = (
        Review.objects.filter(application=OuterRef("pk"), status=Review.Status.SUBMITTED)
        .order_by()
        .values("application")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted), 0)


def reviewers_to_name(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Decided by a panel, with too few reviews done or coming: eligible and nobody asked yet, or
    being assessed when some of those asked declared a conflict or left the panel (it may be
    waiting for reviews too)."""
    panel = Q(tier__decision_route=Tier.DecisionRoute.PANEL)
    return applications.alias(reviews_counted=_submitted_reviews() + _reviews_coming()).filter(
        Q(panel, status=Application.Status.ELIGIBLE)
        | Q(panel, status=Application.Status.IN_REVIEW, reviews_counted__lt=F("tier__reviewers_needed"))
    )


def waiting_for_reviews(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Being assessed, with a review still to come from a panel member."""
    return applications.filter(status=Application.Status.IN_REVIEW).filter(_open_reviews_by_panel())


def ready_to_decide(applications: QuerySet[Application]) -> QuerySet[Application]:
    """What an officer can decide now (``services.decision_problems`` finds nothing): eligible
    ones an officer decides alone, and those a panel assessed with every review in and enough of them."""
    return applications.alias(submitted_reviews=_submitted_reviews()).filter(
        Q(status=Application.Status.ELIGIBLE, tier__decision_route=Tier.DecisionRoute.OFFICER)
        | Q(
            Q(status=Application.Status.IN_REVIEW, tier__decision_route=Tier.DecisionRoute.PANEL)
            & ~Q(_open_reviews_by_panel())
            & Q(submitted_reviews__gte=F("tier__reviewers_needed"))
        )
    )


def late_reviews(reviews: QuerySet[Review], today: date) -> QuerySet[Review]:
    """Unfinished reviews that still count, of applications being assessed, whose round's review
    deadline has passed (one left by someone no longer on the panel is for reassigning instead)."""
    return reviews.filter(
        reviewer_on_panel(),
        status__in=OPEN_REVIEW,
        application__status=Application.Status.IN_REVIEW,
        application__round__review_deadline__lt=today,
    )


STAGES = [
    ("to_check", "Sent, to check"),
    ("reviewers", "Eligible, panel reviewers to name"),
    ("reviews", "Waiting for panel reviews"),
    ("decide", "Ready to decide"),
]


def at_stage(applications: QuerySet[Application], stage: str) -> QuerySet[Application]:
    if stage == "to_check":
        return applications.filter(status=Application.Status.SUBMITTED)
    if stage == "reviewers":
        return reviewers_to_name(applications)
    if stage == "reviews":
        return waiting_for_reviews(applications)
    return ready_to_decide(applications)


def awards_awaiting_approval(applications: QuerySet[Application]) -> QuerySet[Decision]:
    """The awards at meetings, not released, over their fund's sign-off limit and not approved:
    ``services.needs_signoff`` as a query, for lists of many."""
    return Decision.objects.filter(
        application__in=applications,
        meeting__isnull=False,
        released_at__isnull=True,
        outcome=Decision.Outcome.AWARD,
        approved_at__isnull=True,
        amount__gt=F("application__round__fund__signoff_limit"),
    )
