"""Panel meetings: an officer arranges one for a round, records each decision in one sitting,
a second officer approves the awards above the fund's sign-off limit, and the meeting's decisions
are released to the groups together, all or none.

Recording a decision changes nothing a group sees and commits no money: that happens on release,
through the same ``put_into_effect`` an officer's decision alone goes through."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import Application, ApplicationEvent
from applications.services.history import record
from assessment import panel_summary
from assessment.models import Decision, PanelMeeting, Review
from assessment.services import DECIDABLE, checked_decision, decision_problems, needs_signoff, put_into_effect
from fund.commitments import awarded_in
from fund.models import FundRole, Round
from fund.money import pounds
from fund.permissions import can_manage_fund
from kit.errors import RuleError
from notifications.models import Kind
from notifications.services import fund_people, notify


def _officer(by: User, round: Round) -> None:
    if not (permission := can_manage_fund(by, round.fund)):
        raise RuleError(permission.reason)


def _locked(meeting: PanelMeeting, by: User) -> PanelMeeting:
    """The meeting, locked, if ``by`` is an officer of its fund and it is not released yet."""
    meeting = (
        PanelMeeting.objects.select_for_update(of=("self",))
        .select_related("round__fund", "released_by")
        .get(pk=meeting.pk)
    )
    _officer(by, meeting.round)
    if meeting.is_released:
        assert meeting.released_at is not None
        released = timezone.localtime(meeting.released_at)
        raise RuleError(
            f"{meeting.released_by} released this meeting's decisions on {released:%-d %B %Y} at "
            f"{released:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")
            + ": they can no longer change."
        )
    return meeting


@transaction.atomic
def save_meeting(
    *, round: Round, by: User, held_on: date, attendees: str, notes: str, meeting: PanelMeeting | None = None
) -> PanelMeeting:
    """Arrange a meeting for ``round``, or change the details of one not released yet."""
    _officer(by, round)
    opened = timezone.localdate(round.opens_at)
    if held_on < opened:
        raise RuleError(
            {"held_on": [f"The meeting must be on or after {opened:%-d %B %Y}, when the round opened"]}
        )
    if meeting is None:
        meeting = PanelMeeting(round=round, created_by=by)
    else:
        meeting = _locked(meeting, by)
        later = meeting.deferred_here.exclude(meeting__held_on__lt=held_on).select_related("meeting")
        if earlier := later.first():
            assert earlier.meeting is not None
            raise RuleError(
                {
                    "held_on": [
                        f"Applications were deferred to this meeting from the meeting on "
                        f"{earlier.meeting.held_on:%-d %B %Y}: it must come after that"
                    ]
                }
            )
        if (
            defers := meeting.decisions.filter(deferred_to__held_on__lte=held_on)
            .select_related("deferred_to")
            .first()
        ):
            assert defers.deferred_to is not None
            raise RuleError(
                {
                    "held_on": [
                        f"This meeting defers applications to the meeting on "
                        f"{defers.deferred_to.held_on:%-d %B %Y}: it must come before that"
                    ]
                }
            )
    meeting.held_on, meeting.attendees, meeting.notes = held_on, attendees.strip(), notes.strip()
    meeting._history_user = by  # type: ignore[attr-defined]
    meeting.save()
    return meeting


def later_meetings(meeting: PanelMeeting) -> QuerySet[PanelMeeting]:
    """The meetings a decision at ``meeting`` can defer an application to."""
    return PanelMeeting.objects.filter(
        round=meeting.round_id, held_on__gt=meeting.held_on, released_at__isnull=True
    ).order_by("held_on", "pk")


@transaction.atomic
def record_decision(
    *,
    meeting: PanelMeeting,
    application: Application,
    by: User,
    outcome: str,
    amount: Decimal | None = None,
    start_date: date | None = None,
    conditions: str = "",
    partnership_required: bool = False,
    mentor_required: bool = False,
    reason: str = "",
    feedback: str = "",
    deferred_to: PanelMeeting | None = None,
) -> Decision:
    """Record (or change) the meeting's decision on ``application``. Nothing reaches the group and
    no money is committed until the meeting is released. A change clears any approval given."""
    meeting = _locked(meeting, by)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("tier").get(pk=application.pk)
    )
    if application.round_id != meeting.round_id:
        raise RuleError(f"{application.reference} is not in {meeting.round.name}.")
    if problems := decision_problems(application):
        raise RuleError(problems)
    elsewhere = (
        Decision.objects.filter(application=application, released_at__isnull=True)
        .exclude(meeting=meeting)
        .select_related("meeting")
        .first()
    )
    if elsewhere is not None and elsewhere.meeting is not None:
        raise RuleError(
            f"{application.reference} has a decision waiting at the meeting on "
            f"{elsewhere.meeting.held_on:%-d %B %Y}: change it there."
        )
    amount, conditions = checked_decision(
        application,
        outcome=outcome,
        amount=amount,
        conditions=conditions,
        partnership_required=partnership_required,
        feedback=feedback,
        at_meeting=True,
    )
    if outcome == Decision.Outcome.DEFER:
        if deferred_to is None:
            raise RuleError({"deferred_to": ["Choose the later meeting that will decide it"]})
        # Locked, so it cannot be released while a deferral to it is recorded.
        if not later_meetings(meeting).select_for_update().filter(pk=deferred_to.pk).exists():
            raise RuleError({"deferred_to": ["Choose a meeting of this round after this one"]})
    award = outcome == Decision.Outcome.AWARD
    decision, _ = Decision.objects.update_or_create(
        application=application,
        meeting=meeting,
        defaults={
            "outcome": outcome,
            "amount": amount,
            "start_date": start_date if award else None,
            "conditions": conditions,
            "partnership_required": partnership_required and award,
            "mentor_required": mentor_required and award,
            "reason": reason.strip(),
            "feedback": feedback.strip(),
            "deferred_to": deferred_to if outcome == Decision.Outcome.DEFER else None,
            "decided_by": by,
            "decided_at": timezone.now(),
            "approved_by": None,
            "approved_at": None,
        },
    )
    if needs_signoff(decision, meeting.round.fund):
        notify(
            fund_people(meeting.round.fund, FundRole.Role.OFFICER),
            kind=Kind.APPROVAL,
            text=f"{application.reference}: an award of {pounds(decision.amount)} waits for your approval",
            url=reverse("assessment:meeting", args=[meeting.pk]),
            fund=meeting.round.fund,
            by=by,
        )
    return decision


@transaction.atomic
def take_back(*, meeting: PanelMeeting, decision: Decision, by: User) -> None:
    """Take a decision off the meeting before release: the application waits to be decided again."""
    meeting = _locked(meeting, by)
    Decision.objects.filter(pk=decision.pk, meeting=meeting, released_at__isnull=True).delete()


@transaction.atomic
def approve(*, decision: Decision, by: User, seen: str | None = None) -> Decision:
    """A second officer approves an award above the sign-off limit. The officer who recorded it
    cannot; a change to it afterwards needs approving again. ``seen`` is the version of the
    decision the approver read (``approval_token``): a decision changed since is not approved."""
    assert decision.meeting is not None
    _locked(decision.meeting, by)
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("application", "meeting__round__fund")
        .get(pk=decision.pk)
    )
    assert decision.meeting is not None
    if not needs_signoff(decision, decision.meeting.round.fund):
        raise RuleError("This decision does not need a second officer's approval.")
    if decision.decided_by_id == by.pk:
        raise RuleError(
            "You recorded this award, so another officer of the fund must approve it: "
            "the same person cannot do both."
        )
    if seen is not None and seen != approval_token(decision):
        raise RuleError(
            f"The decision on {decision.application.reference} changed since you read it: read it again "
            "before you approve it."
        )
    if decision.approved_at is not None:
        return decision  # approved already, by someone else a moment ago
    decision.approved_by, decision.approved_at = by, timezone.now()
    decision.save(update_fields=["approved_by", "approved_at"])
    record(
        application=decision.application,
        kind=ApplicationEvent.Kind.AWARD_APPROVED,
        by=by,
        details=f"{pounds(decision.amount)}, recorded by {decision.decided_by}",
    )
    return decision


def approval_token(decision: Decision) -> str:
    """Which recording of the decision an approver read: it changes whenever it is recorded again."""
    return decision.decided_at.isoformat()


def awaiting_approval(meeting: PanelMeeting, decisions: list[Decision]) -> list[Decision]:
    """The meeting's awards over the fund's sign-off limit that no second officer has approved."""
    fund = meeting.round.fund
    return [
        decision for decision in decisions if needs_signoff(decision, fund) and decision.approved_at is None
    ]


def release_problems(
    meeting: PanelMeeting, decisions: list[Decision], money: Totals | None = None
) -> list[str]:
    """What stops the meeting's decisions being released (empty when nothing does). ``money``:
    the meeting's ``totals``, when the caller has them already."""
    if not decisions:
        return ["Record at least one decision before releasing the meeting's decisions."]
    if meeting.held_on > timezone.localdate():
        return [
            f"The meeting is on {meeting.held_on:%-d %B %Y}: its decisions can be released from that day."
        ]
    fund = meeting.round.fund
    problems = []
    money = money or totals(meeting, decisions)
    if money.over:
        problems.append(
            f"The awards come to {pounds(-money.left)} more than the round has left: award less, or fewer."
        )
    problems += [
        f"The {tier.name} awards come to {pounds(tier.before + tier.here - tier.allocation)} more than the "
        "tier's allocation has left."
        for tier in money.by_tier
        if tier.over and tier.allocation is not None
    ]
    problems += [
        f"{decision.application.reference}: the award of {pounds(decision.amount)} is over the "
        f"fund's limit of {pounds(fund.signoff_limit)} and waits for a second officer's approval."
        for decision in awaiting_approval(meeting, decisions)
    ]
    for decision in decisions:
        if decision.deferred_to is not None and decision.deferred_to.is_released:
            problems.append(
                f"{decision.application.reference} is deferred to the meeting on "
                f"{decision.deferred_to.held_on:%-d %B %Y}, which has been released: choose another."
            )
    return problems


