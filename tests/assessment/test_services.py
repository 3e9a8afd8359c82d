"""The fund team's and the panel's actions, through the services every page uses."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from applications.models import Application, ApplicationEvent
from assessment import services
from assessment.models import Review
from assessment.selectors import applications_visible_to
from fund.models import Criterion, FundRole
from investments.models import Investment
from kit.errors import RuleError
from tests.factories import TierAllocationFactory, UserFactory, staff, submitted_application

pytestmark = pytest.mark.django_db

URL = "http://testserver"


@pytest.fixture
def officer():
    return UserFactory(full_name="Olivia Officer")


def _start_up(officer, **kwargs) -> Application:
    application = submitted_application(amount_requested=Decimal("5000.00"), **kwargs)
    FundRole.objects.get_or_create(user=officer, fund=application.round.fund, role=FundRole.Role.OFFICER)
    for title, weight in (("Difference for local people", 3), ("Value for money", 1)):
        Criterion.objects.get_or_create(
            round=application.round, title=title, defaults={"weight": Decimal(weight)}
        )
    return application


def _panel(application, count=3):
    return [staff(FundRole.Role.PANEL, application.round.fund, full_name=f"Panel {n}") for n in range(count)]


def _score(review, reviewer, value=4, recommendation="fund", submit=True):
    services.declare_interest(review=review, by=reviewer, conflict=False)
    scores = {score.criterion_id: (value, "") for score in review.scores.all()}
    return services.save_scores(
        review=review, by=reviewer, scores=scores, recommendation=recommendation, comment="", submit=submit
    )


def test_marking_ineligible_ends_it_and_tells_the_group_why(
    officer, tasks, django_capture_on_commit_callbacks
):
    application = _start_up(officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_ineligible(
            application=application, by=officer, reason="The group is outside the borough.", base_url=URL
        )
    application.refresh_from_db()
    assert application.status == Application.Status.INELIGIBLE
    tasks()
    assert "The group is outside the borough." in mail.outbox[-1].body
    assert application.events.last().kind == ApplicationEvent.Kind.INELIGIBLE


def test_only_a_submitted_application_is_checked(officer):
    application = _start_up(officer)
    services.mark_eligible(application=application, by=officer)
    with pytest.raises(RuleError, match="not waiting for a check"):
        services.mark_eligible(application=application, by=officer)


def test_an_officer_of_another_fund_cannot_check_it(officer):
    application = _start_up(officer)
    stranger = staff(FundRole.Role.OFFICER, submitted_application().round.fund)
    with pytest.raises(RuleError, match="Only fund officers of"):
        services.mark_eligible(application=application, by=stranger)


def test_automatic_assignment_balances_load_and_skips_conflicts(officer):
    application = _start_up(officer)
    busy, free_a, free_b = _panel(application)
    services.mark_eligible(application=application, by=officer)
    # busy already has an unfinished review in this round
    other = _start_up(officer, round=application.round)
    services.mark_eligible(application=other, by=officer)
    services.assign_reviewer(application=other, reviewer=busy, by=officer)

    reviews = services.assign_reviewers_automatically(application=application, by=officer)
    assert {review.reviewer for review in reviews} == {free_a, free_b}
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW

    # free_a has a conflict: the application goes to the next person, busy.
    conflicted = application.reviews.get(reviewer=free_a)
    services.declare_interest(
        review=conflicted, by=free_a, conflict=True, reason="I am the group's treasurer."
    )
    assert set(
        application.reviews.exclude(status=Review.Status.CONFLICTED).values_list("reviewer", flat=True)
    ) == {
        free_b.pk,
        busy.pk,
    }
    assert not Review.objects.for_reviewer(free_a).filter(application=application).exists()
    assert not applications_visible_to(free_a).filter(pk=application.pk).exists()
    with pytest.raises(RuleError, match="declared a conflict"):
        services.assign_reviewer(application=application, reviewer=free_a, by=officer)


def test_a_conflict_needs_a_reason(officer):
    application = _start_up(officer)
    [reviewer] = _panel(application, 1)
    services.mark_eligible(application=application, by=officer)
    review = services.assign_reviewer(application=application, reviewer=reviewer, by=officer)
    with pytest.raises(RuleError) as error:
        services.declare_interest(review=review, by=reviewer, conflict=True, reason=" ")
    assert error.value.message_dict == {"reason": ["Say what the conflict of interest is"]}


def test_scores_save_as_drafts_are_checked_on_submit_and_lock_until_reopened(officer):
    application = _start_up(officer)
    [reviewer] = _panel(application, 1)
    services.mark_eligible(application=application, by=officer)
    review = services.assign_reviewer(application=application, reviewer=reviewer, by=officer)
    services.declare_interest(review=review, by=reviewer, conflict=False)
    first, second = review.scores.order_by("criterion__position", "criterion__pk")

    services.save_scores(
        review=review,
        by=reviewer,
        scores={first.criterion_id: (4, "Strong")},
        recommendation="",
        comment="",
        submit=False,
    )
    with pytest.raises(RuleError) as error:
        services.save_scores(
            review=review,
            by=reviewer,
            scores={first.criterion_id: (9, "")},
            recommendation="",
            comment="",
            submit=True,
        )
    assert error.value.message_dict == {
        f"score_{first.criterion_id}": ["Score ‘Difference for local people’ from 0 to 5"],
        f"score_{second.criterion_id}": ["Score ‘Value for money’ before submitting"],
        "recommendation": ["Choose your recommendation before submitting"],
    }
    services.save_scores(
        review=review,
        by=reviewer,
        scores={first.criterion_id: (4, ""), second.criterion_id: (2, "")},
        recommendation="conditions",
        comment="Needs a partner",
        submit=True,
    )
    with pytest.raises(RuleError, match="locked"):
        _score_again = services.save_scores(
            review=review, by=reviewer, scores={}, recommendation="fund", comment="", submit=False
        )
    services.reopen_review(review=review, by=officer, reason="Scored the wrong application")
    review.refresh_from_db()
    assert review.status == Review.Status.IN_PROGRESS
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds[-2:] == [ApplicationEvent.Kind.SCORES_SUBMITTED, ApplicationEvent.Kind.REVIEW_REOPENED]


def test_a_panel_tier_waits_for_its_reviews_before_a_decision(officer):
    application = _start_up(officer)
    first, second = _panel(application, 2)
    services.mark_eligible(application=application, by=officer)
    services.assign_reviewers_automatically(application=application, by=officer)
    _score(application.reviews.get(reviewer=first), first)
    application.refresh_from_db()
    assert services.decision_problems(application) == [
        "Start-up applications need 2 panel reviews before a decision: 1 of 2 is submitted."
    ]
    _score(application.reviews.get(reviewer=second), second)
    assert services.decision_problems(application) == []


def test_an_award_creates_the_investment_with_its_payments_and_tells_the_group(
    officer, tasks, django_capture_on_commit_callbacks
):
    application = _start_up(officer)
    first, second = _panel(application, 2)
    services.mark_eligible(application=application, by=officer)
    services.assign_reviewers_automatically(application=application, by=officer)
    for reviewer in (first, second):
        _score(application.reviews.get(reviewer=reviewer), reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            application=application,
            by=officer,
            outcome="award",
            amount=Decimal("4500.00"),
            start_date=date(2027, 1, 1),
            conditions="Work with the library.",
            partnership_required=True,
            base_url=URL,
        )
    investment = Investment.objects.get()
    assert investment.amount == Decimal("4500.00")
    assert [(p.due_date, p.amount) for p in investment.payments.all()] == [
        (date(2027, 1, 1), Decimal("2250.00")),
        (date(2027, 7, 1), Decimal("2250.00")),
    ]
    assert "partnership" in investment.conditions
    application.refresh_from_db()
    assert application.status == Application.Status.AWARDED
    tasks()
    assert "we are offering to invest £4,500 in your project" in mail.outbox[-1].body


def test_an_award_over_the_amount_asked_or_the_budget_is_refused(officer):
    application = _start_up(officer)
    application.tier.decision_route = "officer"
    application.tier.save()
    services.mark_eligible(application=application, by=officer)
    with pytest.raises(RuleError) as error:
        services.decide(
            application=application, by=officer, outcome="award", amount=Decimal("5000.01"), base_url=URL
        )
    assert error.value.message_dict["amount"] == ["The award cannot be more than the £5,000 asked for"]

    TierAllocationFactory(round=application.round, tier=application.tier, amount=Decimal("4000.00"))
    with pytest.raises(RuleError) as error:
        services.decide(
            application=application, by=officer, outcome="award", amount=Decimal("4500"), base_url=URL
        )
    assert "over the £4,000 set aside for them: £4,000 is left" in error.value.message_dict["amount"][0]
    assert not Investment.objects.exists()


def test_a_small_application_is_decided_by_an_officer_without_a_panel(officer):
    application = submitted_application(amount_requested=Decimal("1500.00"))
    FundRole.objects.create(user=officer, fund=application.round.fund, role=FundRole.Role.OFFICER)
    services.mark_eligible(application=application, by=officer)
    with pytest.raises(RuleError, match="decided by an officer, without a panel"):
        services.assign_reviewer(application=application, reviewer=officer, by=officer)
    services.decide(
        application=application, by=officer, outcome="award", amount=Decimal("1500.00"), base_url=URL
    )
    assert application.investment.payments.count() == 1


def test_declining_needs_feedback_and_deferring_sends_it_back(officer):
    application = _start_up(officer)
    application.tier.decision_route = "officer"
    application.tier.save()
    services.mark_eligible(application=application, by=officer)
    with pytest.raises(RuleError) as error:
        services.decide(application=application, by=officer, outcome="decline", base_url=URL)
    assert error.value.message_dict == {"feedback": ["Write the feedback the group will read"]}
    services.decide(
        application=application,
        by=officer,
        outcome="defer",
        feedback="Send your latest accounts.",
        base_url=URL,
    )
    application.refresh_from_db()
    assert application.status == Application.Status.DEFERRED
    assert application.information_requested == "Send your latest accounts."
    assert application.is_editable
