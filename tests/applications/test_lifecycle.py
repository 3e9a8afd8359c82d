"""After the first draft: references, sending back and resubmitting, withdrawing."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Application, Document
from applications.services.applying import submit_application
from fund.models import FundRole
from kit.pagination import PER_PAGE
from tests.factories import (
    ApplicationFactory,
    BudgetLineFactory,
    DocumentFactory,
    OrganisationFactory,
    PartnerFactory,
    UserFactory,
    ready_to_submit,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory(full_name="Sam Hughes")


@pytest.fixture
def application(member):
    return ready_to_submit(ApplicationFactory(organisation=OrganisationFactory(members=[member])))


def test_references_count_up_within_a_fund_and_year(member):
    first = ready_to_submit(ApplicationFactory(organisation=OrganisationFactory(members=[member])))
    fund = first.round.fund
    second = ready_to_submit(
        ApplicationFactory(organisation=OrganisationFactory(members=[member]), round=first.round)
    )
    submit_application(application=first, by=member, base_url="http://testserver")
    submit_application(application=second, by=member, base_url="http://testserver")
    first.refresh_from_db()
    second.refresh_from_db()
    year = first.submitted_at.year
    assert first.reference == f"{fund.reference_prefix}-{year}-00001"
    assert second.reference == f"{fund.reference_prefix}-{year}-00002"


def test_sent_back_edited_and_resubmitted_keeps_every_version_for_staff(
    client, application, member, tasks, django_capture_on_commit_callbacks
):
    officer = staff(FundRole.Role.OFFICER, application.round.fund)
    submit_application(application=application, by=member, base_url="http://testserver")
    application.refresh_from_db()
    reference = application.reference

    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment:eligibility", args=[application.pk]),
            {"outcome": "send_back", "message": "How many people came to your last session?"},
        )
    assert response.status_code == 302
    tasks()
    assert mail.outbox[-1].subject == f"More information needed: {reference}"

    client.force_login(member)
    task_list = client.get(reverse("applications:application_detail", args=[application.pk])).content.decode()
    assert "How many people came to your last session?" in task_list
    client.post(
        reverse("applications:section_idea", args=[application.pk]),
        {
            "title": application.title,
            "summary": "Answered, and 40 people came last time",
            "who_it_helps": "Answered",
            "places": [application.places.get().pk],
            "why_it_matters": "Answered",
            "how_people_involved": "Answered",
            "completed": "yes",
        },
    )
    client.post(
        reverse("applications:section_declaration", args=[application.pk]),
        {"confirm": "on", "name": "Sam Hughes"},
    )
    response = client.post(reverse("applications:check_answers", args=[application.pk]))
    assert response["Location"] == reverse("applications:submitted", args=[application.pk])
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.reference == reference  # the same reference throughout

    client.force_login(officer)
    page = client.get(reverse("assessment:staff_application", args=[application.pk])).content.decode()
    assert "Version 1" in page and "Version 2" in page
    first = client.get(
        reverse("assessment:staff_application_version", args=[application.pk, 1])
    ).content.decode()
    latest = client.get(
        reverse("assessment:staff_application_version", args=[application.pk, 2])
    ).content.decode()
    assert "40 people came last time" not in first
    assert "40 people came last time" in latest
    # Version 2 marks what changed since version 1, with what it said before.
    assert latest.count("Changed</strong>") == 1 and "What it said in version 1" in latest
    assert "Changed</strong>" not in first


def test_staff_of_another_fund_and_group_members_cannot_see_the_staff_pages(client, application, member):
    submit_application(application=application, by=member, base_url="http://testserver")
    other_officer = staff(FundRole.Role.OFFICER, ApplicationFactory().round.fund)
    client.force_login(other_officer)
    assert client.get(reverse("assessment:staff_application", args=[application.pk])).status_code == 404
    client.force_login(member)
    assert client.get(reverse("assessment:staff_application", args=[application.pk])).status_code == 403


def test_a_group_withdraws_after_confirming(client, application, member):
    client.force_login(member)
    page = client.get(reverse("applications:withdraw", args=[application.pk])).content.decode()
    assert "Are you sure you want to withdraw this application?" in page
    client.post(reverse("applications:withdraw", args=[application.pk]), {"confirm": "no"})
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    response = client.post(
        reverse("applications:withdraw", args=[application.pk]), {"confirm": "yes"}, follow=True
    )
    assert "has been withdrawn" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    # Withdrawn, the group may start again in the same round.
    response = client.post(
        reverse("applications:start", args=[application.organisation.pk]),
        {"round": application.round.pk, "amount": "900"},
    )
    assert response.status_code == 302


def test_a_decided_application_cannot_be_withdrawn(client, application, member):
    Application.objects.filter(pk=application.pk).update(status=Application.Status.AWARDED)
    client.force_login(member)
    response = client.post(
        reverse("applications:withdraw", args=[application.pk]), {"confirm": "yes"}, follow=True
    )
    assert "can no longer be withdrawn: it is awarded" in response.content.decode()


def test_changing_the_amount_moves_the_application_to_the_tier_it_falls_in(client, application, member):
    client.force_login(member)
    client.post(reverse("applications:change_amount", args=[application.pk]), {"amount": "2000.01"})
    application.refresh_from_db()
    assert application.tier.name == "Start-up"
    assert application.amount_requested == Decimal("2000.01")
    page = client.get(reverse("applications:application_detail", args=[application.pk])).content.decode()
    assert "Match funding and support in kind" in page and "Documents" in page


def test_dashboard_queries_do_not_grow_with_applications(client, member, django_assert_max_num_queries):
    group = OrganisationFactory(members=[member])
    application = ApplicationFactory(organisation=group)
    client.force_login(member)
    with django_assert_max_num_queries(20) as baseline:
        client.get(reverse("applications:applicant_home"))
    for _ in range(49):
        ApplicationFactory(organisation=group, round=application.round, status=Application.Status.SUBMITTED)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("applications:applicant_home"))
    assert response.content.decode().count("/applications/") >= PER_PAGE


def test_budget_page_queries_do_not_grow_with_budget_lines(
    client, application, member, django_assert_max_num_queries
):
    client.force_login(member)
    url = reverse("applications:item_section", args=[application.pk, "budget"])
    with django_assert_max_num_queries(40) as baseline:
        client.get(url)
    for _ in range(50):
        BudgetLineFactory(application=application)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(url)


def test_a_session_that_expires_loses_nothing_already_saved(client, member):
    application = ApplicationFactory(organisation=OrganisationFactory(members=[member]))
    client.force_login(member)
    client.post(
        reverse("applications:section_idea", args=[application.pk]),
        {"title": "Knit and natter", "summary": "Weekly afternoons", "later": "Save and come back later"},
    )
    client.session.flush()  # the session ends, as it does after 8 hours
    idea_url = reverse("applications:section_idea", args=[application.pk])
    assert client.get(idea_url)["Location"].startswith(reverse("account_login"))

    client.force_login(member)
    page = client.get(idea_url).content.decode()
    assert 'value="Knit and natter"' in page
    assert "Weekly afternoons</textarea>" in page


def test_removing_a_partner_removes_its_letter_and_the_stored_file(
    client, member, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(organisation=OrganisationFactory(members=[member]))
    letter = DocumentFactory(application=application, kind=Document.Kind.PARTNER_LETTER)
    partner = PartnerFactory(application=application, letter=letter)
    storage, name = letter.file.storage, letter.file.name
    assert storage.exists(name)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("applications:item_remove", args=[application.pk, "partners", partner.pk]),
            {"confirm": "yes"},
        )
    assert not Document.objects.filter(pk=letter.pk).exists()
    assert not storage.exists(name)
