"""Every staff page not already walked by a journey, opened in Chromium and checked by axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Answer
from assessment import services as assessment
from audit.models import AuditExport
from fund.models import FundRole
from mentoring.models import MentorProfile
from mentoring.services import add_note, assign_mentor, raise_concern
from privacy.views import confirm_url
from tests.factories import (
    ApplicationFactory,
    BankDetailsFactory,
    CriterionFactory,
    GoalChangeFactory,
    LibraryQuestionFactory,
    PanelMeetingFactory,
    PaymentRunFactory,
    QuestionSectionFactory,
    RoundFactory,
    UserFactory,
    awarded_investment,
    question_of_each_kind,
    staff,
    submitted_application,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_pages_have_no_wcag_violations(person, assert_accessible):
    member = UserFactory()
    investment = awarded_investment(member=member)
    fund = investment.round.fund
    officer = fund.roles.get(role=FundRole.Role.OFFICER).user
    CriterionFactory(round=investment.round)
    in_review = submitted_application(round=investment.round, amount_requested=investment.amount)
    assessment.mark_eligible(application=in_review, by=officer)
    mentor = staff(FundRole.Role.MENTOR, fund)
    MentorProfile.objects.create(user=mentor)
    assign_mentor(investment=investment, mentor=mentor, by=officer)
    add_note(investment=investment, by=mentor, text="Met the treasurer.", visibility="private")
    raise_concern(investment=investment, by=mentor, text="Accounts are late.")
    round_pk, application = investment.round.pk, investment.application
    meeting = PanelMeetingFactory(round=investment.round, created_by=officer)
    change = GoalChangeFactory(investment=investment, goal=application.goals.current().get())
    # The round's own questions, one of each kind, one stopping an application, one in the library.
    section = QuestionSectionFactory(round=investment.round, title="Your venue")
    questions = question_of_each_kind(section)
    questions["yes_no"].stopping_answers, questions["yes_no"].stop_reason = ["No"], "This fund is for Wigan."
    questions["yes_no"].save()
    LibraryQuestionFactory(fund=fund)
    BankDetailsFactory(organisation=application.organisation)
    run = PaymentRunFactory(fund=fund)
    # The log page lists the long logs made for the officer: one ready, one waiting, one failed.
    today = timezone.localdate()
    for status in ("ready", "requested", "failed"):
        export = AuditExport.objects.create(
            requested_by=officer,
            start=today - timedelta(days=365),
            end=today,
            status=status,
            rows=12 if status == "ready" else None,
            error="The storage could not be reached." if status == "failed" else "",
            finished_at=None if status == "requested" else timezone.now(),
        )
        export.funds.add(fund)

    pages = {
        officer: [
            "/home/",
            "/notifications/",
            "/notifications/choices/",
            f"/applications/{in_review.pk}/messages/",
            "/manage/messages/",
            f"/manage/investments/{investment.pk}/conditions/add/",
            f"/manage/investments/{investment.pk}/goal-changes/{change.pk}/",
            "/manage/",
            f"/manage/funds/{fund.slug}/",
            f"/manage/rounds/{round_pk}/",
            f"/manage/rounds/{round_pk}/edit/",
            f"/manage/rounds/{round_pk}/criteria/new/",
            f"/manage/rounds/{round_pk}/questions/",
            f"/manage/rounds/{round_pk}/questions/sections/new/",
            f"/manage/rounds/{round_pk}/questions/copy/",
            f"/manage/question-sections/{section.pk}/",
            f"/manage/question-sections/{section.pk}/remove/",
            f"/manage/question-sections/{section.pk}/preview/",
            f"/manage/question-sections/{section.pk}/questions/new/",
            *(f"/manage/question-sections/{section.pk}/questions/new/{kind}/" for kind in questions),
            f"/manage/question-sections/{section.pk}/library/",
            f"/manage/questions/{questions['one_of'].pk}/",
            f"/manage/questions/{questions['one_of'].pk}/new-version/",
            f"/manage/questions/{questions['one_of'].pk}/remove/",
            f"/manage/funds/{fund.slug}/question-library/",
            "/manage/applications/?sort=-amount",
            f"/manage/rounds/{round_pk}/applications/",
            f"/manage/rounds/{round_pk}/panel/",
            f"/manage/rounds/{round_pk}/meetings/",
            f"/manage/rounds/{round_pk}/meetings/new/",
            f"/manage/meetings/{meeting.pk}/",
            f"/manage/meetings/{meeting.pk}/details/",
            f"/manage/meetings/{meeting.pk}/applications/{in_review.pk}/",
            f"/manage/meetings/{meeting.pk}/release/",
            f"/manage/funds/{fund.slug}/settings/",
            f"/manage/applications/{in_review.pk}/",
            f"/manage/applications/{application.pk}/versions/1/",
            "/manage/investments/",
            f"/manage/investments/{investment.pk}/",
            f"/manage/investments/{investment.pk}/mentor/",
            f"/manage/investments/{investment.pk}/concerns/{investment.concerns.get().pk}/resolve/",
            f"/finance/funds/{fund.slug}/social-value/",
            f"/finance/investments/{investment.pk}/outcomes/",
            f"/finance/investments/{investment.pk}/outcomes/add/",
            f"/audit/investments/{investment.pk}/",
            f"/audit/applications/{application.pk}/",
            "/audit/",
            f"/manage/funds/{fund.slug}/team/",
            f"/manage/funds/{fund.slug}/team/people/{mentor.pk}/",
            f"/manage/funds/{fund.slug}/team/left-in-hand/",
            "/privacy/erasure/",
            confirm_url(member),
        ],
        mentor: ["/home/", "/mentoring/", f"/mentoring/investments/{investment.pk}/"],
        staff(FundRole.Role.FINANCE, fund): [
            "/home/",
            "/finance/",
            f"/manage/payments/investments/{investment.pk}/",
            f"/manage/payments/investments/{investment.pk}/bank-details/",
            f"/finance/funds/{fund.slug}/payment-runs/",
            f"/finance/funds/{fund.slug}/payment-runs/new/",
            f"/finance/payment-runs/{run.pk}/",
            f"/finance/funds/{fund.slug}/proxies/add/",
        ],
        staff(FundRole.Role.PANEL, fund): ["/home/", "/panel/"],
    }
    for user, urls in pages.items():
        tab = person(user)
        for url in urls:
            response = tab.goto(url)
            assert response.status == 200, url
            expect(tab.get_by_role("heading", level=1)).to_be_visible()
            assert_accessible(tab)


def test_group_pages_have_no_wcag_violations(person, assert_accessible):
    member = UserFactory()
    investment = awarded_investment(member=member)
    group = investment.application.organisation
    draft = submitted_application(member=member)
    writing = ApplicationFactory(organisation=draft.organisation, round=RoundFactory(fund=draft.round.fund))
    section = QuestionSectionFactory(round=writing.round, title="Can you apply?", placement="start")
    kinds = question_of_each_kind(section)
    kinds["yes_no"].stopping_answers, kinds["yes_no"].stop_reason = ["No"], "This fund is for Wigan."
    kinds["yes_no"].save()
    Answer.objects.create(application=writing, question=kinds["yes_no"], value="No")
    goal = investment.application.goals.current().get()
    # One change of goals the fund team did not agree, and one waiting for it.
    GoalChangeFactory(investment=investment, goal=goal, status="objected", objection="Let us talk first.")
    GoalChangeFactory(investment=investment, kind="add", goal=None)
    waiting = awarded_investment(member=member, accepted=False, organisation=group)
    tab = person(member)
    for url in (
        "/home/",
        f"/investments/{waiting.pk}/offer/",
        f"/investments/{investment.pk}/offer/",
        f"/groups/{group.pk}/",
        f"/groups/{group.pk}/edit/",
        f"/groups/{group.pk}/invite/",
        f"/groups/{group.pk}/bank-details/",
        "/groups/new/",
        f"/applications/{draft.pk}/",
        f"/applications/{draft.pk}/withdraw/",
        f"/applications/{writing.pk}/",
        f"/applications/{writing.pk}/questions/{section.pk}/",
        f"/applications/{writing.pk}/cannot-go-on/",
        f"/applications/{writing.pk}/goals/",
        f"/applications/{writing.pk}/budget/",
        f"/applications/{investment.application.pk}/",
        f"/investments/{investment.pk}/goals/",
        f"/investments/{investment.pk}/goals/{goal.pk}/stop/",
        f"/investments/{investment.pk}/goals/add/",
        "/privacy/",
        "/privacy/your-data/",
    ):
        response = tab.goto(url)
        assert response.status == 200, url
        expect(tab.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(tab)


def test_a_long_list_pages_by_keyboard_on_a_phone_without_wcag_violations(person, assert_accessible):
    """Thirty applications: the queue shows twenty-five and a GOV.UK pagination a keyboard reaches."""
    first = submitted_application()
    for _ in range(29):
        submitted_application(round=first.round)
    officer = staff(FundRole.Role.OFFICER, first.round.fund)
    tab = person(officer)
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto("/manage/applications/?sort=reference")
    expect(tab.get_by_text("Showing 1 to 25 of 30 applications")).to_be_visible()
    assert_accessible(tab)
    navigation = tab.get_by_role("navigation", name="Pages of applications")
    next_page = navigation.get_by_role("link", name="Next page")
    next_page.focus()
    tab.keyboard.press("Enter")
    expect(tab.get_by_text("Showing 26 to 30 of 30 applications")).to_be_visible()
    expect(navigation.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(tab)