@transaction.atomic
def release(*, meeting: PanelMeeting, by: User, base_url: str) -> list[Decision]:
    """Release every decision of the meeting to the groups together, or none: the awards commit
    their money (within the round's budget and each tier's allocation) and make their offers.
    Any problem with any decision undoes the lot and says which."""
    meeting = _locked(meeting, by)
    decisions = list(
        meeting.decisions.select_related("deferred_to", "application").order_by("application__reference")
    )
    if problems := release_problems(meeting, decisions):
        raise RuleError(problems)
    problems = []
    now = timezone.now()
    # Every application first, in one order, then the round (an award locks it): an officer
    # deciding one of them alone meanwhile locks it and then the round, so neither waits for the
    # other in a circle.
    applications = {
        application.pk: application
        for application in Application.objects.select_for_update(of=("self",))
        .filter(pk__in=[decision.application_id for decision in decisions])
        .select_related("round__fund", "organisation", "tier")
        .order_by("pk")
    }
    Round.objects.select_for_update().filter(pk=meeting.round_id).first()
    before_release = awarded_in(meeting.round)
    for decision in decisions:
        application = applications[decision.application_id]
        reference = application.reference
        if application.status not in DECIDABLE:
            problems.append(
                f"{reference} is {application.get_status_display().lower()} now, so it cannot be decided: "
                "take its decision off the meeting."
            )
            continue
        if not_ready := decision_problems(application):
            problems.extend(f"{reference}: {problem}" for problem in not_ready)
            continue
        decision.released_at = now
        try:
            put_into_effect(decision, application, by=by, base_url=base_url)
        except RuleError as error:
            problems.extend(f"{reference}: {message}" for message in error.messages)
            continue
        decision.save(update_fields=["released_at"])
    if problems:
        raise RuleError(problems)  # and the transaction undoes every decision released above
    meeting.released_at, meeting.released_by = now, by
    meeting.awarded_before = {str(tier): str(amount) for tier, amount in before_release.items()}
    meeting._history_user = by  # type: ignore[attr-defined]
    meeting.save(update_fields=["released_at", "released_by", "awarded_before"])
    return decisions


