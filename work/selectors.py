"""What needs each person: the to-do lists of their landing page, one for each role they hold.

A ``Line`` is one kind of work: how many there are, the oldest (or the earliest due), and a link to
the list where it is done, filtered to just those. A ``Row`` is one piece of work named on its own
(a review, a group, a tranche), for the roles whose work is a handful of things.

Counts are read with one aggregate query per kind, so a page costs the same number of queries with
ten applications or ten thousand; rows are read a page at a time (``SHOWN``), with what each needs
read in bulk. What counts as each kind of work is defined where the work is done (the queue's stages,
the investments' needs, the release rules of a tranche), never again here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from assessment import selectors as assessment
from assessment.models import Review
from conversations import selectors as conversations
from fund.models import Fund, FundRole, Round
from fund.money import pounds
from investments.models import AwardCondition, GoalChange, Investment, Offer, Payment, ProgressUpdate
from investments.selectors import open_concerns
from investments.services.payment_runs import unchecked_bank_details
from investments.services.payments import ReleaseState, unmet_conditions
from kit.words import plural
from mentoring.models import Concern, Note
from reporting.models import ProxyVersion

SHOWN = 10  # rows of each list on the page; each has a link to all of them


@dataclass(frozen=True)
class Line:
    """One kind of work: e.g. '3 applications to check, the oldest sent on 2 November 2026'."""

    what: tuple[str, str]  # the work, counted: ("application to check", "applications to check")
    count: int
    url: str
    since: date | None = None  # when the oldest came in, or the earliest is due
    since_label: str = ""  # "oldest sent", "earliest due"
    late: bool = False  # the oldest is past a date it was due by
    detail: str = ""  # a word more: e.g. who is late

    @property
    def text(self) -> str:
        return plural(self.count, *self.what)


@dataclass(frozen=True)
class Row:
    """One piece of work: a link, and what to know about it."""

    text: str
    url: str
    notes: list[str] = field(default_factory=list)
    due: date | None = None
    late: bool = False


@dataclass
class Section:
    """A role's work in one fund or all of them: lines of counts, rows of things, or both."""

    heading: str
    lines: list[Line] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    rows_caption: str = ""
    due_heading: str = "Due"  # the rows' date column
    more: tuple[str, str] | None = None  # ("See all 24 reviews", url) when not every row is shown
    empty: str = "Nothing needs you here at the moment."

    @property
    def is_empty(self) -> bool:
        return not any(line.count for line in self.lines) and not self.rows


def _day(moment: datetime | date | None) -> date | None:
    if isinstance(moment, datetime):
        return timezone.localdate(moment)
    return moment


def _line(queryset: QuerySet[Any], when: str, **kwargs: Any) -> Line:
    """A line from one aggregate query: how many, and the earliest ``when``."""
    found = queryset.order_by().aggregate(count=Count("pk", distinct=True), since=Min(when))
    return Line(count=found["count"], since=_day(found["since"]), **kwargs)


# --- Fund officers ------------------------------------------------------------------------------


