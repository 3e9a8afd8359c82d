"""The fund's work on a submitted application: eligibility, the panel, and the decision.

Every step is recorded as an ``ApplicationEvent`` (who, when, what), shown to staff as the
application's history.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import Application, ApplicationEvent
from applications.services.history import record
from assessment.models import Decision, Review, Score
from assessment.selectors import reviewer_on_panel
from assessment.signals import award_made
from conversations import services as conversations
from fund.models import Fund, FundRole, Tier
from fund.money import pounds
from fund.permissions import can_manage_fund
from kit.errors import RuleError
from kit.words import number, plural
from notifications.models import Kind
from notifications.services import group_members, notify
from organisations.notify import email_group

SENDABLE_BACK = (Application.Status.SUBMITTED, Application.Status.ELIGIBLE, Application.Status.IN_REVIEW)
CHECKABLE = (Application.Status.SUBMITTED,)
DECIDABLE = (Application.Status.ELIGIBLE, Application.Status.IN_REVIEW)


def _locked(application: Application, by: User) -> Application:
    """The application, locked for this transaction, if ``by`` is a fund officer of its fund."""
    application = (
        Application.objects.select_for_update()
        .select_related("round__fund", "organisation", "tier")
        .get(pk=application.pk)
    )
    if not (permission := can_manage_fund(by, application.round.fund)):
        raise RuleError(permission.reason)
    return application


def _email_group(
    application: Application, *, subject: str, template: str, base_url: str, **context: object
) -> None:
    email_group(
        application.organisation,
        fund=application.round.fund,
        subject=subject,
        template=template,
        context={
            "application": application,
            "link": base_url + reverse("applications:application_detail", args=[application.pk]),
            "service_name": settings.SERVICE_NAME,
            "support_email": settings.SUPPORT_EMAIL,
            **context,
        },
    )


# --- Eligibility ------------------------------------------------------------------------


@transaction.atomic
def mark_eligible(*, application: Application, by: User, notes: str = "") -> Application:
    application = _locked(application, by)
    if application.status not in CHECKABLE:
        raise RuleError(
            f"This application is {application.get_status_display().lower()}, not waiting for a check."
        )
    application.status = Application.Status.ELIGIBLE
    application.save(update_fields=["status", "updated_at"])
    record(application=application, kind=ApplicationEvent.Kind.ELIGIBLE, by=by, details=notes.strip())
    return application


@transaction.atomic
def mark_ineligible(*, application: Application, by: User, reason: str, base_url: str) -> Application:
    """Ends the application, telling the group why."""
    application = _locked(application, by)
    if application.status not in CHECKABLE:
        raise RuleError(
            f"This application is {application.get_status_display().lower()}, not waiting for a check."
        )
    if not reason.strip():
        raise RuleError({"reason": ["Say why the application is not eligible: the group will read this"]})
    application.status = Application.Status.INELIGIBLE
    application.save(update_fields=["status", "updated_at"])
    record(application=application, kind=ApplicationEvent.Kind.INELIGIBLE, by=by, details=reason.strip())
    _email_group(
        application,
        subject=f"Your application {application.reference} cannot go ahead",
        template="assessment/email/ineligible.txt",
        base_url=base_url,
        reason=reason.strip(),
    )
    return application


def _tell_group(application: Application, kind: Kind, text: str) -> None:
    """List it on each member's notifications: the group is written to about it already."""
    notify(
        group_members(application.organisation_id),
        kind=kind,
        text=text,
        url=reverse("applications:application_detail", args=[application.pk]),
        fund=application.round.fund,
        email=False,
    )


@transaction.atomic
def send_back_for_information(
    *, application: Application, questions: str, by: User, base_url: str
) -> Application:
    """Ask the group for more information: they change their answers and submit again.
    What they sent before stays as a numbered version."""
    application = _locked(application, by)
    if application.status not in SENDABLE_BACK:
        status = application.get_status_display().lower()
        raise RuleError(f"Only a submitted application can be sent back; this one is {status}.")
    if not questions.strip():
        raise RuleError({"questions": ["Say what information the group needs to give"]})
    application.status = Application.Status.DEFERRED
    application.information_requested = questions.strip()
    # The group confirms the declaration again before it resubmits.
    application.declared_at = None
    application.completed_sections = [
        slug for slug in application.completed_sections if slug != "declaration"
    ]
    application.save(
        update_fields=["status", "information_requested", "declared_at", "completed_sections", "updated_at"]
    )
    record(application=application, kind=ApplicationEvent.Kind.SENT_BACK, by=by, details=questions.strip())
    # The questions open the application's conversation, so the group can answer and send files there.
    conversations.post_from_team(application=application, by=by, text=questions.strip())
    _tell_group(
        application, Kind.SENT_BACK, f"The fund team asked for more information on {application.reference}"
    )
    _email_group(
        application,
        subject=f"More information needed: {application.reference}",
        template="assessment/email/sent_back.txt",
        base_url=base_url,
    )
    return application