# --- What the meeting's page and minutes show ------------------------------------------------------


@dataclass(frozen=True)
class TierTotal:
    name: str
    allocation: Decimal | None
    before: Decimal  # awards released in the round already
    here: Decimal  # awards at this meeting

    @property
    def over(self) -> bool:
        return self.allocation is not None and self.before + self.here > self.allocation


@dataclass
class Totals:
    budget: Decimal
    awarded_before: Decimal  # awards released in the round already
    awarded_here: Decimal
    by_tier: list[TierTotal] = field(default_factory=list)

    @property
    def left(self) -> Decimal:
        return self.budget - self.awarded_before - self.awarded_here

    @property
    def over(self) -> bool:
        return self.left < 0


def totals(meeting: PanelMeeting, decisions: list[Decision]) -> Totals:
    """The meeting's awards against the round's budget and each tier's allocation: "before" is what
    the round has awarded until now, or, once released, what it had awarded at the release."""
    round = meeting.round
    here: dict[int, Decimal] = {}
    for decision in decisions:
        if decision.outcome == Decision.Outcome.AWARD and decision.amount is not None:
            tier = decision.application.tier_id
            here[tier] = here.get(tier, Decimal(0)) + decision.amount
    if meeting.is_released:
        # As the meeting decided against them, kept at release.
        before = {int(tier): Decimal(amount) for tier, amount in meeting.awarded_before.items()}
    else:
        before = awarded_in(round)
    allocations = dict(round.allocations.values_list("tier_id", "amount"))
    tiers = round.fund.tiers.order_by("minimum_amount")
    return Totals(
        budget=round.budget,
        awarded_before=sum(before.values(), Decimal(0)),
        awarded_here=sum(here.values(), Decimal(0)),
        by_tier=[
            TierTotal(
                tier.name,
                allocations.get(tier.pk),
                before.get(tier.pk, Decimal(0)),
                here.get(tier.pk, Decimal(0)),
            )
            for tier in tiers
            if tier.pk in allocations or tier.pk in here
        ],
    )


