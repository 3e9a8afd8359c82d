"""Panel meetings: the decisions recorded in one sitting reach nobody until they are released,
together or not at all; awards above the fund's limit wait for a second officer; the minutes print
the decisions, the totals and the conflicts declared."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.models import Application, ApplicationEvent
from assessment import meetings, panel_summary
from assessment import services as assessment
from assessment.models import Decision, PanelMeeting, Review
from fund.models import FundRole
from investments.models import Investment, Offer
from kit.errors import RuleError
from notifications.models import Notification
from tests.factories import (
    CriterionFactory,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
    reviewed,
    staff,
    submitted_application,
)

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def round():
    round = RoundFactory(
        fund=fund_with_tiers(), budget=D("30000.00"), opens_at=timezone.now() - timedelta(days=60)
    )
    CriterionFactory(round=round, title="Need", scale_max=5)
    return round


@pytest.fixture
def officer(round):
    return staff(FundRole.Role.OFFICER, round.fund, full_name="Olu Officer")


@pytest.fixture
def meeting(round, officer):
    return meetings.save_meeting(
        round=round, by=officer, held_on=timezone.localdate(), attendees="Councillor Jones (chair)", notes=""
    )


def test_decisions_reach_nobody_until_the_meeting_releases_them_together(
    round, officer, meeting, tasks, django_capture_on_commit_callbacks
):
    first, second = reviewed(round, "8000.00", 5), reviewed(round, "6000.00", 2)
    tasks()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.record_decision(
            meeting=meeting,
            application=first,
            by=officer,
            outcome="award",
            amount=D("7000.00"),
            conditions="Show the hall's lease first.",
        )
    meetings.record_decision(
        meeting=meeting,
        application=second,
        by=officer,
        outcome="decline",
        feedback="Too little evidence of need.",
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Application.Status.IN_REVIEW, Application.Status.IN_REVIEW)
    assert not Investment.objects.exists()
    assert mail.outbox == []
    assert not Notification.objects.filter(user__memberships__organisation=first.organisation).exists()

    with django_capture_on_commit_callbacks(execute=True):
        released = meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    tasks()

    assert len(released) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Application.Status.AWARDED, Application.Status.DECLINED)
    investment = Investment.objects.get(application=first)
    assert investment.amount == D("7000.00")
    assert investment.offer.status == Offer.Status.WAITING
    assert investment.offer.respond_by == timezone.localdate() + timedelta(days=28)
    meeting.refresh_from_db()
    assert meeting.released_by == officer
    assert not Decision.objects.filter(meeting=meeting, released_at__isnull=True).exists()
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == sorted(f"Decision on your application {a.reference}" for a in (first, second))
    award = next(message for message in mail.outbox if first.reference in message.subject)
    assert "offering to invest £7,000" in award.body
    assert "accept it, on behalf of your group, by" in award.body


def test_release_is_all_or_nothing_and_says_which_decision_stopped_it(
    round, officer, meeting, tasks, django_capture_on_commit_callbacks
):
    applications = [reviewed(round, "9000.00") for _ in range(3)]
    for application in applications:
        meetings.record_decision(
            meeting=meeting, application=application, by=officer, outcome="award", amount=D("9000.00")
        )
    # The last to be released is withdrawn meanwhile: the two before it are undone too.
    last = max(applications, key=lambda application: application.reference)
    Application.objects.filter(pk=last.pk).update(status=Application.Status.WITHDRAWN)
    tasks()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuleError) as refused:
        meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    tasks()
    assert refused.value.messages == [
        f"{last.reference} is withdrawn now, so it cannot be decided: take its decision off the meeting."
    ]
    assert not Investment.objects.exists()
    assert not Application.objects.filter(status=Application.Status.AWARDED).exists()
    assert not Decision.objects.filter(released_at__isnull=False).exists()
    assert not ApplicationEvent.objects.filter(kind=ApplicationEvent.Kind.AWARDED).exists()
    assert not Notification.objects.filter(kind="decided").exists()
    meeting.refresh_from_db()
    assert meeting.released_at is None
    assert mail.outbox == []

    # Take it off, and the meeting releases the rest.
    meetings.take_back(meeting=meeting, decision=meeting.decisions.get(application=last), by=officer)
    meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    assert Investment.objects.count() == 2


def test_a_meeting_over_its_budget_or_an_allocation_is_not_released(round, officer, meeting):
    applications = [reviewed(round, "10000.00") for _ in range(3)]
    round.budget = D("25000.00")
    round.save()
    for application in applications:
        meetings.record_decision(
            meeting=meeting, application=application, by=officer, outcome="award", amount=D("10000.00")
        )
    with pytest.raises(RuleError, match="The awards come to £5,000 more than the round has left"):
        meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    round.budget = D("100000.00")
    round.save()
    round.allocations.create(tier=applications[0].tier, amount=D("20000.00"))
    with pytest.raises(
        RuleError, match="The Start-up awards come to £10,000 more than the tier's allocation"
    ):
        meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    assert not Investment.objects.exists()


def test_a_meeting_is_held_after_its_round_opens_and_released_from_its_day(round, officer, meeting):
    with pytest.raises(RuleError, match="when the round opened"):
        meetings.save_meeting(round=round, by=officer, held_on=date(1990, 3, 1), attendees="", notes="")
    coming = meetings.save_meeting(
        round=round, by=officer, held_on=timezone.localdate() + timedelta(days=3), attendees="", notes=""
    )
    application = reviewed(round, "6000.00")
    meetings.record_decision(
        meeting=coming, application=application, by=officer, outcome="award", amount=D("6000")
    )
    with pytest.raises(RuleError, match="its decisions can be released from that day"):
        meetings.release(meeting=coming, by=officer, base_url="http://testserver")


def test_an_award_over_the_limit_waits_for_a_second_officer_who_is_not_the_one_who_recorded_it(
    round, officer, meeting
):
    round.fund.signoff_limit = D("5000.00")
    round.fund.save()
    big, small = reviewed(round, "9000.00"), reviewed(round, "4000.00")
    second = staff(FundRole.Role.OFFICER, round.fund, full_name="Sam Second")
    decision = meetings.record_decision(
        meeting=meeting, application=big, by=officer, outcome="award", amount=D("9000.00")
    )
    meetings.record_decision(
        meeting=meeting, application=small, by=officer, outcome="award", amount=D("4000.00")
    )
    assert Notification.objects.filter(user=second, kind="approval").count() == 1

    with pytest.raises(RuleError, match="the same person cannot do both"):
        meetings.approve(decision=decision, by=officer)
    with pytest.raises(RuleError, match="waits for a second officer's approval"):
        meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    assert not Investment.objects.exists()

    # Finance cannot approve: only the fund's officers.
    with pytest.raises(RuleError):
        meetings.approve(decision=decision, by=staff(FundRole.Role.FINANCE, round.fund))
    meetings.approve(decision=decision, by=second)
    # A change after approval needs approving again.
    decision = meetings.record_decision(
        meeting=meeting, application=big, by=officer, outcome="award", amount=D("8500.00")
    )
    assert decision.approved_by is None
    with pytest.raises(RuleError, match="waits for a second officer's approval"):
        meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    meetings.approve(decision=decision, by=second)
    meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    assert Investment.objects.get(application=big).amount == D("8500.00")
    assert ApplicationEvent.objects.filter(application=big, kind="award_approved", actor=second).exists()


def test_an_officer_deciding_alone_cannot_award_over_the_limit(round, officer):
    round.fund.signoff_limit = D("5000.00")
    round.fund.save()
    application = reviewed(round, "9000.00")
    with pytest.raises(RuleError, match="needs a second officer's approval"):
        assessment.decide(
            application=application, by=officer, outcome="award", amount=D("9000.00"), base_url="http://x"
        )
    assessment.decide(application=application, by=officer, outcome="award", amount=D("5000.00"), base_url="x")
    assert Investment.objects.get(application=application).amount == D("5000.00")


def test_a_deferral_names_a_later_meeting_which_then_decides_it(
    round, officer, meeting, tasks, django_capture_on_commit_callbacks
):
    application = reviewed(round, "6000.00")
    later = meeting
    meeting = meetings.save_meeting(
        round=round, by=officer, held_on=later.held_on - timedelta(days=30), attendees="", notes=""
    )
    with pytest.raises(RuleError, match="Choose the later meeting"):
        meetings.record_decision(meeting=meeting, application=application, by=officer, outcome="defer")
    with pytest.raises(RuleError, match="after this one"):
        meetings.record_decision(
            meeting=later, application=application, by=officer, outcome="defer", deferred_to=meeting
        )
    meetings.record_decision(
        meeting=meeting,
        application=application,
        by=officer,
        outcome="defer",
        deferred_to=later,
        feedback="The panel would like to visit first.",
    )
    tasks()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    tasks()
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    assert f"at its meeting on {later.held_on:%-d %B %Y}" in mail.outbox[0].body
    assert "The panel would like to visit first." in mail.outbox[0].body
    # The later meeting decides it.
    assert [item.row.application.pk for item in meetings.agenda(later, [])] == [application.pk]
    meetings.record_decision(
        meeting=later, application=application, by=officer, outcome="award", amount=D("6000")
    )
    meetings.release(meeting=later, by=officer, base_url="http://testserver")
    assert Investment.objects.filter(application=application).exists()


def test_a_released_meeting_can_no_longer_change(round, officer, meeting):
    application = reviewed(round, "6000.00")
    meetings.record_decision(
        meeting=meeting, application=application, by=officer, outcome="award", amount=D("6000")
    )
    meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    with pytest.raises(RuleError, match="can no longer change"):
        meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    with pytest.raises(RuleError, match="can no longer change"):
        meetings.save_meeting(
            round=round, by=officer, meeting=meeting, held_on=meeting.held_on, attendees="", notes=""
        )
    assert Investment.objects.count() == 1


def test_an_application_waits_at_one_meeting_at_a_time(round, officer, meeting):
    application = reviewed(round, "6000.00")
    other = meetings.save_meeting(round=round, by=officer, held_on=meeting.held_on, attendees="", notes="")
    meetings.record_decision(
        meeting=meeting, application=application, by=officer, outcome="award", amount=D("6000")
    )
    with pytest.raises(RuleError, match="has a decision waiting at the meeting"):
        meetings.record_decision(
            meeting=other, application=application, by=officer, outcome="decline", feedback="No"
        )


# --- The pages ---------------------------------------------------------------------------------


def test_an_officer_arranges_a_meeting_records_decisions_and_releases_them_on_the_pages(
    client, round, officer
):
    application = reviewed(round, "8000.00", 5)
    today = timezone.localdate()
    client.force_login(officer)
    page = client.get(reverse("assessment:round_meetings", args=[round.pk])).content.decode()
    assert "No meetings yet." in page
    response = client.post(
        reverse("assessment:meeting_new", args=[round.pk]),
        {
            "held_on_0": str(today.day),
            "held_on_1": str(today.month),
            "held_on_2": str(today.year),
            "attendees": "Cllr Jones",
            "notes": "",
        },
    )
    meeting = PanelMeeting.objects.get()
    assert response.url == reverse("assessment:meeting", args=[meeting.pk])
    page = client.get(response.url).content.decode()
    assert f"Panel meeting, {today:%-d %B %Y}" in page
    assert application.reference in page and "Record the decision" in page
    url = reverse("assessment:meeting_decision", args=[meeting.pk, application.pk])
    response = client.post(url, {"outcome": "award", "amount": "7,500", "conditions": "Lease first."})
    assert response.status_code == 302
    page = client.get(reverse("assessment:meeting", args=[meeting.pk])).content.decode()
    assert "£7,500" in page
    assert "Release the decisions" in page
    page = client.get(reverse("assessment:meeting_release", args=[meeting.pk])).content.decode()
    assert "Release 1 decision" in page
    response = client.post(reverse("assessment:meeting_release", args=[meeting.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.AWARDED
    page = client.get(reverse("assessment:meeting", args=[meeting.pk])).content.decode()
    assert "released this meeting's decisions" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose the decision"),
        ({"outcome": "award"}, "Enter the amount to award"),
        ({"outcome": "award", "amount": "nine thousand"}, "amount to award"),
        ({"outcome": "award", "amount": "9000.00"}, "cannot be more than the £8,000 asked for"),
        ({"outcome": "award", "amount": "0"}, "£0.01"),
        (
            {
                "outcome": "award",
                "amount": "500",
                "start_date_0": "31",
                "start_date_1": "2",
                "start_date_2": "2027",
            },
            "real date",
        ),
        ({"outcome": "decline"}, "Write the feedback the group will read"),
        ({"outcome": "defer"}, "Choose the later meeting that will decide it"),
        ({"outcome": "defer", "deferred_to": "999999"}, "Choose one of this round&#x27;s later meetings"),
        ({"outcome": "sideways"}, "Choose the decision"),
    ],
)
def test_a_bad_decision_is_explained_and_what_was_typed_is_kept(
    client, round, officer, meeting, data, message
):
    application = reviewed(round, "8000.00")
    meetings.save_meeting(
        round=round, by=officer, held_on=meeting.held_on + timedelta(days=7), attendees="", notes=""
    )
    client.force_login(officer)
    url = reverse("assessment:meeting_decision", args=[meeting.pk, application.pk])
    response = client.post(url, {**data, "reason": "Kept for the record"})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Kept for the record" in page
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the date of the meeting"),
        ({"held_on_0": "31", "held_on_1": "2", "held_on_2": "2027"}, "real date"),
        ({"held_on_0": "1", "held_on_1": "", "held_on_2": "2027"}, "must include a month"),
        (
            {"held_on_0": "1", "held_on_1": "3", "held_on_2": "2027", "attendees": "x" * 2001},
            "2,000 characters",
        ),
    ],
)
def test_a_bad_meeting_date_is_explained(client, round, officer, data, message):
    client.force_login(officer)
    response = client.post(reverse("assessment:meeting_new", args=[round.pk]), {"notes": "Kept", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Kept" in response.content.decode()
    assert not PanelMeeting.objects.exists()


def test_nobody_else_reaches_a_meeting(client, round, meeting):
    urls = [
        reverse("assessment:round_meetings", args=[round.pk]),
        reverse("assessment:meeting", args=[meeting.pk]),
        reverse("assessment:meeting_minutes", args=[meeting.pk]),
        reverse("assessment:meeting_release", args=[meeting.pk]),
    ]
    client.force_login(staff(FundRole.Role.OFFICER, fund_with_tiers()))  # another fund's officer
    assert {client.get(url).status_code for url in urls} == {404}
    assert client.post(reverse("assessment:meeting_release", args=[meeting.pk])).status_code == 404
    for role in (FundRole.Role.PANEL, FundRole.Role.FINANCE, FundRole.Role.MENTOR):
        client.force_login(staff(role, round.fund))
        assert {client.get(url).status_code for url in urls} == {403}
    member = UserFactory()
    reviewed(round, "6000.00", member=member)
    client.force_login(member)
    assert {client.get(url).status_code for url in urls} == {403}
    meeting.refresh_from_db()
    assert meeting.released_at is None


# --- The minutes -------------------------------------------------------------------------------


def test_the_minutes_print_the_decisions_the_totals_and_who_left_the_room(client, round, officer, meeting):
    panellist = UserFactory(full_name="Priya Panel")
    awarded = reviewed(round, "8000.00", 5, conflict_by=panellist)
    declined = reviewed(round, "6000.00", 1)
    meetings.record_decision(
        meeting=meeting,
        application=awarded,
        by=officer,
        outcome="award",
        amount=D("7250.00"),
        conditions="Lease.",
    )
    meetings.record_decision(
        meeting=meeting,
        application=declined,
        by=officer,
        outcome="decline",
        feedback="Not enough need shown.",
    )
    client.force_login(officer)
    response = client.get(reverse("assessment:meeting_minutes", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "-draft.pdf" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Draft: these decisions have not been released" in text
    assert awarded.reference in text and declined.reference in text
    assert "£7,250" in text
    assert "Not enough need shown." in text
    assert "Priya Panel" in text and "My sister runs the group." in text
    assert "Councillor Jones (chair)" in text
    assert "£30,000" in text  # the budget
    assert "£22,750" in text  # left after the meeting

    meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    response = client.get(reverse("assessment:meeting_minutes", args=[meeting.pk]))
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Draft" not in text
    assert "released to the groups by Olu Officer" in text
    assert "£7,250" in text and "£22,750" in text  # after release the award is this meeting's, not "before"


def test_the_second_officer_and_the_group_find_their_part_on_their_landing_pages(
    client, round, officer, meeting
):
    round.fund.signoff_limit = D("5000.00")
    round.fund.save()
    owner = UserFactory()
    application = reviewed(round, "9000.00", member=owner)
    second = staff(FundRole.Role.OFFICER, round.fund)
    meetings.record_decision(
        meeting=meeting, application=application, by=officer, outcome="award", amount=D("9000.00")
    )
    client.force_login(second)
    page = client.get(reverse("work:home")).content.decode()
    assert "1 award waiting for your approval" in page
    assert reverse("assessment:meeting", args=[meeting.pk]) in page
    client.force_login(officer)  # who recorded it is not asked
    assert "waiting for your approval" not in client.get(reverse("work:home")).content.decode()

    meetings.approve(decision=meeting.decisions.get(), by=second)
    meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    client.force_login(owner)
    page = client.get(reverse("work:home")).content.decode()
    assert "Accept the offer of £9,000" in page
    assert reverse("investments:offer", args=[application.investment.pk]) in page


# --- What a review of the meetings found --------------------------------------------------------


def test_a_decision_blocking_release_can_be_taken_off_and_an_officer_alone_cannot_decide_over_it(
    client, round, officer, meeting
):
    application = reviewed(round, "6000.00")
    decision = meetings.record_decision(
        meeting=meeting, application=application, by=officer, outcome="decline", feedback="Not this time."
    )
    with pytest.raises(RuleError, match="waits at the panel meeting on"):
        assessment.decide(
            application=application, by=officer, outcome="award", amount=D("6000"), base_url="x"
        )
    client.force_login(officer)
    page = client.get(reverse("assessment:staff_application", args=[application.pk])).content.decode()
    assert "recorded a decision on it (decline), not released yet" in page
    # The application is withdrawn meanwhile: release refuses, and the decision can still come off.
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    with pytest.raises(RuleError, match="take its decision off the meeting"):
        meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    page = client.get(
        reverse("assessment:meeting_decision", args=[meeting.pk, application.pk])
    ).content.decode()
    take_back = reverse("assessment:meeting_take_back", args=[meeting.pk, decision.pk])
    assert take_back in page
    client.post(take_back)
    assert not Decision.objects.exists()


def test_an_approval_is_of_the_award_the_approver_read(round, officer, meeting):
    round.fund.signoff_limit = D("5000.00")
    round.fund.save()
    application = reviewed(round, "9000.00")
    second = staff(FundRole.Role.OFFICER, round.fund)
    read = meetings.record_decision(
        meeting=meeting, application=application, by=officer, outcome="award", amount=D("6000.00")
    )
    seen = meetings.approval_token(read)
    changed = meetings.record_decision(
        meeting=meeting, application=application, by=officer, outcome="award", amount=D("9000.00")
    )
    with pytest.raises(RuleError, match="changed since you read it"):
        meetings.approve(decision=changed, by=second, seen=seen)
    assert Decision.objects.get().approved_by is None
    meetings.approve(decision=changed, by=second, seen=meetings.approval_token(changed))
    assert Decision.objects.get().approved_by == second


def test_release_checks_the_panel_again(round, officer, meeting):
    application = reviewed(round, "6000.00")
    meetings.record_decision(
        meeting=meeting, application=application, by=officer, outcome="award", amount=D("6000")
    )
    review = application.reviews.filter(status=Review.Status.SUBMITTED).first()
    assessment.reopen_review(review=review, by=officer, reason="The score was typed wrongly.")
    with pytest.raises(RuleError, match="panel review"):
        meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    assert not Investment.objects.exists()


def test_after_release_the_totals_are_those_the_meeting_released_against(round, officer, meeting):
    from investments.services.offers import chase_and_lapse

    earlier = reviewed(round, "3000.00")
    assessment.decide(application=earlier, by=officer, outcome="award", amount=D("3000"), base_url="x")
    application = reviewed(round, "8000.00")
    later_one = reviewed(round, "9000.00")
    meetings.record_decision(
        meeting=meeting, application=application, by=officer, outcome="award", amount=D("8000")
    )
    meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    # Afterwards: another award, and this meeting's offer lapses.
    assessment.decide(application=later_one, by=officer, outcome="award", amount=D("9000"), base_url="x")
    chase_and_lapse(today=timezone.localdate() + timedelta(days=60))
    decisions = list(meeting.decisions.select_related("application"))
    meeting.refresh_from_db()
    totals = meetings.totals(meeting, decisions)
    # The figures the meeting released against: the earlier award (lapsed since) as it stood,
    # this meeting's own, and nothing of the award made after.
    assert (totals.awarded_before, totals.awarded_here) == (D("3000.00"), D("8000.00"))


def test_a_declined_offer_leaves_the_panel_summary(round, officer, meeting):
    from investments.services.offers import decline_offer

    owner = UserFactory()
    application = reviewed(round, "8000.00", member=owner)
    meetings.record_decision(
        meeting=meeting, application=application, by=officer, outcome="award", amount=D("8000")
    )
    meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    assert [row.application.pk for row in panel_summary.build(round).rows] == [application.pk]
    decline_offer(
        offer=Investment.objects.get(application=application).offer, by=owner, reason="No longer needed"
    )
    assert panel_summary.build(round).rows == []


def test_a_meeting_cannot_move_past_the_meeting_it_defers_to(round, officer, meeting):
    application = reviewed(round, "6000.00")
    later = meetings.save_meeting(
        round=round, by=officer, held_on=meeting.held_on + timedelta(days=10), attendees="", notes=""
    )
    meetings.record_decision(
        meeting=meeting, application=application, by=officer, outcome="defer", deferred_to=later
    )
    with pytest.raises(RuleError, match="it must come before that"):
        meetings.save_meeting(
            round=round,
            by=officer,
            meeting=meeting,
            held_on=meeting.held_on + timedelta(days=20),
            attendees="",
            notes="",
        )


def test_an_officer_decided_application_over_the_limit_is_taken_to_a_meeting_from_its_page(client, officer):
    fund = fund_with_tiers(decided_by_officer=True, signoff_limit=D("1000.00"))
    round = RoundFactory(fund=fund)
    application = submitted_application(round=round, amount_requested=D("1500.00"))
    staff_officer = staff(FundRole.Role.OFFICER, fund)
    assessment.mark_eligible(application=application, by=staff_officer)
    meeting = meetings.save_meeting(
        round=round, by=staff_officer, held_on=timezone.localdate(), attendees="", notes=""
    )
    client.force_login(staff_officer)
    page = client.get(reverse("assessment:staff_application", args=[application.pk])).content.decode()
    assert reverse("assessment:meeting_decision", args=[meeting.pk, application.pk]) in page


def test_defer_is_offered_only_when_a_later_meeting_exists(client, round, officer, meeting):
    application = reviewed(round, "6000.00")
    client.force_login(officer)
    url = reverse("assessment:meeting_decision", args=[meeting.pk, application.pk])
    page = client.get(url).content.decode()
    assert 'value="defer"' not in page
    assert "arrange the later meeting first" in page
    assert "Choose the decision" in client.post(url, {"outcome": "defer"}).content.decode()


def test_a_deferred_group_is_told_when_it_will_be_decided_not_that_it_was(
    round, officer, tasks, django_capture_on_commit_callbacks
):
    application = reviewed(round, "6000.00")
    earlier = meetings.save_meeting(
        round=round, by=officer, held_on=timezone.localdate() - timedelta(days=7), attendees="", notes=""
    )
    later = meetings.save_meeting(
        round=round, by=officer, held_on=timezone.localdate(), attendees="", notes=""
    )
    meetings.record_decision(
        meeting=earlier, application=application, by=officer, outcome="defer", deferred_to=later
    )
    # The later meeting's list says where its decision waits.
    [item] = meetings.agenda(later, [])
    assert item.waiting_elsewhere == earlier.held_on
    tasks()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.release(meeting=earlier, by=officer, base_url="http://testserver")
    tasks()
    [message] = mail.outbox
    assert (
        message.subject
        == f"Your application {application.reference}: the panel will decide on {later.held_on:%-d %B %Y}"
    )
    assert "has decided" not in message.body


def test_the_award_email_links_to_the_offer_and_the_group_is_asked_for_bank_details_once_it_accepts(
    client, round, officer, meeting, tasks, django_capture_on_commit_callbacks
):
    from investments.services.offers import accept_offer

    owner = UserFactory()
    application = reviewed(round, "6000.00", member=owner)
    meetings.record_decision(
        meeting=meeting, application=application, by=officer, outcome="award", amount=D("6000")
    )
    tasks()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.release(meeting=meeting, by=officer, base_url="http://testserver")
    tasks()
    investment = Investment.objects.get(application=application)
    assert f"http://testserver/investments/{investment.pk}/offer/" in mail.outbox[0].body
    accept_offer(offer=investment.offer, by=owner, signed_name="Olive", signed_position="Chair", agreed=True)
    client.force_login(owner)
    page = client.get(reverse("work:home")).content.decode()
    assert "bank details, so the fund can pay" in page