# --- Reviewers ------------------------------------------------------------------------------


def panel_members(application: Application) -> QuerySet[User]:
    """People who sit on the panel of the application's fund."""
    return User.objects.filter(
        fund_roles__fund_id=application.round.fund_id, fund_roles__role=FundRole.Role.PANEL
    ).order_by("full_name", "email")


def _active_reviews(application: Application) -> QuerySet[Review]:
    """The reviews that count: not those where a conflict was declared, nor those left unfinished
    by someone no longer on the panel (what they submitted still counts)."""
    on_panel = FundRole.objects.filter(fund_id=application.round.fund_id, role=FundRole.Role.PANEL)
    return application.reviews.exclude(status=Review.Status.CONFLICTED).exclude(
        ~Q(status=Review.Status.SUBMITTED) & ~Q(reviewer__in=on_panel.values("user"))
    )


@transaction.atomic
def assign_reviewer(*, application: Application, reviewer: User, by: User | None) -> Review:
    """Ask one panel member to review. ``by`` is None when the portal reassigns after a conflict."""
    application = (
        Application.objects.select_for_update().select_related("round__fund", "tier").get(pk=application.pk)
        if by is None
        else _locked(application, by)
    )
    if application.tier.decision_route != Tier.DecisionRoute.PANEL:
        raise RuleError(f"{application.tier.name} applications are decided by an officer, without a panel.")
    if application.status not in (Application.Status.ELIGIBLE, Application.Status.IN_REVIEW):
        raise RuleError("Mark the application eligible before assigning reviewers.")
    if not panel_members(application).filter(pk=reviewer.pk).exists():
        raise RuleError(f"{reviewer} is not on the panel of {application.round.fund.name}.")
    existing = application.reviews.filter(reviewer=reviewer).first()
    if existing and existing.status == Review.Status.CONFLICTED:
        raise RuleError(f"{reviewer} declared a conflict of interest with this application.")
    if existing:
        raise RuleError(f"{reviewer} is already reviewing this application.")
    review = Review.objects.create(application=application, reviewer=reviewer)
    notify(
        [reviewer],
        kind=Kind.REVIEW_ASSIGNED,
        text=f"You are asked to review {application.reference}",
        url=reverse("assessment:review", args=[review.pk]),
        fund=application.round.fund,
    )
    if application.status != Application.Status.IN_REVIEW:
        application.status = Application.Status.IN_REVIEW
        application.save(update_fields=["status", "updated_at"])
    record(
        application=application, kind=ApplicationEvent.Kind.REVIEWER_ASSIGNED, by=by, details=str(reviewer)
    )
    return review


@transaction.atomic
def assign_reviewers_automatically(*, application: Application, by: User | None) -> list[Review]:
    """Fill the application's reviews up to the tier's number, giving each to the panel member
    with the fewest unfinished reviews in the round, and never to anyone already on it or
    who declared a conflict with it."""
    application = Application.objects.select_related("round", "tier").get(pk=application.pk)
    needed = application.tier.reviewers_needed - _active_reviews(application).count()
    if needed <= 0:
        return []
    already = application.reviews.values_list("reviewer_id", flat=True)
    candidates = (
        panel_members(application)
        .exclude(pk__in=already)
        .annotate(
            load=Count(
                "reviews",
                filter=Q(reviews__application__round=application.round)
                & Q(reviews__status__in=[Review.Status.ASSIGNED, Review.Status.IN_PROGRESS]),
            )
        )
        .order_by("load", "full_name", "pk")
    )
    chosen = list(candidates[:needed])
    if len(chosen) < needed and by is not None:
        others = (
            "nobody else" if not chosen else f"only {plural(len(chosen), 'other person', 'other people')}"
        )
        raise RuleError(
            f"This application needs {plural(needed, 'more reviewer')}, but the panel has {others} who "
            "can review it. Add panel members to the fund, or assign fewer by hand."
        )
    return [assign_reviewer(application=application, reviewer=reviewer, by=by) for reviewer in chosen]