def officer_section(user: User, today: date) -> Section:
    applications = Application.objects.managed_by(user)
    investments = Investment.objects.managed_by(user)
    updates = ProgressUpdate.objects.filter(investment__in=investments)
    queue = reverse("assessment:queue")
    oversight = reverse("investments:investments")
    late = assessment.late_reviews(Review.objects.filter(application__in=applications), today)
    late_names = sorted(
        {
            name or email
            for name, email in late.order_by("reviewer__full_name", "reviewer__email")
            .values_list("reviewer__full_name", "reviewer__email")
            .distinct()[:SHOWN]
        }
    )
    late_count = late.count()
    waiting = _line(
        assessment.waiting_for_reviews(applications),
        "submitted_at",
        what=("application waiting for panel reviews", "applications waiting for panel reviews"),
        url=f"{queue}?stage=reviews&sort=submitted",
        since_label="oldest sent",
        late=bool(late_count),
        detail=(f"{plural(late_count, 'review')} late: {', '.join(late_names)}" if late_count else ""),
    )
    lines = [
        _line(
            applications.filter(status=Application.Status.SUBMITTED),
            "submitted_at",
            what=("application to check", "applications to check"),
            url=f"{queue}?stage=to_check&sort=submitted",
            since_label="oldest sent",
        ),
        _line(
            assessment.reviewers_to_name(applications),
            "submitted_at",
            what=("application needing panel reviewers", "applications needing panel reviewers"),
            url=f"{queue}?stage=reviewers&sort=submitted",
            since_label="oldest sent",
        ),
        waiting,
        _line(
            assessment.ready_to_decide(applications),
            "submitted_at",
            what=("application ready to decide", "applications ready to decide"),
            url=f"{queue}?stage=decide&sort=submitted",
            since_label="oldest sent",
        ),
        _line(
            updates.stories_to_approve(),
            "submitted_at",
            what=("story to approve", "stories to approve"),
            url=f"{oversight}?needs=story",
            since_label="oldest sent",
        ),
        _line(
            updates.waiting_to_be_read(),
            "submitted_at",
            what=("progress update to read", "progress updates to read"),
            url=f"{oversight}?needs=waiting",
            since_label="oldest sent",
        ),
        _line(
            updates.overdue(today),
            "due_date",
            what=("progress update overdue", "progress updates overdue"),
            url=f"{oversight}?needs=overdue",
            since_label="earliest due",
            late=True,
        ),
        _line(
            open_concerns(investments),
            "raised_at",
            what=("concern raised by a mentor", "concerns raised by mentors"),
            url=f"{oversight}?needs=concern",
            since_label="oldest raised",
        ),
        _line(
            GoalChange.objects.filter(
                investment__in=investments, investment__closed_at=None, status=GoalChange.Status.PROPOSED
            ),
            "proposed_at",
            what=("change of goals to agree", "changes of goals to agree"),
            url=f"{oversight}?needs=goals",
            since_label="oldest proposed",
        ),
        _line(
            AwardCondition.objects.filter(investment__in=investments, status=AwardCondition.Status.SENT),
            "evidence_sent_at",
            what=("condition with evidence to check", "conditions with evidence to check"),
            url=f"{oversight}?needs=condition",
            since_label="oldest sent",
        ),
        _approvals(user, applications),
        _line(
            conversations.unanswered(applications),
            "waiting_since",
            what=("message waiting for an answer", "messages waiting for an answer"),
            url=reverse("conversations:waiting"),
            since_label="oldest sent",
        ),
    ]
    return Section(heading="Fund officer", lines=lines)


def _approvals(user: User, applications: QuerySet[Application]) -> Line:
    """Awards over their fund's sign-off limit, recorded at a meeting by another officer, waiting
    for a second officer's approval before the meeting can release them."""
    waiting = (
        assessment.awards_awaiting_approval(applications)
        .exclude(decided_by=user)
        .order_by("decided_at", "pk")
    )
    first = waiting.values_list("meeting_id", flat=True).first()
    return _line(
        waiting,
        "decided_at",
        what=("award waiting for your approval", "awards waiting for your approval"),
        url=reverse("assessment:meeting", args=[first]) if first else "",
        since_label="oldest recorded",
    )


# --- Panel members ------------------------------------------------------------------------------


