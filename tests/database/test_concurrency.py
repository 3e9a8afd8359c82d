"""Two requests at once, as a double click sends them: the row locks on PostgreSQL keep
one application, one version and one reference."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from applications.models import Application, ApplicationVersion
from applications.services.applying import start_application, submit_application
from assessment import services as assessment
from fund.models import FundRole
from investments.models import Investment, Payment, PaymentEntry
from investments.services.payments import record_payment, reverse_payment
from kit.errors import RuleError
from team import services as team
from team.models import TeamInvitation
from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    awarded_investment,
    fund_with_tiers,
    ready_to_submit,
    staff,
    submitted_application,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(*calls):
    """Run the calls in parallel threads, each on its own connection; return results or errors."""
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # collected for the test to look at
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_a_double_click_on_send_submits_once(postgres):
    member = UserFactory()
    application = ready_to_submit(ApplicationFactory(organisation=OrganisationFactory(members=[member])))

    def send():
        return submit_application(application=application, by=member, base_url="http://testserver")

    results = _at_once(send, send)
    assert all(isinstance(result, Application) for result in results), results
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert Application.objects.exclude(reference=None).count() == 1


def test_two_members_starting_at_once_get_one_application_in_a_one_per_group_round(postgres):
    first, second = UserFactory(), UserFactory()
    group = OrganisationFactory(members=[first, second])
    round = RoundFactory(fund=fund_with_tiers())

    def start(person):
        return lambda: start_application(
            round=round, organisation=group, amount=Decimal("1500.00"), by=person
        )

    results = _at_once(start(first), start(second))
    assert Application.objects.filter(organisation=group).count() == 1
    refused = [result for result in results if isinstance(result, RuleError)]
    assert len(refused) == 1
    assert "already has an application" in refused[0].messages[0]


def test_awards_at_the_same_instant_never_overcommit_the_budget(postgres):
    round = RoundFactory(fund=fund_with_tiers(), budget=Decimal("5000.00"))
    officers = [staff(FundRole.Role.OFFICER, round.fund) for _ in range(3)]
    applications = [submitted_application(round=round, amount_requested=Decimal("2000.00")) for _ in range(3)]
    for application in applications:
        assessment.mark_eligible(application=application, by=officers[0])

    def award(application, officer):
        return lambda: assessment.decide(
            application=application,
            by=officer,
            outcome="award",
            amount=Decimal("2000.00"),
            base_url="http://x",
        )

    results = _at_once(
        *(award(application, officer) for application, officer in zip(applications, officers, strict=True))
    )
    refused = [result for result in results if isinstance(result, RuleError)]
    assert len(refused) == 1, results
    assert "would take" in refused[0].message_dict["amount"][0]
    committed = Investment.objects.filter(round=round).aggregate(total=Sum("amount"))["total"]
    assert committed == Decimal("4000.00") <= round.budget
    assert Application.objects.filter(status=Application.Status.AWARDED).count() == 2


def test_two_finance_officers_paying_one_tranche_at_once_never_pay_it_twice(postgres):
    investment = awarded_investment()
    Payment.objects.filter(investment=investment).update(release_conditions=[])
    finance = [staff(FundRole.Role.FINANCE, investment.round.fund) for _ in range(2)]
    first = investment.payments.order_by("number").first()

    def pay(person):
        return lambda: record_payment(
            payment=first, by=person, paid_on=timezone.localdate(), amount=first.amount, reference="BACS"
        )

    results = _at_once(pay(finance[0]), pay(finance[1]))
    assert sum(isinstance(result, RuleError) for result in results) == 1, results
    assert Investment.objects.with_paid().get(pk=investment.pk).paid == first.amount
    assert PaymentEntry.objects.filter(payment=first).count() == 1


def test_two_finance_officers_reversing_one_entry_at_once_reverse_it_once(postgres):
    investment = awarded_investment()
    Payment.objects.filter(investment=investment).update(release_conditions=[])
    finance = [staff(FundRole.Role.FINANCE, investment.round.fund) for _ in range(2)]
    first = investment.payments.order_by("number").first()
    entry = record_payment(
        payment=first, by=finance[0], paid_on=timezone.localdate(), amount=Decimal("0.01"), reference="TYPO"
    )

    def undo(person):
        return lambda: reverse_payment(entry=entry, by=person, reason="Typed 0.01")

    results = _at_once(undo(finance[0]), undo(finance[1]))
    assert sum(isinstance(result, RuleError) for result in results) == 1, results
    assert Investment.objects.with_paid().get(pk=investment.pk).paid == 0
    first.refresh_from_db()
    assert first.status == Payment.Status.SCHEDULED


def test_two_officers_inviting_the_same_person_at_once_send_one_invitation(postgres):
    fund = fund_with_tiers()
    first, second = staff(FundRole.Role.OFFICER, fund), staff(FundRole.Role.OFFICER, fund)

    def invite(by):
        return lambda: team.invite(
            fund=fund, by=by, email="pat@council.example", role="panel", base_url="http://testserver"
        )

    results = _at_once(invite(first), invite(second))
    assert TeamInvitation.objects.filter(email="pat@council.example").count() == 1
    refused = [result for result in results if isinstance(result, RuleError)]
    assert len(refused) == 1 and "pat@council.example" in refused[0].messages[0]


def test_two_officers_removing_each_other_at_once_leave_the_fund_one_officer(postgres):
    fund = fund_with_tiers()
    first, second = staff(FundRole.Role.OFFICER, fund), staff(FundRole.Role.OFFICER, fund)

    def remove(by, person):
        return lambda: team.set_roles(fund=fund, person=person, roles=[], by=by)

    results = _at_once(remove(first, second), remove(second, first))
    assert fund.roles.filter(role=FundRole.Role.OFFICER).count() == 1
    assert sum(isinstance(result, RuleError) for result in results) == 1


def test_two_officers_deciding_a_change_of_goals_at_once_decide_it_once(postgres):
    from investments.models import GoalChange
    from investments.services import goal_changes

    investment = awarded_investment()
    member = investment.application.organisation.memberships.get().user
    first = investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user
    second = staff(FundRole.Role.OFFICER, investment.round.fund)
    goal = investment.application.goals.current().get()
    change = goal_changes.propose(
        investment=investment, by=member, kind="change", goal=goal, reason="We learned", description="New aim"
    )

    results = _at_once(
        lambda: goal_changes.agree(change=change, by=first),
        lambda: goal_changes.object_to(change=change, by=second, objection="Let us talk first"),
    )
    assert sorted(type(result).__name__ for result in results) == ["GoalChange", "RuleError"], results
    change.refresh_from_db()
    current = list(investment.application.goals.current())
    if change.status == GoalChange.Status.AGREED:
        assert [goal.description for goal in current] == ["New aim"]
    else:
        assert current == [goal]


def test_two_officers_adding_questions_at_once_each_get_a_place_of_their_own(postgres):
    from questions import services as builder
    from tests.factories import QuestionSectionFactory

    section = QuestionSectionFactory(round=RoundFactory(fund=fund_with_tiers()))
    wording = {"kind": "short_text", "label": "Where will you meet?"}

    def add(label):
        return lambda: builder.add_question(section=section, wording={**wording, "label": label}, tiers=[])

    results = _at_once(add("Where will you meet?"), add("When will you meet?"))
    assert not any(isinstance(result, Exception) for result in results), results
    positions = list(section.questions.values_list("position", flat=True))
    assert sorted(positions) == [1, 2]


def test_two_members_saving_the_same_section_at_once_keep_one_answer_each_question(postgres):
    from applications.models import Answer
    from applications.services.applying import save_answers
    from tests.factories import QuestionFactory, QuestionSectionFactory

    first, second = UserFactory(), UserFactory()
    application = ApplicationFactory(organisation=OrganisationFactory(members=[first, second]))
    section = QuestionSectionFactory(round=application.round)
    question = QuestionFactory(section=section)

    def save(person, value):
        return lambda: save_answers(
            application=application, section_pk=section.pk, values={question.pk: value}, uploads={}, by=person
        )

    results = _at_once(save(first, "The church hall"), save(second, "The library"))
    assert not any(isinstance(result, Exception) for result in results), results
    assert Answer.objects.filter(application=application, question=question).count() == 1


def test_two_finance_officers_marking_a_run_paid_at_once_pay_it_once(postgres):
    from investments.models import PaymentEntry, PaymentRun
    from investments.services import payment_runs
    from tests.factories import BankDetailsFactory

    investment = awarded_investment(amount_requested=Decimal("1500.00"))
    BankDetailsFactory(organisation=investment.application.organisation, verified_at=timezone.now())
    fund = investment.round.fund
    first, second = staff(FundRole.Role.FINANCE, fund), staff(FundRole.Role.FINANCE, fund)
    payment = investment.payments.order_by("number").first()
    today = timezone.localdate()
    run = payment_runs.create_run(fund=fund, payment_ids=[payment.pk], by=first, today=today)

    def pay(person):
        return lambda: payment_runs.mark_paid(
            run=run, by=person, paid_on=today, total=payment.amount, today=today
        )

    results = _at_once(pay(first), pay(second))
    assert all(isinstance(result, PaymentRun) for result in results), results
    assert PaymentEntry.objects.filter(payment=payment).count() == 1


def test_two_finance_officers_making_runs_at_once_put_a_payment_in_one(postgres):
    from investments.models import PaymentRunLine
    from investments.services import payment_runs
    from tests.factories import BankDetailsFactory

    investment = awarded_investment(amount_requested=Decimal("1500.00"))
    BankDetailsFactory(organisation=investment.application.organisation, verified_at=timezone.now())
    fund = investment.round.fund
    first, second = staff(FundRole.Role.FINANCE, fund), staff(FundRole.Role.FINANCE, fund)
    payment = investment.payments.order_by("number").first()
    today = timezone.localdate()

    def make(person):
        return lambda: payment_runs.create_run(fund=fund, payment_ids=[payment.pk], by=person, today=today)

    results = _at_once(make(first), make(second))
    assert sum(isinstance(result, RuleError) for result in results) == 1, results
    assert PaymentRunLine.objects.filter(payment=payment).count() == 1


def test_two_officers_releasing_one_meeting_at_once_release_it_once(postgres):
    from assessment import meetings
    from assessment.models import PanelMeeting, Review

    fund = fund_with_tiers()
    round = RoundFactory(fund=fund)
    first, second = staff(FundRole.Role.OFFICER, fund), staff(FundRole.Role.OFFICER, fund)
    application = submitted_application(round=round, amount_requested=Decimal("6000.00"))
    assessment.mark_eligible(application=application, by=first)
    for _ in range(application.tier.reviewers_needed):
        Review.objects.create(
            application=application,
            reviewer=UserFactory(),
            status=Review.Status.SUBMITTED,
            recommendation="fund",
        )
    meeting = meetings.save_meeting(
        round=round, by=first, held_on=timezone.localdate(), attendees="", notes=""
    )
    meetings.record_decision(
        meeting=meeting, application=application, by=first, outcome="award", amount=Decimal("6000.00")
    )

    def release(person):
        return lambda: meetings.release(meeting=meeting, by=person, base_url="http://testserver")

    results = _at_once(release(first), release(second))
    assert sum(isinstance(result, RuleError) for result in results) == 1, results
    assert "can no longer change" in str(next(r for r in results if isinstance(r, RuleError)))
    assert Investment.objects.filter(application=application).count() == 1
    assert PanelMeeting.objects.get(pk=meeting.pk).released_at is not None


def test_two_owners_answering_one_offer_at_once_leave_one_answer(postgres):
    from investments.models import Offer
    from investments.services.offers import accept_offer, decline_offer
    from organisations.models import Membership

    owner = UserFactory()
    investment = awarded_investment(member=owner, accepted=False)
    other = UserFactory()
    Membership.objects.create(organisation=investment.application.organisation, user=other, role="owner")
    offer = investment.offer
    results = _at_once(
        lambda: accept_offer(
            offer=offer, by=owner, signed_name="Olive", signed_position="Chair", agreed=True
        ),
        lambda: decline_offer(offer=offer, by=other, reason="We changed our minds"),
    )
    assert sum(isinstance(result, RuleError) for result in results) == 1, results
    offer.refresh_from_db()
    investment.refresh_from_db()
    assert (offer.status == Offer.Status.DECLINED) == (investment.status == Investment.Status.CANCELLED)


def test_a_release_and_an_officer_deciding_alone_at_once_both_go_through(postgres):
    from assessment import meetings
    from tests.factories import CriterionFactory, reviewed

    fund = fund_with_tiers()
    round = RoundFactory(fund=fund)
    CriterionFactory(round=round)
    first, second = staff(FundRole.Role.OFFICER, fund), staff(FundRole.Role.OFFICER, fund)
    in_meeting = [reviewed(round, "6000.00"), reviewed(round, "7000.00")]
    alone = reviewed(round, "5000.00")
    meeting = meetings.save_meeting(
        round=round, by=first, held_on=timezone.localdate(), attendees="", notes=""
    )
    for application in in_meeting:
        meetings.record_decision(
            meeting=meeting,
            application=application,
            by=first,
            outcome="award",
            amount=application.amount_requested,
        )
    results = _at_once(
        lambda: meetings.release(meeting=meeting, by=first, base_url="http://testserver"),
        lambda: assessment.decide(
            application=alone, by=second, outcome="award", amount=Decimal("5000.00"), base_url="http://x"
        ),
    )
    assert not any(isinstance(result, Exception) for result in results), results
    assert Investment.objects.filter(round=round).count() == 3