@transaction.atomic
def declare_interest(*, review: Review, by: User, conflict: bool, reason: str = "") -> Review:
    """Before seeing an application the reviewer says whether they have a conflict of interest.
    A conflict takes the application away from them and finds another reviewer."""
    review = Review.objects.select_for_update().select_related("application__round").get(pk=review.pk)
    if review.reviewer_id != by.pk:
        raise RuleError("Only the reviewer can declare their own interests.")
    if review.status != Review.Status.ASSIGNED:
        raise RuleError("You have already declared your interests for this application.")
    review.declared_at = timezone.now()
    if conflict:
        if not reason.strip():
            raise RuleError({"reason": ["Say what the conflict of interest is"]})
        review.status = Review.Status.CONFLICTED
        review.conflict_reason = reason.strip()
        review.save(update_fields=["status", "conflict_reason", "declared_at"])
        record(
            application=review.application, kind=ApplicationEvent.Kind.CONFLICT, by=by, details=reason.strip()
        )
        assign_reviewers_automatically(application=review.application, by=None)
        return review
    review.status = Review.Status.IN_PROGRESS
    review.save(update_fields=["status", "declared_at"])
    scores = Score.objects.bulk_create(
        Score(review=review, criterion=criterion) for criterion in review.application.round.criteria.all()
    )
    Score.history.bulk_history_create(scores)  # the audit trail's first copy of each
    record(application=review.application, kind=ApplicationEvent.Kind.NO_CONFLICT, by=by)
    return review


# --- Scoring -------------------------------------------------------------------------------


@transaction.atomic
def save_scores(
    *,
    review: Review,
    by: User,
    scores: dict[int, tuple[int | None, str]],
    recommendation: str,
    comment: str,
    submit: bool,
) -> Review:
    """Save a draft of the scores, or submit them; submitted scores are locked."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.reviewer_id != by.pk:
        raise RuleError("Only the reviewer can change their scores.")
    if review.status != Review.Status.IN_PROGRESS:
        raise RuleError(
            "These scores were submitted, so they are locked. Ask a fund officer to reopen them."
            if review.status == Review.Status.SUBMITTED
            else "Declare your interests before scoring."
        )
    problems: dict[str, list[str]] = {}
    for score in review.scores.select_related("criterion"):
        value, note = scores.get(score.criterion_id, (None, ""))
        field = f"score_{score.criterion_id}"
        if value is not None and not 0 <= value <= score.criterion.scale_max:
            problems[field] = [f"Score ‘{score.criterion.title}’ from 0 to {score.criterion.scale_max}"]
            continue
        if submit and value is None:
            problems[field] = [f"Score ‘{score.criterion.title}’ before submitting"]
        score.score = value
        score.comment = note.strip()
        score.save(update_fields=["score", "comment"])
    if submit and not recommendation:
        problems["recommendation"] = ["Choose your recommendation before submitting"]
    if problems:
        raise RuleError(problems)
    review.recommendation = recommendation
    review.comment = comment.strip()
    fields = ["recommendation", "comment"]
    if submit:
        review.status = Review.Status.SUBMITTED
        review.submitted_at = timezone.now()
        fields += ["status", "submitted_at"]
        record(
            application=review.application,
            kind=ApplicationEvent.Kind.SCORES_SUBMITTED,
            by=by,
            details=f"{by}: {review.get_recommendation_display().lower()}",
        )
    review.save(update_fields=fields)
    return review


@transaction.atomic
def reopen_review(*, review: Review, by: User, reason: str) -> Review:
    review = Review.objects.select_for_update().select_related("application").get(pk=review.pk)
    _locked(review.application, by)
    if review.status != Review.Status.SUBMITTED:
        raise RuleError("Only submitted scores can be reopened.")
    if review.application.status not in DECIDABLE:
        raise RuleError("The application has been decided, so its scores can no longer change.")
    if not reason.strip():
        raise RuleError({"reason": ["Say why the scores are being reopened"]})
    review.status = Review.Status.IN_PROGRESS
    review.save(update_fields=["status"])
    record(
        application=review.application,
        kind=ApplicationEvent.Kind.REVIEW_REOPENED,
        by=by,
        details=f"{review.reviewer}: {reason.strip()}",
    )
    return review


# --- Decisions --------------------------------------------------------------------------------


def decision_problems(application: Application) -> list[str]:
    """Why the fund cannot decide yet (empty when it can)."""
    if application.status not in DECIDABLE:
        return [
            f"This application is {application.get_status_display().lower()}, so it cannot be decided now."
        ]
    if application.tier.decision_route == Tier.DecisionRoute.OFFICER:
        return []
    active = _active_reviews(application)
    submitted = active.filter(status=Review.Status.SUBMITTED).count()
    needed = application.tier.reviewers_needed
    if submitted < needed or submitted < active.count():
        return [
            f"{application.tier.name} applications need {plural(needed, 'panel review')} before a decision: "
            f"{number(submitted)} of {number(max(active.count(), needed))} "
            f"{'is' if submitted == 1 else 'are'} submitted."
        ]
    return []


def waiting_decision(application: Application) -> Decision | None:
    """The decision recorded on ``application`` at a panel meeting and not released yet, if any."""
    return (
        Decision.objects.filter(application=application, released_at__isnull=True)
        .select_related("meeting")
        .first()
    )


def needs_signoff(decision: Decision, fund: Fund) -> bool:
    """An award above the fund's sign-off limit: a second officer approves it before release."""
    return (
        decision.outcome == Decision.Outcome.AWARD
        and fund.signoff_limit is not None
        and decision.amount is not None
        and decision.amount > fund.signoff_limit
    )