def panel_section(user: User, today: date) -> Section:
    to_do = Review.objects.for_reviewer(user).filter(
        status__in=assessment.OPEN_REVIEW,
        # Only for applications still being assessed: a decided one's unfinished review is moot.
        application__status=Application.Status.IN_REVIEW,
    )
    count = to_do.count()
    shown = to_do.select_related("application__organisation", "application__round").order_by(
        Coalesce("application__round__review_deadline", date.max), "assigned_at", "pk"
    )[:SHOWN]
    rows = []
    for review in shown:
        application = review.application
        due = application.round.review_deadline
        rows.append(
            Row(
                text=f"{application.reference} {application.organisation.name}",
                url=reverse("assessment:review", args=[review.pk]),
                notes=[
                    "Declare any conflict of interest first"
                    if review.status == Review.Status.ASSIGNED
                    else "Scoring started"
                ],
                due=due,
                late=due is not None and due < today,
            )
        )
    home = reverse("assessment:panel_home")
    return Section(
        heading="Panel member",
        lines=[Line(what=("review to do", "reviews to do"), count=count, url=home)],
        rows=rows,
        rows_caption="Reviews to do, the earliest due first",
        due_heading="Due by",
        more=(f"See all {plural(count, 'review')}", home) if count > len(rows) else None,
    )


# --- Mentors ------------------------------------------------------------------------------------