@dataclass(frozen=True)
class AgendaItem:
    row: panel_summary.Row
    decision: Decision | None
    waiting_elsewhere: date | None = None  # the day of another meeting holding its decision


def agenda(meeting: PanelMeeting, decisions: list[Decision]) -> list[AgendaItem]:
    """Before release, the round's applications with the panel and not decided yet, ranked as the
    panel summary ranks them, each with this meeting's decision on it if it has one, or the day
    of the other meeting its decision waits at."""
    by_application = {decision.application_id: decision for decision in decisions}
    elsewhere = dict(
        Decision.objects.filter(meeting__round=meeting.round_id, released_at__isnull=True)
        .exclude(meeting=meeting)
        .values_list("application_id", "meeting__held_on")
    )
    return [
        AgendaItem(row, by_application.get(row.application.pk), elsewhere.get(row.application.pk))
        for row in panel_summary.for_round(meeting.round).rows
        if row.application.awarded is None
    ]


def conflicts(decisions: list[Decision]) -> QuerySet[Review]:
    """The conflicts of interest declared on the applications the meeting decided: each of those
    panel members left the room for that item."""
    return (
        Review.objects.filter(
            application__in=[decision.application_id for decision in decisions],
            status=Review.Status.CONFLICTED,
        )
        .select_related("reviewer", "application")
        .order_by("application__reference", "reviewer__full_name")
    )