def checked_decision(
    application: Application,
    *,
    outcome: str,
    amount: Decimal | None,
    conditions: str,
    partnership_required: bool,
    feedback: str,
    at_meeting: bool,
) -> tuple[Decimal | None, str]:
    """The decision's amount and conditions as they are kept, or ``RuleError`` saying what to put
    right. The same checks whether an officer decides alone or a meeting records it."""
    if outcome not in Decision.Outcome.values:
        raise RuleError(f"'{outcome}' is not a decision the fund makes.")
    conditions = conditions.strip()
    if outcome == Decision.Outcome.AWARD:
        if amount is None:
            raise RuleError({"amount": ["Enter the amount to award"]})
        if amount > application.amount_requested:
            raise RuleError(
                {
                    "amount": [
                        f"The award cannot be more than the {pounds(application.amount_requested)} asked for"
                    ]
                }
            )
        if partnership_required and "partnership" not in conditions.lower():
            conditions = (conditions + "\nThe investment depends on working in partnership.").strip()
        return amount, conditions
    if outcome == Decision.Outcome.DECLINE and not feedback.strip():
        raise RuleError({"feedback": ["Write the feedback the group will read"]})
    if outcome == Decision.Outcome.DEFER and not at_meeting and not feedback.strip():
        raise RuleError({"feedback": ["Say what the group needs to tell the fund"]})
    return None, ""


@transaction.atomic
def decide(
    *,
    application: Application,
    by: User,
    outcome: str,
    base_url: str,
    amount: Decimal | None = None,
    start_date: date | None = None,
    conditions: str = "",
    partnership_required: bool = False,
    mentor_required: bool = False,
    reason: str = "",
    feedback: str = "",
) -> Decision:
    """An officer decides alone, and the group is told at once: award, decline, or defer (send
    back for more information). An award commits money from the round under the budget rule and
    creates the investment with its payments and its offer. An award above the fund's sign-off
    limit is decided at a panel meeting instead, where a second officer approves it."""
    application = _locked(application, by)
    if problems := decision_problems(application):
        raise RuleError(problems)
    if (waiting := waiting_decision(application)) is not None and waiting.meeting is not None:
        raise RuleError(
            f"A decision on {application.reference} waits at the panel meeting on "
            f"{waiting.meeting.held_on:%-d %B %Y}: change it or take it off there."
        )
    amount, conditions = checked_decision(
        application,
        outcome=outcome,
        amount=amount,
        conditions=conditions,
        partnership_required=partnership_required,
        feedback=feedback,
        at_meeting=False,
    )
    now = timezone.now()
    decision = Decision(
        application=application,
        outcome=outcome,
        amount=amount,
        start_date=start_date if outcome == Decision.Outcome.AWARD else None,
        conditions=conditions,
        partnership_required=partnership_required and outcome == Decision.Outcome.AWARD,
        mentor_required=mentor_required and outcome == Decision.Outcome.AWARD,
        reason=reason.strip(),
        feedback=feedback.strip(),
        decided_by=by,
        decided_at=now,
        released_at=now,
    )
    fund = application.round.fund
    if needs_signoff(decision, fund):
        raise RuleError(
            {
                "amount": [
                    f"An award over {pounds(fund.signoff_limit)} needs a second officer's approval: "
                    "record it at a panel meeting (arrange one from the round's Panel meetings page), "
                    "where another officer approves it before it is released"
                ]
            }
        )
    if outcome == Decision.Outcome.DEFER:
        decision.save()
        send_back_for_information(application=application, questions=feedback, by=by, base_url=base_url)
        return decision
    try:
        put_into_effect(decision, application, by=by, base_url=base_url)
    except RuleError as error:
        raise RuleError({"amount": error.messages}) from error
    return decision


