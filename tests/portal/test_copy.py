"""Words and numbers as people read them: possessives, plurals, thousands separators, money on
outcomes, the amount a group was awarded, and no offer to start what the rules refuse."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from assessment import services as assessment
from fund.models import FundRole
from investments.models import ProgressUpdate
from kit.errors import RuleError
from kit.words import number, plural, possessive
from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    awarded_investment,
    financial_proxy,
    outcome_record,
    staff,
    submitted_application,
)
from tests.support.downloads import body_text

pytestmark = pytest.mark.django_db


def test_words_for_names_counts_and_numbers():
    assert possessive("Hindley Gardeners") == "Hindley Gardeners'"
    assert possessive("Priya Shah") == "Priya Shah's"
    assert plural(1, "person", "people") == "1 person"
    assert plural(2, "person", "people") == "2 people"
    assert plural(1100, "volunteer hour") == "1,100 volunteer hours"
    assert number(Decimal("1100.0")) == "1,100"
    assert number(Decimal("12.50")) == "12.5"
    assert number(1234567) == "1,234,567"


# --- Possessives -----------------------------------------------------------------------------


def test_a_group_whose_name_ends_in_s_gets_an_apostrophe_not_apostrophe_s(client):
    owner = UserFactory()
    group = OrganisationFactory(name="Hindley Gardeners", members=[owner])
    client.force_login(owner)

    html = client.get(reverse("organisations:organisation_edit", args=[group.pk])).content.decode()

    assert "Change Hindley Gardeners&#x27; details" in html
    assert "Gardeners&#x27;s" not in html


def test_decision_email_names_the_group_with_the_right_possessive(tasks, django_capture_on_commit_callbacks):
    group = OrganisationFactory(name="Leigh Walkers")
    with django_capture_on_commit_callbacks(execute=True):
        awarded_investment(organisation=group)
    tasks()
    body = next(message.body for message in mail.outbox if message.subject.startswith("Decision"))
    assert "Leigh Walkers' application" in body
    assert "Walkers's" not in body


# --- Plurals and counts ------------------------------------------------------------------------


def _start_up_with_panel(count: int) -> tuple[Application, object]:
    application = submitted_application(amount_requested=Decimal("5000.00"))
    officer = staff(FundRole.Role.OFFICER, application.round.fund)
    for n in range(count):
        staff(FundRole.Role.PANEL, application.round.fund, full_name=f"Panel {n}")
    assessment.mark_eligible(application=application, by=officer)
    return application, officer


def test_too_few_panel_members_is_said_in_good_english(settings):
    application, officer = _start_up_with_panel(1)
    with pytest.raises(RuleError) as refused:
        assessment.assign_reviewers_automatically(application=application, by=officer)
    message = " ".join(refused.value.messages)
    assert "needs 2 more reviewers, but the panel has only 1 other person who can review it" in message
    assert "1 more people" not in message


def test_a_decision_waiting_for_one_review_says_is_submitted():
    application, officer = _start_up_with_panel(2)
    assessment.assign_reviewers_automatically(application=application, by=officer)
    review = application.reviews.first()
    assessment.declare_interest(review=review, by=review.reviewer, conflict=False)
    assessment.save_scores(
        review=review,
        by=review.reviewer,
        scores={score.criterion_id: (3, "") for score in review.scores.all()},
        recommendation="fund",
        comment="",
        submit=True,
    )
    application.refresh_from_db()
    assert assessment.decision_problems(application) == [
        "Start-up applications need 2 panel reviews before a decision: 1 of 2 is submitted."
    ]


def test_declining_tells_the_officer_in_words(client):
    application = submitted_application(amount_requested=Decimal("1500.00"))
    officer = staff(FundRole.Role.OFFICER, application.round.fund)
    assessment.mark_eligible(application=application, by=officer)
    client.force_login(officer)

    response = client.post(
        reverse("assessment:decide", args=[application.pk]),
        {"outcome": "decline", "feedback": "The panel funded projects closer to the round's aims."},
        follow=True,
    )

    html = response.content.decode()
    assert f"{application.reference}: declined. The group has been told." in html
    assert ": decline." not in html


def test_large_numbers_have_thousands_separators_on_the_social_value_page(client):
    investment = awarded_investment()
    fund = investment.round.fund
    update = investment.updates.order_by("number").first()
    ProgressUpdate.objects.filter(pk=update.pk).update(
        status=ProgressUpdate.Status.SUBMITTED,
        submitted_at=timezone.now(),
        people_reached=1234,
        volunteer_hours=Decimal("1100.0"),
    )
    client.force_login(staff(FundRole.Role.FINANCE, fund))

    html = client.get(reverse("reporting:sroi", args=[fund.slug])).content.decode()

    assert "1,234, with 1,100 volunteer hours, as the groups reported" in html
    assert "1100" not in html


# --- The social value CSV ------------------------------------------------------------------------


def test_the_social_value_csv_has_no_stray_apostrophes_but_still_guards_formulas(client):
    investment = awarded_investment(organisation=OrganisationFactory(name="=HYPERLINK(evil)"))
    fund = investment.round.fund
    client.force_login(staff(FundRole.Role.FINANCE, fund))

    response = client.get(reverse("reporting:sroi_csv", args=[fund.slug]))
    rows = list(csv.reader(io.StringIO(body_text(response))))

    total = rows[1]
    assert total[:4] == ["Total", "All investments", "", "1"]
    assert "'" not in "".join(cell for row in rows[1:-1] for cell in row)
    assert rows[-1][1] == "'=HYPERLINK(evil)"
    assert rows[-1][4] == "5000.00"


# --- Outcomes with their value -------------------------------------------------------------------


def test_each_recorded_outcome_shows_its_value_in_pounds(client):
    investment = awarded_investment()
    fund = investment.round.fund
    proxy = financial_proxy(fund, name="Volunteer hour", value="19.00")
    outcome_record(investment, proxy, quantity="10")
    client.force_login(staff(FundRole.Role.FINANCE, fund))

    html = client.get(reverse("reporting:outcomes", args=[investment.pk])).content.decode()

    # 10 hours at £19, for one year, discounted at 3.5%: 190 / 1.035 = £183.57.
    assert (
        '<dt class="govuk-summary-list__key">Value</dt><dd class="govuk-summary-list__value">£183.57' in html
    )
    assert "Together the outcomes below are worth <strong>£183.57</strong>" in html


# --- The group's own list ------------------------------------------------------------------------


def test_the_groups_list_shows_the_amount_awarded_and_the_amount_asked(client):
    member = UserFactory()
    group = OrganisationFactory(members=[member])
    investment = awarded_investment(member=member, organisation=group, amount_requested=Decimal("5000.00"))
    investment.amount = Decimal("4500.00")
    investment.save(update_fields=["amount"])
    ApplicationFactory(
        organisation=group,
        amount_requested=Decimal("1500.00"),
        round=RoundFactory(fund=investment.round.fund),
    )
    client.force_login(member)

    html = client.get(reverse("applications:applicant_home")).content.decode()

    assert "£4,500 awarded" in html
    assert "You asked for £5,000" in html
    assert "£1,500 asked for" in html


# --- Starting an application ---------------------------------------------------------------------


def test_a_group_with_its_one_application_in_the_round_is_not_offered_to_start_another(client):
    member = UserFactory()
    group = OrganisationFactory(name="Hindley Gardeners", members=[member])
    application = ApplicationFactory(organisation=group)
    round = application.round
    client.force_login(member)

    home = client.get(reverse("applications:applicant_home")).content.decode()
    assert reverse("applications:start", args=[group.pk]) not in home
    assert f"already applying in {round.name}" in home

    detail = client.get(reverse("applications:organisation_detail", args=[group.pk])).content.decode()
    assert "Start an application" not in detail
    assert f"Hindley Gardeners already has an application in {round.name}" in detail

    start = client.get(reverse("applications:start", args=[group.pk])).content.decode()
    assert "already has an application in every round open now" in start
    assert 'name="amount"' not in start

    # Withdrawn, it no longer counts: the group may start again.
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    home = client.get(reverse("applications:applicant_home")).content.decode()
    assert reverse("applications:start", args=[group.pk]) in home


def test_another_open_round_is_still_offered(client):
    member = UserFactory()
    group = OrganisationFactory(members=[member])
    application = ApplicationFactory(organisation=group)
    other = RoundFactory(
        fund=application.round.fund, name="Round 2: winter", closes_at=timezone.now() + timedelta(days=60)
    )
    client.force_login(member)

    home = client.get(reverse("applications:applicant_home")).content.decode()
    assert reverse("applications:start", args=[group.pk]) in home

    start = client.get(reverse("applications:start", args=[group.pk])).content.decode()
    assert "Round 2: winter" in start
    assert f'value="{application.round.pk}"' not in start
    assert f'value="{other.pk}"' in start