def mentor_section(user: User, today: date) -> Section:
    mentored = Investment.objects.mentored_by(user).filter(
        status=Investment.Status.ACTIVE, closed_at__isnull=True
    )
    count = mentored.count()
    last_note = Note.objects.filter(investment=OuterRef("pk")).order_by("-created_at").values("created_at")
    next_due = (
        ProgressUpdate.objects.filter(investment=OuterRef("pk"))
        .open()
        .order_by("due_date")
        .values("due_date")
    )
    concerns = (
        Concern.objects.filter(investment=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("investment")
        .annotate(count=Count("pk"))
        .values("count")
    )
    proposed = (
        GoalChange.objects.filter(investment=OuterRef("pk"), status=GoalChange.Status.PROPOSED)
        .order_by()
        .values("investment")
        .annotate(count=Count("pk"))
        .values("count")
    )
    shown = (
        mentored.select_related("application__organisation")
        .annotate(
            last_contact=Subquery(last_note[:1]),
            next_due=Subquery(next_due[:1]),
            concerns_open=Coalesce(Subquery(concerns), 0),
            goals_proposed=Coalesce(Subquery(proposed), 0),
        )
        # Those longest without a word first, never-contacted ones before all.
        .order_by(
            Coalesce("last_contact", datetime.min.replace(tzinfo=timezone.get_current_timezone())), "pk"
        )[:SHOWN]
    )
    rows = []
    for investment in shown:
        last = investment.last_contact
        notes = [f"Last note {timezone.localtime(last):%-d %B %Y}" if last else "No notes yet"]
        if investment.concerns_open:
            notes.append(f"{plural(investment.concerns_open, 'concern')} open")
        if investment.goals_proposed:
            notes.append(f"{plural(investment.goals_proposed, 'change')} of goals proposed")
        due = investment.next_due
        rows.append(
            Row(
                text=f"{investment.application.reference} {investment.application.organisation.name}",
                url=reverse("mentoring:investment", args=[investment.pk]),
                notes=notes,
                due=due,
                late=due is not None and due < today,
            )
        )
    home = reverse("mentoring:mentor_home")
    return Section(
        heading="Mentor",
        rows=rows,
        rows_caption="The groups you mentor, those longest without a note first",
        due_heading="Next update due",
        more=(f"See all {plural(count, 'group')} you mentor", home) if count > len(rows) else None,
        empty="You are not mentoring a group at the moment.",
    )


# --- Finance ------------------------------------------------------------------------------------


def finance_section(user: User, today: date) -> Section:
    funds = Fund.objects.with_role(user, FundRole.Role.FINANCE)
    due = Payment.objects.filter(
        investment__round__fund__in=funds,
        investment__status=Investment.Status.ACTIVE,
        due_date__lte=today,
    ).exclude(status=Payment.Status.PAID)
    line = _line(
        due,
        "due_date",
        what=("tranche due to pay", "tranches due to pay"),
        url=reverse("reporting:finance_home"),
        since_label="earliest due",
    )
    shown = list(
        due.select_related("investment__application__organisation").order_by("due_date", "pk")[:SHOWN]
    )
    states = ReleaseState.of_many(payment.investment_id for payment in shown)
    rows = []
    for payment in shown:
        held = unmet_conditions(payment, today, states[payment.investment_id])
        application = payment.investment.application
        rows.append(
            Row(
                text=f"Payment {payment.number} to {application.reference} {application.organisation.name}",
                url=reverse("investments:investment_payments", args=[payment.investment_id]),
                notes=[f"Held back: {problem}" for problem in held] or ["Ready to pay"],
                due=payment.due_date,
            )
        )
    to_review = ProxyVersion.objects.filter(
        proxy__fund__in=funds,
        needs_review=True,
        # The proxy's current version: none newer.
        number=Subquery(
            ProxyVersion.objects.filter(proxy=OuterRef("proxy")).order_by("-number").values("number")[:1]
        ),
    )
    reviewed = (
        to_review.order_by()
        .values("proxy__fund__slug", "proxy__fund__name")
        .annotate(count=Count("pk"), since=Min("created_at"))
    )
    to_check = (
        unchecked_bank_details(funds)
        .order_by()
        .values("round__fund__slug", "round__fund__name")
        .annotate(count=Count("application__organisation", distinct=True))
    )
    lines = (
        [line]
        + [
            Line(
                what=(
                    f"group's new bank details to check in {fund['round__fund__name']}",
                    f"groups' new bank details to check in {fund['round__fund__name']}",
                ),
                count=fund["count"],
                url=reverse("investments:payment_runs", args=[fund["round__fund__slug"]]),
            )
            for fund in to_check
        ]
        + [
            Line(
                what=(
                    f"financial proxy to review in {fund['proxy__fund__name']}",
                    f"financial proxies to review in {fund['proxy__fund__name']}",
                ),
                count=fund["count"],
                url=reverse("reporting:proxies", args=[fund["proxy__fund__slug"]]),
                since=_day(fund["since"]),
                since_label="oldest added",
            )
            for fund in reviewed
        ]
    )
    return Section(
        heading="Finance",
        lines=lines,
        rows=rows,
        rows_caption="Tranches due, the earliest first, with what holds each back",
        more=(f"See all {plural(line.count, 'tranche')} due", line.url) if line.count > len(rows) else None,
    )


# --- Community groups ---------------------------------------------------------------------------


def group_section(user: User, today: date) -> Section:
    mine = Application.objects.for_member(user)
    rows = []
    unread = conversations.unread_from_team(user).select_related("organisation").order_by("latest", "pk")
    for application in unread[:SHOWN]:
        rows.append(
            Row(
                text=f"New message from the fund team about {application.reference} "
                f"({application.organisation.name})",
                url=reverse("conversations:thread", args=[application.pk]),
                due=None,
                notes=[f"Sent {timezone.localtime(application.latest):%-d %B %Y}"],
            )
        )
    sent_back = mine.filter(status=Application.Status.DEFERRED).select_related("organisation")
    for application in sent_back.order_by("updated_at", "pk")[:SHOWN]:
        rows.append(
            Row(
                text=f"Answer the fund team's questions on {application.title or 'your application'} "
                f"({application.organisation.name})",
                url=reverse("applications:application_detail", args=[application.pk]),
                notes=[f"They asked: {application.information_requested}"]
                if application.information_requested
                else [],
            )
        )
    owned = Investment.objects.filter(
        application__organisation__memberships__user=user,
        application__organisation__memberships__role="owner",
    )
    offers = (
        Offer.objects.filter(
            investment__in=owned,
            status=Offer.Status.WAITING,
            respond_by__gte=today,
        )
        .select_related("investment__application__organisation")
        .order_by("respond_by", "pk")
    )
    for offer in offers[:SHOWN]:
        application = offer.investment.application
        rows.append(
            Row(
                text=f"Accept the offer of {pounds(offer.investment.amount)} for {application.title} "
                f"({application.organisation.name})",
                url=reverse("investments:offer", args=[offer.investment_id]),
                notes=["One of the group's owners accepts it. Nothing is paid until then."],
                due=offer.respond_by,
            )
        )
    # An owner's group that accepted an offer and has not given the account to pay it into.
    unpaid_groups = (
        Offer.objects.filter(investment__in=owned, status=Offer.Status.ACCEPTED)
        .exclude(investment__application__organisation__bank_details__isnull=False)
        .values_list("investment__application__organisation", "investment__application__organisation__name")
        .distinct()
        .order_by("investment__application__organisation__name")
    )
    for organisation_id, name in unpaid_groups[:SHOWN]:
        rows.append(
            Row(
                text=f"Give {name}'s bank details, so the fund can pay",
                url=reverse("organisations:bank_details", args=[organisation_id]),
                notes=["The fund checks them with you by phone or letter before the first payment."],
            )
        )
    to_meet = (
        AwardCondition.objects.filter(
            investment__in=Investment.objects.for_member(user).filter(status=Investment.Status.ACTIVE),
            status=AwardCondition.Status.OPEN,
        )
        .select_related("payment", "investment__application__organisation")
        .order_by("payment__due_date", "pk")
    )
    for condition in to_meet[:SHOWN]:
        group = condition.investment.application.organisation.name
        notes = [f"It holds back payment {condition.payment.number}"]
        if condition.asked_again:
            notes.append(f"The fund team asked for more: {condition.asked_again}")
        rows.append(
            Row(
                text=f"Show that {group} meets the condition: {condition.text}",
                url=reverse("investments:send_evidence", args=[condition.investment_id, condition.pk]),
                notes=notes,
                due=condition.payment.due_date,
            )
        )
    drafts = mine.filter(status=Application.Status.DRAFT, round__in=Round.objects.open()).select_related(
        "organisation", "round"
    )
    for application in drafts.order_by("round__closes_at", "pk")[:SHOWN]:
        closes = timezone.localtime(application.round.closes_at)
        title = application.title or "your application"
        rows.append(
            Row(
                text=f"Finish and send {title} ({application.organisation.name})",
                url=reverse("applications:application_detail", args=[application.pk]),
                notes=[f"{application.round.name} closes at {closes:%H:%M} on {closes:%-d %B %Y}"],
                due=closes.date(),
            )
        )
    next_due = (
        ProgressUpdate.objects.filter(investment=OuterRef("pk"))
        .open()
        .order_by("due_date")
        .values("due_date", "number")
    )
    running = (
        Investment.objects.for_member(user)
        .filter(status=Investment.Status.ACTIVE, closed_at__isnull=True)
        .select_related("application__organisation")
        .annotate(
            next_due=Subquery(next_due.values("due_date")[:1]),
            next_number=Subquery(next_due.values("number")[:1]),
        )
        .filter(next_due__isnull=False)
    )
    for investment in running.order_by("next_due", "pk")[:SHOWN]:
        group = investment.application.organisation.name
        rows.append(
            Row(
                text=f"Progress update {investment.next_number} for {group}",
                # The investment's page offers the update once its window opens.
                url=reverse("investments:investment", args=[investment.pk]),
                due=investment.next_due,
                late=investment.next_due < today,
            )
        )
    return Section(
        heading="Your groups",
        rows=rows,
        rows_caption="What your groups need to do",
        more=("Your applications, and the rounds open now", reverse("applications:applicant_home")),
        empty="Nothing needs your groups at the moment.",
    )


# --- Everyone -----------------------------------------------------------------------------------

SECTIONS = {
    FundRole.Role.OFFICER: officer_section,
    FundRole.Role.PANEL: panel_section,
    FundRole.Role.MENTOR: mentor_section,
    FundRole.Role.FINANCE: finance_section,
}


def sections_for(user: User, roles: set[str], in_a_group: bool, today: date | None = None) -> list[Section]:
    """The person's work in every role they hold, in the order of the roles, then their groups'."""
    today = today or timezone.localdate()
    found = [build(user, today) for role, build in SECTIONS.items() if role in roles]
    if in_a_group:
        found.append(group_section(user, today))
    return found