def put_into_effect(decision: Decision, application: Application, *, by: User, base_url: str) -> None:
    """What a released decision does: an award commits the money and makes the investment and its
    offer (``RuleError`` when the round or tier has too little left); the application's status
    changes, the history records it, and the group is told. A deferral to a later meeting leaves
    the application with the panel and tells the group when it will be decided."""
    offer_link = ""
    if decision.outcome == Decision.Outcome.AWARD:
        assert decision.amount is not None
        answers = award_made.send(
            sender=Decision,
            application=application,
            amount=decision.amount,
            start_date=decision.start_date or timezone.localdate(),
            mentor_required=decision.mentor_required,
            conditions=decision.conditions,
        )
        # The investment the award made (``investments`` answers with it): its offer is where
        # the group goes next. Named by its address, as investments sit above this app.
        # (The stubs type a receiver's answer as str | None; Django passes on what it returns.)
        made = [cast(Any, answer).pk for _receiver, answer in answers if answer is not None]
        if made:
            offer_link = base_url + reverse("investments:offer", args=[made[0]])
        application.status = Application.Status.AWARDED
        kind = ApplicationEvent.Kind.AWARDED
        details = f"{pounds(decision.amount)}" + (
            f"; conditions: {decision.conditions}" if decision.conditions else ""
        )
    elif decision.outcome == Decision.Outcome.DECLINE:
        application.status = Application.Status.DECLINED
        kind = ApplicationEvent.Kind.DECLINED
        details = decision.reason or decision.feedback
    else:
        assert decision.deferred_to is not None
        kind = ApplicationEvent.Kind.DEFERRED
        details = f"to the panel meeting on {decision.deferred_to.held_on:%-d %B %Y}" + (
            f": {decision.reason}" if decision.reason else ""
        )
    if decision.pk is None:
        decision.save()
    application.save(update_fields=["status", "updated_at"])
    record(application=application, kind=kind, by=by, details=details)
    if decision.outcome == Decision.Outcome.DEFER:
        assert decision.deferred_to is not None
        subject = (
            f"Your application {application.reference}: the panel will decide on "
            f"{decision.deferred_to.held_on:%-d %B %Y}"
        )
    else:
        subject = f"Decision on your application {application.reference}"
    _tell_group(application, Kind.DECIDED, subject)
    fund = application.round.fund
    _email_group(
        application,
        subject=subject,
        template="assessment/email/decision.txt",
        base_url=base_url,
        decision=decision,
        respond_by=fund.offer_deadline(timezone.localdate()),
        offer_link=offer_link,
    )


REVIEW_REMINDER_DAYS_BEFORE = 3


@transaction.atomic
def remind_reviewers(*, today: date) -> tuple[int, int]:
    """Remind panel members of unfinished reviews a few days before the round's deadline, and once
    when late; each reminder goes once, however often this runs. (reminded before, reminded late)"""
    reviews = (
        Review.objects.select_for_update(of=("self",))
        .filter(
            status__in=[Review.Status.ASSIGNED, Review.Status.IN_PROGRESS],
            application__status=Application.Status.IN_REVIEW,
            application__round__review_deadline__isnull=False,
        )
        .filter(reviewer_on_panel())
        .select_related("reviewer", "application__round__fund")
    )
    before = late = 0
    for review in reviews:
        due = review.application.round.review_deadline
        assert due is not None
        reference = review.application.reference
        url = reverse("assessment:review", args=[review.pk])
        fund = review.application.round.fund
        if due < today and review.reminded_late_on is None:
            text = f"Your review of {reference} is late: it was due by {due:%-d %B %Y}"
            notify([review.reviewer], kind=Kind.REVIEW_DUE, text=text, url=url, fund=fund)
            review.reminded_late_on = today
            review.save(update_fields=["reminded_late_on"])
            late += 1
        elif (
            today <= due <= today + timedelta(days=REVIEW_REMINDER_DAYS_BEFORE)
            and not review.reminded_before_on
        ):
            text = f"Your review of {reference} is due by {due:%-d %B %Y}"
            notify([review.reviewer], kind=Kind.REVIEW_DUE, text=text, url=url, fund=fund)
            review.reminded_before_on = today
            review.save(update_fields=["reminded_before_on"])
            before += 1
    return before, late
