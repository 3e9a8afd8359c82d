"""Group A's people find nothing of group B: by address, or by changing ids in a form."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, BudgetLine, Goal
from assessment.selectors import applications_visible_to
from fund.models import FundRole
from tests.factories import (
    ApplicationFactory,
    BudgetLineFactory,
    DocumentFactory,
    GoalFactory,
    MembershipFactory,
    QuestionFactory,
    QuestionSectionFactory,
    UserFactory,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_of_a(client):
    person = UserFactory()
    MembershipFactory(user=person)
    client.force_login(person)
    return person


@pytest.fixture
def group_b():
    application = ApplicationFactory(title="Group B's secret plan")
    goal = GoalFactory(application=application)
    line = BudgetLineFactory(application=application)
    document = DocumentFactory(application=application)
    return application, goal, line, document


def test_member_of_one_group_gets_404_for_another_groups_pages(client, member_of_a, group_b):
    application, goal, line, document = group_b
    organisation = application.organisation
    pk = application.pk
    section = QuestionSectionFactory(round=application.round)
    QuestionFactory(section=section, kind="yes_no", stopping_answers=["No"], stop_reason="Not here")
    for url in (
        reverse("applications:organisation_detail", args=[organisation.pk]),
        reverse("organisations:organisation_edit", args=[organisation.pk]),
        reverse("organisations:invite", args=[organisation.pk]),
        reverse("applications:start", args=[organisation.pk]),
        reverse("applications:application_detail", args=[pk]),
        reverse("applications:change_amount", args=[pk]),
        reverse("applications:section_organisation", args=[pk]),
        reverse("applications:section_idea", args=[pk]),
        reverse("applications:item_section", args=[pk, "goals"]),
        reverse("applications:item_edit", args=[pk, "goals", goal.pk]),
        reverse("applications:item_remove", args=[pk, "budget", line.pk]),
        reverse("applications:section_documents", args=[pk]),
        reverse("assessment:document_download", args=[pk, document.pk]),
        reverse("applications:document_remove", args=[pk, document.pk]),
        reverse("applications:section_declaration", args=[pk]),
        reverse("applications:check_answers", args=[pk]),
        reverse("applications:withdraw", args=[pk]),
        reverse("applications:section_goals", args=[pk]),
        reverse("applications:section_budget", args=[pk]),
        reverse("applications:section_questions", args=[pk, section.pk]),
        reverse("applications:stopped", args=[pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Group B" not in response.content.decode()
    for url in (
        reverse("applications:withdraw", args=[pk]),
        reverse("applications:check_answers", args=[pk]),
        reverse("applications:item_remove", args=[pk, "budget", line.pk]),
        reverse("applications:section_goals", args=[pk]),
        reverse("applications:section_budget", args=[pk]),
        reverse("applications:section_questions", args=[pk, section.pk]),
    ):
        assert client.post(url, {"confirm": "yes", "completed": "no"}).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_an_item_of_another_application_cannot_be_reached_through_ones_own(client, member_of_a, group_b):
    _, goal, line, document = group_b
    own = ApplicationFactory(organisation=member_of_a.memberships.get().organisation)
    for url in (
        reverse("applications:item_edit", args=[own.pk, "goals", goal.pk]),
        reverse("applications:item_remove", args=[own.pk, "budget", line.pk]),
        reverse("assessment:document_download", args=[own.pk, document.pk]),
        reverse("applications:document_remove", args=[own.pk, document.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("applications:item_edit", args=[own.pk, "goals", goal.pk]), {"description": "Taken over"}
    )
    assert response.status_code == 404
    assert Goal.objects.get(pk=goal.pk).description != "Taken over"


def test_tampered_ids_in_forms_reach_nothing_of_another_group(client, member_of_a, group_b):
    other_application, *_ = group_b
    own_group = member_of_a.memberships.get().organisation
    # Starting an application is for the group in the address: another group's id is not found.
    response = client.post(
        reverse("applications:start", args=[other_application.organisation.pk]),
        {"round": other_application.round.pk, "amount": "1000"},
    )
    assert response.status_code == 404
    # Places and themes from another fund are not choices.
    own = ApplicationFactory(organisation=own_group)
    foreign_place = other_application.round.fund.places.create(name="Elsewhere")
    response = client.post(
        reverse("applications:section_idea", args=[own.pk]),
        {"title": "Ours", "places": [foreign_place.pk], "completed": "no"},
    )
    assert "Choose places from the list" in response.content.decode()
    assert not own.places.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    application = ApplicationFactory()
    for url in (
        reverse("applications:applicant_home"),
        reverse("organisations:organisation_create"),
        reverse("applications:organisation_detail", args=[application.organisation.pk]),
        reverse("applications:application_detail", args=[application.pk]),
        reverse("applications:section_idea", args=[application.pk]),
        reverse("applications:check_answers", args=[application.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login")), url


def test_fund_officers_see_submitted_applications_of_their_fund_only(client):
    draft = ApplicationFactory()
    submitted = ApplicationFactory(
        status=Application.Status.SUBMITTED, reference="CIF-2026-00001", submitted_at=timezone.now()
    )
    document = DocumentFactory(application=submitted)
    officer = staff(FundRole.Role.OFFICER, submitted.round.fund)
    client.force_login(officer)
    assert (
        client.get(reverse("assessment:document_download", args=[submitted.pk, document.pk])).status_code
        == 200
    )
    assert applications_visible_to(officer).filter(pk=draft.pk).exists() is False


def test_a_section_the_round_does_not_ask_is_not_found(client, member_of_a):
    own = ApplicationFactory(organisation=member_of_a.memberships.get().organisation)
    elsewhere = QuestionSectionFactory()
    QuestionFactory(section=elsewhere)
    big = QuestionSectionFactory(round=own.round)
    QuestionFactory(section=big).tiers.set([own.round.fund.tiers.get(name="Big idea")])
    for section in (elsewhere, big):
        url = reverse("applications:section_questions", args=[own.pk, section.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"completed": "no"}).status_code == 404


def test_a_sent_applications_questions_cannot_be_changed(client, member_of_a):
    from tests.factories import submitted_application

    sent = submitted_application(member=member_of_a, organisation=member_of_a.memberships.get().organisation)
    section = QuestionSectionFactory(round=sent.round)
    question = QuestionFactory(section=section)
    url = reverse("applications:section_questions", args=[sent.pk, section.pk])
    response = client.post(url, {question.field_name: "Changed after sending", "completed": "yes"})
    assert response.status_code == 302 and response.url == reverse(
        "applications:application_detail", args=[sent.pk]
    )
    assert not sent.question_answers.exists()
