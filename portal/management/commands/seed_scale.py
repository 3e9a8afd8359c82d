"""A fund at a county's scale, for load tests and for trying the portal with a lot of data.

10,000 applications over five rounds in every state (drafts, sent, being assessed, sent back,
decided), panel reviews and scores, 2,000 investments with their payments, updates, mentors and
100,000 valued outcome records, and about 186,000 audit copies spread over the last year, so the
log of a month holds about 15,000 of them. Everything is written with bulk inserts, the audit
copies included (each with the person and the time of its change), so it takes a minute or two.

The fund is "Scale Fund" (``scale``); if it is there already the command does nothing. Every
person it makes signs in with ``SCALE_PASSWORD``: ``officer1@scale.example`` (to 5),
``finance1`` (to 3), ``panel1`` (to 10), ``mentor1`` (to 6) and ``member1`` (to 2,000, one for
each group). The data is made up and repeatable (a fixed random seed).
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from applications.models import Application, Goal, MatchFunding
from assessment.models import Decision, Review, Score
from fund.models import Criterion, Fund, FundRole, Place, Round, Theme, Tier
from fund.presets import DEAL_FOR_COMMUNITIES_TIERS
from investments.models import Investment, Payment, PaymentEntry, ProgressUpdate
from mentoring.models import Assignment, MentorProfile
from organisations.models import Membership, Organisation
from reporting.models import OutcomeRecord
from reporting.starter import load_starter_proxies

SLUG = "scale"
SCALE_PASSWORD = "scale-password-2026"
EMAIL_DOMAIN = "scale.example"

GROUPS = 2_000  # each applies once in each of the five rounds: 10,000 applications
INVESTMENTS = 2_000
OUTCOMES = 100_000
STAFF = {
    FundRole.Role.OFFICER: ("officer", 5),
    FundRole.Role.FINANCE: ("finance", 3),
    FundRole.Role.PANEL: ("panel", 10),
    FundRole.Role.MENTOR: ("mentor", 6),
}
# The four closed yearly rounds (their investments are what the social value figures add up).
YEARS = (2023, 2024, 2025, 2026)
CRITERIA = [
    ("Difference for local people", 3),
    ("Community involvement", 2),
    ("Becoming self-sustaining", 2),
]

S = Application.Status
# What became of each round's 2,000 applications, in order. Every yearly round awarded 500.
CLOSED_ROUND = [(S.AWARDED, 500), (S.DECLINED, 900), (S.INELIGIBLE, 300), (S.WITHDRAWN, 200), (S.DRAFT, 100)]
LATEST_YEARLY_ROUND = [
    (S.AWARDED, 500),
    (S.DECLINED, 500),
    (S.IN_REVIEW, 300),
    (S.ELIGIBLE, 300),
    (S.DEFERRED, 200),
    (S.INELIGIBLE, 100),
    (S.WITHDRAWN, 100),
]
OPEN_ROUND = [(S.SUBMITTED, 800), (S.IN_REVIEW, 400), (S.DEFERRED, 200), (S.DRAFT, 600)]
# Panel tiers' applications in these states have reviews; a declined one was scored by the panel
# one time in twenty (the rest were declined by an officer on the small tier's route or at a glance).
REVIEWED = {S.AWARDED, S.IN_REVIEW, S.DEFERRED}


@dataclass
class Clock:
    """Times for audit copies, spread evenly over the last year: an object's changes are times
    drawn at random in it, taken in order."""

    rng: random.Random
    now: datetime

    def times(self, count: int) -> list[datetime]:
        return sorted(self.start() for _ in range(count))

    def start(self) -> datetime:
        return self.now - timedelta(seconds=self.rng.randrange(365 * 24 * 3600))

    def before(self, moment: datetime, most_days: int) -> datetime:
        return moment - timedelta(seconds=self.rng.randrange(1, most_days * 24 * 3600))

    def between(self, earlier: datetime, later: datetime) -> datetime:
        return earlier + (later - earlier) * self.rng.random()


def _copy(obj: models.Model, when: datetime, who: User | None, **changes: Any) -> models.Model:
    """The object as it stood at ``when`` (with ``changes``), for its audit copy."""
    state = copy.copy(obj)
    for name, value in changes.items():
        setattr(state, name, value)
    state._history_date = when  # type: ignore[attr-defined]  # read by simple_history
    state._history_user = who  # type: ignore[attr-defined]
    return state


def _history(model: type[models.Model], states: list[models.Model], *, update: bool) -> int:
    model.history.bulk_history_create(states, batch_size=5_000, update=update)  # type: ignore[attr-defined]
    return len(states)


class Command(BaseCommand):
    help = "Make a fund at a county's scale (10,000 applications, 100,000 outcome records). Once only."

    def handle(self, *args: Any, **options: Any) -> None:
        if Fund.objects.filter(slug=SLUG).exists():
            self.stdout.write("The scale fund is there already: nothing to do.")
            return
        start = time.perf_counter()
        with transaction.atomic():
            counts = build()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"Made the scale fund in {time.perf_counter() - start:.0f} s: "
            + ", ".join(f"{count:,} {what}" for what, count in counts.items())
        )


def build() -> dict[str, int]:
    rng = random.Random(2026)  # noqa: S311 - repeatable made-up data, not secrets
    clock = Clock(rng, timezone.now())
    history = 0

    fund = Fund.objects.create(
        name="Scale Fund",
        slug=SLUG,
        council_name="Scale Council",
        org_identifier="GB-LAE-SCL",
        grant_prefix="360G-scale",
        reference_prefix="SCL",
    )
    tiers = [Tier.objects.create(fund=fund, **values) for values in DEAL_FOR_COMMUNITIES_TIERS]
    places = [Place.objects.create(fund=fund, name=f"Place {n}") for n in range(1, 8)]
    themes = [Theme.objects.create(fund=fund, name=f"Theme {n}") for n in range(1, 8)]
    rounds = [
        Round.objects.create(
            fund=fund,
            name=f"Round {year}",
            opens_at=f"{year}-04-01T09:00Z",
            closes_at=f"{year}-06-30T17:00Z",
            budget=Decimal("5000000"),
            status=Round.Status.PUBLISHED,
        )
        for year in YEARS
    ]
    rounds.append(
        Round.objects.create(
            fund=fund,
            name="Open round",
            opens_at=clock.now - timedelta(days=60),
            closes_at=clock.now + timedelta(days=60),
            budget=Decimal("5000000"),
            status=Round.Status.PUBLISHED,
        )
    )
    criteria = {
        round_.pk: Criterion.objects.bulk_create(
            Criterion(round=round_, title=title, weight=Decimal(weight), scale_max=5, position=n)
            for n, (title, weight) in enumerate(CRITERIA)
        )
        for round_ in rounds
    }

    # People: one password hash for all, so a developer can sign in as anyone.
    password = make_password(SCALE_PASSWORD)
    staff: dict[str, list[User]] = {}
    for role, (word, count) in STAFF.items():
        staff[role] = User.objects.bulk_create(
            User(email=f"{word}{n}@{EMAIL_DOMAIN}", full_name=f"{word.title()} {n}", password=password)
            for n in range(1, count + 1)
        )
        FundRole.objects.bulk_create(FundRole(user=user, fund=fund, role=role) for user in staff[role])
    officers, finance, panel, mentors = (staff[role] for role in STAFF)
    MentorProfile.objects.bulk_create(MentorProfile(user=mentor, capacity=50) for mentor in mentors)
    members = User.objects.bulk_create(
        (
            User(email=f"member{n}@{EMAIL_DOMAIN}", full_name=f"Member {n}", password=password)
            for n in range(1, GROUPS + 1)
        ),
        batch_size=2_000,
    )
    everyone = [user for users in staff.values() for user in users] + members
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in everyone),
        batch_size=2_000,
    )

    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Group {n}",
            legal_form=Organisation.LegalForm.CIO,
            address_line_1="1 High Street",
            town="Wigan",
            postcode="WN1 1AA",
            contact_name=f"Member {n}",
            contact_email=f"member{n}@{EMAIL_DOMAIN}",
        )
        for n in range(1, GROUPS + 1)
    )
    Membership.objects.bulk_create(
        Membership(organisation=organisation, user=member, role=Membership.Role.OWNER)
        for organisation, member in zip(organisations, members, strict=True)
    )

    # Applications: each round has one from every group, in the states its plan says.
    plans = [CLOSED_ROUND] * 3 + [LATEST_YEARLY_ROUND, OPEN_ROUND]
    year_of = {round_.pk: year for round_, year in zip(rounds, YEARS, strict=False)}
    new: list[Application] = []
    for r, (round_, plan) in enumerate(zip(rounds, plans, strict=True)):
        statuses = [status for status, count in plan for _ in range(count)]
        for n, (organisation, status) in enumerate(zip(organisations, statuses, strict=True)):
            amount = Decimal(rng.choice(["1500", "1950", "6000", "9500", "25000", "60000"]))
            is_sent = status != S.DRAFT
            new.append(
                Application(
                    organisation=organisation,
                    round=round_,
                    tier=next(t for t in tiers if t.maximum_amount is None or amount <= t.maximum_amount),
                    amount_requested=amount,
                    status=status,
                    reference=f"SCL-{r + 1}-{n + 1:05d}" if is_sent else None,
                    title=f"Project {r + 1}-{n + 1}",
                    summary="Weekly sessions for people who would otherwise be alone.",
                    information_requested="Please send your latest accounts." if status == S.DEFERRED else "",
                    withdrawn_at=clock.now if status == S.WITHDRAWN else None,
                )
            )
    applications = Application.objects.bulk_create(new, batch_size=2_000)
    member_of = dict(zip((o.pk for o in organisations), members, strict=True))
    # The audit trail: started as a draft, sent, then whatever became of it.
    started: list[models.Model] = []
    sent: list[models.Model] = []
    moved: list[models.Model] = []
    last_change: dict[int, datetime] = {}
    for application in applications:
        who = member_of[application.organisation_id]
        if application.status == S.DRAFT:
            began = latest = clock.start()
        elif application.status == S.SUBMITTED:
            began, latest = clock.times(2)
            sent_at = latest
        else:
            began, sent_at, latest = clock.times(3)
        last_change[application.pk] = latest
        started.append(
            _copy(
                application, began, who, status=S.DRAFT, reference=None, withdrawn_at=None, submitted_at=None
            )
        )
        if application.status == S.DRAFT:
            continue
        application.submitted_at = sent_at
        sent.append(_copy(application, sent_at, who, status=S.SUBMITTED, withdrawn_at=None))
        if application.status == S.WITHDRAWN:
            application.withdrawn_at = latest
        if application.status != S.SUBMITTED:
            by = who if application.status == S.WITHDRAWN else rng.choice(officers)
            moved.append(_copy(application, latest, by))
    Application.objects.bulk_update(
        [a for a in applications if a.submitted_at], ["submitted_at", "withdrawn_at"], batch_size=2_000
    )
    history += _history(Application, started, update=False)
    history += _history(Application, sent + moved, update=True)
    Application.places.through.objects.bulk_create(
        (
            Application.places.through(application_id=application.pk, place_id=rng.choice(places).pk)
            for application in applications
        ),
        batch_size=5_000,
    )
    goals = Goal.objects.bulk_create(
        (Goal(application=application, description="Fewer people alone") for application in applications),
        batch_size=5_000,
    )
    Goal.themes.through.objects.bulk_create(
        (Goal.themes.through(goal_id=goal.pk, theme_id=rng.choice(themes).pk) for goal in goals),
        batch_size=5_000,
    )
    MatchFunding.objects.bulk_create(
        MatchFunding(application=application, source="Trust", amount=application.amount_requested / 2)
        for application in applications[::3]
    )

    tier_of = {tier.pk: tier for tier in tiers}

    # Reviews and scores by the panel, for the panel tiers' applications that reached it.
    reviews: list[Review] = []
    for application in applications:
        tier = tier_of[application.tier_id]
        reviewed = application.status in REVIEWED or (
            application.status == S.DECLINED and rng.random() < 1 / 20
        )
        if tier.decision_route != Tier.DecisionRoute.PANEL or not reviewed:
            continue
        for k, reviewer in enumerate(rng.sample(panel, tier.reviewers_needed)):
            # Being assessed: the first reviewer has sent scores, the second is scoring, a third not yet.
            review_status = (
                [Review.Status.SUBMITTED, Review.Status.IN_PROGRESS, Review.Status.ASSIGNED][k]
                if application.status == S.IN_REVIEW
                else Review.Status.SUBMITTED
            )
            reviews.append(
                Review(
                    application=application,
                    reviewer=reviewer,
                    status=review_status,
                    recommendation=(
                        Review.Recommendation.DO_NOT_FUND
                        if application.status == S.DECLINED
                        else Review.Recommendation.FUND
                    )
                    if review_status == Review.Status.SUBMITTED
                    else "",
                    declared_at=clock.now if review_status != Review.Status.ASSIGNED else None,
                    submitted_at=clock.now if review_status == Review.Status.SUBMITTED else None,
                )
            )
    reviews = Review.objects.bulk_create(reviews, batch_size=5_000)
    application_of = {application.pk: application for application in applications}
    blank, scored, new_scores = [], [], []
    for review in reviews:
        application = application_of[review.application_id]
        for n, criterion in enumerate(criteria[application.round_id]):
            done = review.status == Review.Status.SUBMITTED or (
                review.status == Review.Status.IN_PROGRESS and n == 0
            )
            score = Score(review=review, criterion=criterion, score=rng.randrange(1, 6) if done else None)
            new_scores.append(score)
    new_scores = Score.objects.bulk_create(new_scores, batch_size=5_000)
    review_of = {review.pk: review for review in reviews}
    for score in new_scores:
        review = review_of[score.review_id]
        application = application_of[review.application_id]
        assert application.submitted_at is not None
        scored_at = clock.between(application.submitted_at, last_change[application.pk])
        blank.append(_copy(score, clock.between(application.submitted_at, scored_at), None, score=None))
        if score.score is not None:
            scored.append(_copy(score, scored_at, review.reviewer))
    history += _history(Score, blank, update=False)
    history += _history(Score, scored, update=True)

    # Decisions.
    outcome_of: dict[str, Decision.Outcome] = {
        S.AWARDED: Decision.Outcome.AWARD,
        S.DECLINED: Decision.Outcome.DECLINE,
        S.DEFERRED: Decision.Outcome.DEFER,
    }
    decisions = Decision.objects.bulk_create(
        (
            Decision(
                application=application,
                outcome=outcome_of[application.status],
                amount=application.amount_requested if application.status == S.AWARDED else None,
                reason="As the panel recommended.",
                decided_by=rng.choice(officers),
                decided_at=clock.now,
            )
            for application in applications
            if application.status in outcome_of
        ),
        batch_size=5_000,
    )
    decided_at = {}
    states = []
    for decision in decisions:
        application = application_of[decision.application_id]
        decided_at[application.pk] = when = last_change[application.pk]
        states.append(_copy(decision, when, decision.decided_by, decided_at=when, released_at=when))
        decision.decided_at = decision.released_at = when  # each decided by an officer alone
    Decision.objects.bulk_update(decisions, ["decided_at", "released_at"], batch_size=5_000)
    history += _history(Decision, states, update=False)

    # Investments, their payments, updates and mentors.
    awarded = [application for application in applications if application.status == S.AWARDED]
    investments = Investment.objects.bulk_create(
        Investment(
            application=application,
            round_id=application.round_id,
            tier_id=application.tier_id,
            amount=application.amount_requested,
            start_date=date(year_of[application.round_id], 7, 1) + timedelta(days=rng.randrange(200)),
            status=Investment.Status.COMPLETED if n % 4 == 0 else Investment.Status.ACTIVE,
            outcome=Investment.Outcome.SELF_SUSTAINING if n % 8 == 0 else "",
            mentor_required=tier_of[application.tier_id].mentor_policy == Tier.MentorPolicy.REQUIRED,
        )
        for n, application in enumerate(awarded)
    )
    history += _history(
        Investment,
        [_copy(i, decided_at[i.application_id], rng.choice(officers)) for i in investments],
        update=False,
    )
    payments = []
    for investment in investments:
        tier = tier_of[investment.tier_id]
        tranches = tier.payment_tranches
        share = (investment.amount / tranches).quantize(Decimal("0.01"))
        for number in range(1, tranches + 1):
            due = investment.start_date + timedelta(days=30 * tier.payment_interval_months * (number - 1))
            paid = investment.status == Investment.Status.COMPLETED or due <= clock.now.date()
            payments.append(
                Payment(
                    investment=investment,
                    number=number,
                    due_date=due,
                    amount=share if number < tranches else investment.amount - share * (tranches - 1),
                    status=Payment.Status.PAID if paid else Payment.Status.SCHEDULED,
                )
            )
    payments = Payment.objects.bulk_create(payments, batch_size=5_000)
    investment_of = {investment.pk: investment for investment in investments}
    made, settled, entries = [], [], []
    for payment in payments:
        investment = investment_of[payment.investment_id]
        when = decided_at[investment.application_id]
        if payment.status == Payment.Status.PAID:
            who = rng.choice(finance)
            paid_at = clock.start()
            when = min(when, clock.before(paid_at, 30))
            settled.append(_copy(payment, paid_at, who))
            entries.append(
                PaymentEntry(
                    payment=payment,
                    amount=payment.amount,
                    paid_on=paid_at.date(),
                    reference=f"BACS-{payment.pk}",
                    recorded_by=who,
                    recorded_at=paid_at,
                )
            )
        made.append(_copy(payment, when, rng.choice(officers), status=Payment.Status.SCHEDULED))
    history += _history(Payment, made, update=False)
    history += _history(Payment, settled, update=True)
    entries = PaymentEntry.objects.bulk_create(entries, batch_size=5_000)
    history += _history(
        PaymentEntry, [_copy(entry, entry.recorded_at, entry.recorded_by) for entry in entries], update=False
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(investment=investment, mentor=mentors[n % len(mentors)], assigned_by=rng.choice(officers))
        for n, investment in enumerate(i for i in investments if i.mentor_required)
    )
    history += _history(
        Assignment,
        [
            _copy(a, clock.between(decided, min(decided + timedelta(days=30), clock.now)), a.assigned_by)
            for a in assignments
            for decided in [decided_at[investment_of[a.investment_id].application_id]]
        ],
        update=False,
    )
    updates = []
    for investment in investments:
        story = investment.pk % 50 == 0
        updates.append(
            ProgressUpdate(
                investment=investment,
                number=1,
                due_date=investment.start_date + timedelta(days=180),
                status=ProgressUpdate.Status.SUBMITTED,
                people_reached=rng.randrange(5, 200),
                volunteer_hours=Decimal(rng.randrange(0, 500)),
                story="A story of someone the group helped." if story else "",
                story_consent=story,
                submitted_at=f"{investment.start_date + timedelta(days=170)}T12:00Z",
                # Approved by an officer, so the board pack has stories to print.
                story_approved_at=f"{investment.start_date + timedelta(days=175)}T12:00Z" if story else None,
            )
        )
        if investment.status == Investment.Status.ACTIVE:
            updates.append(
                ProgressUpdate(
                    investment=investment, number=2, due_date=investment.start_date + timedelta(days=360)
                )
            )
    ProgressUpdate.objects.bulk_create(updates, batch_size=5_000)

    # Outcome records, valued by finance through the year.
    load_starter_proxies(fund=fund)
    proxies = list(fund.proxies.all())
    records = []
    for n in range(OUTCOMES):
        investment = investments[n % INVESTMENTS]
        override = n % 10 == 0
        records.append(
            OutcomeRecord(
                investment=investment,
                proxy=rng.choice(proxies),
                quantity=Decimal(rng.randrange(1, 40)),
                period_start=investment.start_date,
                period_end=investment.start_date + timedelta(days=364),
                evidence="Sign-in sheets",
                deadweight=Decimal(rng.choice(["0.10", "0.20", "0.30"])) if override else None,
                override_reason="Local evidence" if override else "",
                recorded_by=rng.choice(finance),
            )
        )
    records = OutcomeRecord.objects.bulk_create(records, batch_size=5_000)
    history += _history(
        OutcomeRecord, [_copy(record, clock.start(), record.recorded_by) for record in records], update=False
    )
    history += len(proxies)  # load_starter_proxies saved each, with its copy
    return {
        "applications": len(applications),
        "reviews": len(reviews),
        "investments": len(investments),
        "payments": len(payments),
        "outcome records": len(records),
        "audit copies": history,
    }
