"""Everyone lands on what needs them: each role's work counted, the oldest first, each line a link
to where it is done, and the same queries for ten things or a thousand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from assessment.models import Review
from conversations.models import Message
from fund.models import FundRole, Tier
from investments.models import GoalChange, Investment, Payment, ProgressUpdate
from mentoring.models import Assignment, Concern, Note
from organisations.models import Membership
from tests.factories import (
    ApplicationFactory,
    ConcernFactory,
    GoalChangeFactory,
    InvestmentFactory,
    NoteFactory,
    OrganisationFactory,
    PaymentFactory,
    ProgressUpdateFactory,
    ReviewFactory,
    RoundFactory,
    UserFactory,
    financial_proxy,
    fund_with_tiers,
    staff,
    submitted_application,
)

pytestmark = pytest.mark.django_db

HOME = "/home/"


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("work:home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def fund():
    return fund_with_tiers()


@pytest.fixture
def round(fund):
    return RoundFactory(fund=fund, budget=Decimal("10000000.00"))


def _sent(**kwargs) -> Application:
    """An application the group has sent, at the stage ``status`` says."""
    kwargs.setdefault("submitted_at", timezone.now())
    return ApplicationFactory(**kwargs)


def _tier(fund, route):
    return Tier.objects.filter(fund=fund, decision_route=route).order_by("minimum_amount").first()


def test_the_home_address_is_the_landing_page_after_signing_in():
    assert reverse("work:home") == HOME


def test_someone_new_is_shown_how_to_start(client):
    html = _page(client, UserFactory())
    assert "Nothing needs you yet" in html
    assert reverse("organisations:organisation_create") in html


def test_an_officer_sees_each_kind_of_work_counted_with_the_oldest_and_a_link(client, fund, round):
    officer = staff(FundRole.Role.OFFICER, fund)
    panel = _tier(fund, Tier.DecisionRoute.PANEL)
    reviewer = staff(FundRole.Role.PANEL, fund, full_name="Priya Panel")
    now = timezone.now()
    # Two sent and not yet checked, the older sent on 2 November 2026.
    for days in (3, 30):
        _sent(
            round=round,
            status=Application.Status.SUBMITTED,
            reference=f"S-{days}",
            submitted_at=now - timedelta(days=days),
        )
    # Eligible for a panel, nobody asked yet.
    _sent(round=round, tier=panel, amount_requested=panel.minimum_amount, status=Application.Status.ELIGIBLE)
    # Being reviewed, a review still to come, late: the round's deadline has passed.
    round.review_deadline = timezone.localdate() - timedelta(days=1)
    round.save()
    waiting = _sent(
        round=round, tier=panel, amount_requested=panel.minimum_amount, status=Application.Status.IN_REVIEW
    )
    ReviewFactory(application=waiting, reviewer=reviewer, status=Review.Status.IN_PROGRESS)
    # Every review in: ready to decide; and one an officer decides alone.
    ready = _sent(
        round=round, tier=panel, amount_requested=panel.minimum_amount, status=Application.Status.IN_REVIEW
    )
    for _ in range(panel.reviewers_needed):
        ReviewFactory(
            application=ready, reviewer=staff(FundRole.Role.PANEL, fund), status=Review.Status.SUBMITTED
        )
    _sent(round=round, status=Application.Status.ELIGIBLE)
    # An investment with an update to read whose story waits for approval, one overdue, a concern.
    investment = InvestmentFactory(application=_sent(round=round, status=Application.Status.AWARDED))
    ProgressUpdateFactory(
        investment=investment,
        number=1,
        status=ProgressUpdate.Status.SUBMITTED,
        submitted_at=now,
        story="Rita came every week.",
        story_consent=True,
    )
    ProgressUpdateFactory(investment=investment, number=2, due_date=timezone.localdate() - timedelta(days=60))
    ConcernFactory(investment=investment)
    GoalChangeFactory(investment=investment)
    # Another fund's work is not this officer's.
    submitted_application()

    html = _page(client, officer)
    oldest = timezone.localdate(now - timedelta(days=30))
    assert "2 applications to check" in html
    assert f"Oldest sent {oldest:%-d %B %Y}" in html
    # The eligible one, and the one being reviewed by one panel member where more are needed.
    assert "2 applications needing panel reviewers" in html
    assert "1 application waiting for panel reviews" in html
    assert "1 review late: Priya Panel" in html
    assert "2 applications ready to decide" in html
    assert "1 story to approve" in html
    assert "1 progress update to read" in html
    assert "1 progress update overdue" in html
    assert "1 concern raised by a mentor" in html
    assert "1 change of goals to agree" in html
    queue = reverse("assessment:queue")
    for stage in ("to_check", "reviewers", "reviews", "decide"):
        assert f"{queue}?stage={stage}&amp;sort=submitted" in html
    for need in ("story", "waiting", "overdue", "concern", "goals"):
        assert f"{reverse('investments:investments')}?needs={need}" in html


def test_each_line_leads_to_a_list_of_exactly_that_work(client, fund, round):
    officer = staff(FundRole.Role.OFFICER, fund)
    panel = _tier(fund, Tier.DecisionRoute.PANEL)
    checked = _sent(
        round=round, status=Application.Status.SUBMITTED, reference="TO-CHECK", submitted_at=timezone.now()
    )
    named = _sent(
        round=round,
        tier=panel,
        amount_requested=panel.minimum_amount,
        status=Application.Status.ELIGIBLE,
        reference="TO-NAME",
        submitted_at=timezone.now(),
    )
    # Everyone asked declared a conflict: reviewers are to be named again.
    conflicted = _sent(
        round=round,
        tier=panel,
        amount_requested=panel.minimum_amount,
        status=Application.Status.IN_REVIEW,
        reference="CONFLICTED",
        submitted_at=timezone.now(),
    )
    ReviewFactory(
        application=conflicted, reviewer=staff(FundRole.Role.PANEL, fund), status=Review.Status.CONFLICTED
    )
    client.force_login(officer)
    queue = reverse("assessment:queue")

    def listed(stage):
        return client.get(f"{queue}?stage={stage}").content.decode()

    assert "TO-CHECK" in listed("to_check") and "TO-NAME" not in listed("to_check")
    assert "TO-NAME" in listed("reviewers") and "CONFLICTED" in listed("reviewers")
    assert "TO-CHECK" not in listed("reviewers")
    assert "CONFLICTED" not in listed("reviews") and "CONFLICTED" not in listed("decide")
    assert checked.pk and named.pk


def test_a_panel_member_sees_their_reviews_the_earliest_due_first_and_which_are_late(client, fund, round):
    member = staff(FundRole.Role.PANEL, fund)
    panel = _tier(fund, Tier.DecisionRoute.PANEL)
    later = RoundFactory(
        fund=fund,
        review_deadline=timezone.localdate() + timedelta(days=60),
        closes_at=timezone.now() + timedelta(days=30),
    )
    round.review_deadline = timezone.localdate() - timedelta(days=2)
    round.save()
    for round_, reference in ((later, "LATER-1"), (round, "LATE-1")):
        ReviewFactory(
            reviewer=member,
            application=_sent(
                round=round_,
                tier=panel,
                amount_requested=panel.minimum_amount,
                status=Application.Status.IN_REVIEW,
                reference=reference,
            ),
        )
    # Not theirs to do: a conflict declared, a review sent, a decided application.
    ReviewFactory(
        reviewer=member,
        status=Review.Status.CONFLICTED,
        application=_sent(round=round, status=Application.Status.IN_REVIEW, reference="CONFLICT-1"),
    )
    ReviewFactory(
        reviewer=member,
        status=Review.Status.SUBMITTED,
        application=_sent(round=round, status=Application.Status.IN_REVIEW, reference="DONE-1"),
    )
    ReviewFactory(
        reviewer=member,
        application=_sent(round=round, status=Application.Status.DECLINED, reference="DECIDED-1"),
    )
    html = _page(client, member)
    assert "2 reviews to do" in html
    assert html.index("LATE-1") < html.index("LATER-1")
    assert "Late" in html.split("LATE-1")[1].split("LATER-1")[0]
    assert "Declare any conflict of interest first" in html
    for other in ("CONFLICT-1", "DONE-1", "DECIDED-1"):
        assert other not in html


def test_a_mentor_sees_each_group_with_its_last_note_next_update_and_concerns(client, fund, round):
    mentor = staff(FundRole.Role.MENTOR, fund)
    officer = staff(FundRole.Role.OFFICER, fund)
    quiet = InvestmentFactory(
        application=_sent(round=round, status=Application.Status.AWARDED, reference="QUIET-1")
    )
    seen = InvestmentFactory(
        application=_sent(round=round, status=Application.Status.AWARDED, reference="SEEN-1")
    )
    for investment in (quiet, seen):
        Assignment.objects.create(investment=investment, mentor=mentor, assigned_by=officer)
    NoteFactory(investment=seen, author=mentor)
    ProgressUpdateFactory(investment=seen, number=1, due_date=timezone.localdate() + timedelta(days=20))
    ConcernFactory(investment=seen, raised_by=mentor)
    # Mentored by someone else.
    other = InvestmentFactory(
        application=_sent(round=round, status=Application.Status.AWARDED, reference="OTHER-1")
    )
    Assignment.objects.create(investment=other, mentor=staff(FundRole.Role.MENTOR, fund), assigned_by=officer)
    html = _page(client, mentor)
    # Never contacted first.
    assert html.index("QUIET-1") < html.index("SEEN-1")
    assert "No notes yet" in html
    assert f"Last note {timezone.localdate():%-d %B %Y}" in html
    assert "1 concern open" in html
    assert f"{timezone.localdate() + timedelta(days=20):%-d %B %Y}" in html
    assert "OTHER-1" not in html


def test_finance_sees_tranches_due_with_what_holds_each_back_and_proxies_to_review(client, fund, round):
    finance = staff(FundRole.Role.FINANCE, fund)
    investment = InvestmentFactory(
        application=_sent(round=round, status=Application.Status.AWARDED, reference="PAY-1")
    )
    PaymentFactory(
        investment=investment,
        number=1,
        due_date=timezone.localdate() - timedelta(days=5),
        release_conditions=[Payment.Condition.MENTOR_ASSIGNED],
    )
    PaymentFactory(investment=investment, number=2, due_date=timezone.localdate() + timedelta(days=90))
    financial_proxy(fund, needs_review=True)
    financial_proxy(fund, name="Checked already", needs_review=False)
    html = _page(client, finance)
    assert "1 tranche due to pay" in html
    assert "Payment 1 to PAY-1" in html and "Payment 2" not in html
    assert "Held back:" in html and "mentor" in html.split("Held back:")[1].split("</td>")[0]
    assert "1 financial proxy to review in" in html
    assert reverse("reporting:proxies", args=[fund.slug]) in html


def test_a_group_member_sees_what_was_asked_drafts_to_finish_and_the_next_update(client, fund, round):
    member = UserFactory()
    group = OrganisationFactory(members=[member])
    _sent(
        round=round,
        organisation=group,
        status=Application.Status.DEFERRED,
        title="Warm Wednesdays",
        information_requested="Please send the quote for the hall.",
    )
    ApplicationFactory(round=round, organisation=group, title="Men's shed")
    investment = InvestmentFactory(
        application=_sent(round=round, organisation=group, status=Application.Status.AWARDED)
    )
    ProgressUpdateFactory(investment=investment, number=1, due_date=timezone.localdate() + timedelta(days=10))
    # Another group's work is not theirs.
    _sent(
        round=round,
        status=Application.Status.DEFERRED,
        title="Someone else's",
        information_requested="Secret",
    )
    html = _page(client, member)
    assert "Answer the fund team&#x27;s questions on Warm Wednesdays" in html
    assert "They asked: Please send the quote for the hall." in html
    assert "Finish and send Men&#x27;s shed" in html
    assert "Progress update 1 for" in html
    assert reverse("investments:investment", args=[investment.pk]) in html
    assert "Someone else" not in html and "Secret" not in html


def test_a_person_with_several_roles_sees_each_of_them(client, fund):
    person = staff(FundRole.Role.OFFICER, fund)
    Membership.objects.create(organisation=OrganisationFactory(), user=person, role=Membership.Role.OWNER)
    for role in (FundRole.Role.PANEL, FundRole.Role.MENTOR, FundRole.Role.FINANCE):
        FundRole.objects.create(user=person, fund=fund, role=role)
    html = _page(client, person)
    for heading in ("Fund officer", "Panel member", "Mentor", "Finance", "Your groups"):
        assert f">{heading}</h2>" in html


# --- The same queries for ten things or a thousand -----------------------------------------------


@pytest.fixture
def world(fund, round):
    people = {role: staff(role, fund) for role in FundRole.Role.values}
    people["panel2"] = staff(FundRole.Role.PANEL, fund)
    people["panel3"] = staff(FundRole.Role.PANEL, fund)
    member = UserFactory()
    group = OrganisationFactory(members=[member])
    people["group member"] = member
    return fund, round, group, people


def _fill(world, count: int, start: int) -> None:
    """``count`` pieces of work of every kind, made in bulk: applications at every stage, and
    investments with updates to read and overdue, concerns, tranches due, notes and drafts."""
    fund, round, group, people = world
    small = _tier(fund, Tier.DecisionRoute.OFFICER)
    panel = _tier(fund, Tier.DecisionRoute.PANEL)
    now = timezone.now()
    today = timezone.localdate()
    stages = [
        (Application.Status.SUBMITTED, small),
        (Application.Status.ELIGIBLE, panel),
        (Application.Status.IN_REVIEW, panel),  # waiting for reviews
        (Application.Status.IN_REVIEW, panel),  # ready to decide
        (Application.Status.AWARDED, small),
        (Application.Status.DEFERRED, small),
        (Application.Status.DRAFT, small),
    ]
    made = Application.objects.bulk_create(
        Application(
            round=round,
            organisation=group,
            tier=tier,
            amount_requested=tier.minimum_amount,
            status=status,
            title=f"Project {number}",
            reference=f"BULK-{number:05d}" if status != Application.Status.DRAFT else None,
            submitted_at=None if status == Application.Status.DRAFT else now - timedelta(days=number % 40),
            information_requested="Send the quote" if status == Application.Status.DEFERRED else "",
        )
        for number in range(start, start + count)
        for status, tier in [stages[number % len(stages)]]
    )
    reviews = []
    for application in made:
        stage = (int(application.reference[5:]) if application.reference else 0) % len(stages)
        if application.status == Application.Status.IN_REVIEW and stage == 2:
            reviews.append(
                Review(application=application, reviewer=people["panel"], status=Review.Status.ASSIGNED)
            )
        elif application.status == Application.Status.IN_REVIEW:
            reviewers = [people["panel"], people["panel2"], people["panel3"]][: panel.reviewers_needed]
            reviews += [
                Review(application=application, reviewer=r, status=Review.Status.SUBMITTED) for r in reviewers
            ]
    Review.objects.bulk_create(reviews)
    awarded = [application for application in made if application.status == Application.Status.AWARDED]
    investments = Investment.objects.bulk_create(
        Investment(application=a, round=round, tier=small, amount=a.amount_requested, start_date=today)
        for a in awarded
    )
    ProgressUpdate.objects.bulk_create(
        update
        for investment in investments
        for update in (
            ProgressUpdate(
                investment=investment,
                number=1,
                due_date=today - timedelta(days=90),
                status=ProgressUpdate.Status.SUBMITTED,
                submitted_at=now,
                story="A story",
                story_consent=True,
            ),
            ProgressUpdate(investment=investment, number=2, due_date=today - timedelta(days=30)),
        )
    )
    Concern.objects.bulk_create(
        Concern(investment=i, raised_by=people["mentor"], text="Worried") for i in investments
    )
    Payment.objects.bulk_create(
        Payment(
            investment=i,
            number=1,
            due_date=today,
            amount=Decimal("100.00"),
            release_conditions=["mentor_assigned"],
        )
        for i in investments
    )
    Assignment.objects.bulk_create(
        Assignment(investment=i, mentor=people["mentor"], assigned_by=people["officer"]) for i in investments
    )
    Note.objects.bulk_create(
        Note(investment=i, author=people["mentor"], text="Met them") for i in investments
    )
    # A change of goals proposed on every investment, waiting for the fund team.
    GoalChange.objects.bulk_create(
        GoalChange(
            investment=i,
            kind=GoalChange.Kind.ADD,
            description="A new aim",
            reason="We learned",
            takes_effect_on=today + timedelta(days=14),
        )
        for i in investments
    )
    # A question from the group on every sent application, answered on half of them.
    sent = [application for application in made if application.submitted_at is not None]
    Message.objects.bulk_create(
        Message(application=a, author=people["group member"], from_team=False, text="A question")
        for a in sent
    )
    Message.objects.bulk_create(
        Message(application=a, author=people["officer"], from_team=True, text="An answer") for a in sent[::2]
    )


@pytest.mark.parametrize("who", ["officer", "panel", "mentor", "finance", "group member"])
def test_each_landing_page_reads_the_same_queries_for_ten_things_or_a_thousand(
    client, world, who, django_assert_max_num_queries, django_assert_num_queries
):
    *_, people = world
    client.force_login(people[who])
    _fill(world, 10, 0)
    with django_assert_max_num_queries(40) as few:
        first = client.get(HOME)
    _fill(world, 990, 10)
    with django_assert_num_queries(len(few.captured_queries)):
        second = client.get(HOME)
    assert first.status_code == second.status_code == 200
    body = second.content.decode()
    if who == "officer":
        assert "143 applications to check" in body
    if who == "finance":
        assert "143 tranches due to pay" in body
    if who == "group member":
        # The first rows of each kind, a link to each.
        assert body.count("Answer the fund team") == 10
        assert body.count("New message from the fund team") == 10
    if who == "officer":
        assert "messages waiting for an answer" in body
        assert f"{GoalChange.objects.count()} changes of goals to agree" in body


@pytest.mark.parametrize("role", FundRole.Role.values)
def test_nobody_sees_another_funds_work(client, role):
    """The work of a fund is shown only to its own people: a person of another fund sees none."""
    busy = fund_with_tiers()
    world = (
        busy,
        RoundFactory(fund=busy),
        OrganisationFactory(),
        {r: staff(r, busy) for r in FundRole.Role.values}
        | {
            "panel2": staff(FundRole.Role.PANEL, busy),
            "panel3": staff(FundRole.Role.PANEL, busy),
            "group member": UserFactory(),
        },
    )
    _fill(world, 14, 0)
    outsider = staff(role, fund_with_tiers())
    html = _page(client, outsider)
    assert "BULK-" not in html
    assert "to check" not in html and "to pay" not in html and "reviews to do" not in html
