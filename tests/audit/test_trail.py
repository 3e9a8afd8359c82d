"""The audit trail: changes recorded with before and after, read by the fund's staff only,
and changed or removed by nobody."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from assessment import services as assessment
from assessment.models import Score
from fund.models import FundRole
from investments.models import Investment, Payment
from investments.services.payments import record_payment
from kit.pagination import PER_PAGE
from reporting.models import OutcomeRecord
from tests.factories import (
    CriterionFactory,
    UserFactory,
    awarded_investment,
    financial_proxy,
    outcome_record,
    staff,
    submitted_application,
)
from tests.support.downloads import body_text

pytestmark = pytest.mark.django_db


def _changes(entry) -> dict[str, tuple[str, str]]:
    return {change.field: (change.before, change.after) for change in entry.changes}


def test_an_award_is_recorded_with_who_and_before_and_after(client, django_capture_on_commit_callbacks):
    application = submitted_application(amount_requested=Decimal("1500.00"))
    officer = staff(FundRole.Role.OFFICER, application.round.fund, full_name="Olivia Officer")
    assessment.mark_eligible(application=application, by=officer)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment:decide", args=[application.pk]),
            {
                "outcome": "award",
                "amount": "1500",
                "feedback": "Well done",
                "reason": "Meets every criterion",
            },
        )
    assert response.status_code == 302
    investment = Investment.objects.get(application=application)
    entries = client.get(reverse("audit:history", args=["applications", application.pk])).context["entries"]
    decision = next(e for e in entries if e.what == "Decision" and e.action == "Created")
    assert decision.who == "Olivia Officer"
    assert _changes(decision)["outcome"] == ("", "Award")
    status = [_changes(e)["status"] for e in entries if e.what == "Application" and "status" in _changes(e)]
    assert ("Eligible", "Awarded") in status
    investment_history = client.get(reverse("audit:history", args=["investments", investment.pk]))
    created = next(
        e for e in investment_history.context["entries"] if e.what == "Investment" and e.action == "Created"
    )
    assert _changes(created)["amount (£)"] == ("", "£1,500")
    assert created.who == "Olivia Officer"


def test_a_changed_score_shows_the_old_and_new_value(client):
    application = submitted_application(amount_requested=Decimal("5000.00"))
    fund = application.round.fund
    officer = staff(FundRole.Role.OFFICER, fund)
    reviewer = staff(FundRole.Role.PANEL, fund)
    criterion = CriterionFactory(round=application.round)
    assessment.mark_eligible(application=application, by=officer)
    review = assessment.assign_reviewer(application=application, reviewer=reviewer, by=officer)
    assessment.declare_interest(review=review, by=reviewer, conflict=False)
    for value, note in ((3, "Good"), (5, "Better than I thought")):
        assessment.save_scores(
            review=review,
            by=reviewer,
            scores={criterion.pk: (value, note)},
            recommendation="",
            comment="",
            submit=False,
        )
    client.force_login(officer)
    entries = client.get(reverse("audit:history", args=["applications", application.pk])).context["entries"]
    changed = next(e for e in entries if e.what == "Score" and e.action == "Changed")
    assert _changes(changed)["score"] == ("3", "5")


def test_a_payment_is_recorded(client):
    investment = awarded_investment()
    fund = investment.round.fund
    finance = staff(FundRole.Role.FINANCE, fund)
    payment = investment.payments.order_by("number").first()
    Payment.objects.filter(pk=payment.pk).update(release_conditions=[])
    payment.refresh_from_db()
    record_payment(
        payment=payment, by=finance, paid_on=timezone.localdate(), amount=payment.amount, reference="BACS-1"
    )
    client.force_login(finance)
    entries = client.get(reverse("audit:history", args=["investments", investment.pk])).context["entries"]
    paid = next(e for e in entries if e.what == "Payment" and "status" in _changes(e))
    assert _changes(paid)["status"] == ("Not paid yet", "Paid")
    entry = next(e for e in entries if e.what == "Payment entry")
    assert entry.action == "Created"
    assert _changes(entry)["payment reference"] == ("", "BACS-1")
    assert entry.who == finance.get_full_name()


def test_a_removed_outcome_record_stays_in_the_trail(client):
    investment = awarded_investment()
    record = outcome_record(investment, financial_proxy(investment.round.fund), "4")
    record.delete()
    client.force_login(staff(FundRole.Role.FINANCE, investment.round.fund))
    entries = client.get(reverse("audit:history", args=["investments", investment.pk])).context["entries"]
    assert [e.action for e in entries if e.what == "Outcome record"] == ["Deleted", "Created"]
    assert not OutcomeRecord.objects.exists()


def test_the_log_for_a_period_downloads_as_a_spreadsheet(client):
    investment = awarded_investment()
    fund = investment.round.fund
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    today = timezone.localdate()
    assert investment.payments.exists()
    period = {
        "start_0": today.day,
        "start_1": today.month,
        "start_2": today.year,
        "end_0": today.day,
        "end_1": today.month,
        "end_2": today.year,
    }
    response = client.get(reverse("audit:log"), period)
    rows = list(csv.DictReader(io.StringIO(body_text(response))))
    assert {row["What"] for row in rows} >= {"Application", "Decision", "Investment", "Payment"}
    assert any(row["Field"] == "status" and row["After"] == "Awarded" for row in rows)
    earlier = today - timedelta(days=10)
    old = {
        **period,
        "end_0": earlier.day,
        "end_1": earlier.month,
        "end_2": earlier.year,
        "start_0": earlier.day,
        "start_1": earlier.month,
        "start_2": earlier.year,
    }
    assert len(list(csv.reader(io.StringIO(body_text(client.get(reverse("audit:log"), old)))))) == 1
    wrong = client.get(reverse("audit:log"), {**period, "end_2": today.year - 1})
    assert wrong.status_code == 400
    assert "The end of the period must be on or after its start" in wrong.content.decode()


def test_only_the_funds_officers_and_finance_read_it_and_nobody_can_change_it(client):
    investment = awarded_investment()
    fund = investment.round.fund
    urls = [
        reverse("audit:history", args=["applications", investment.application.pk]),
        reverse("audit:history", args=["investments", investment.pk]),
    ]
    client.force_login(staff(FundRole.Role.OFFICER, fund))
    assert [client.get(url).status_code for url in urls] == [200, 200]
    for url in [*urls, reverse("audit:log")]:
        assert client.post(url).status_code == 405
        assert client.delete(url).status_code == 405
    for outsider in (
        UserFactory(),
        investment.application.organisation.memberships.first().user,
        staff(FundRole.Role.PANEL, fund),
        staff(FundRole.Role.OFFICER, awarded_investment().round.fund),
    ):
        client.force_login(outsider)
        assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(UserFactory())
    assert client.get(reverse("audit:log")).status_code == 404
    # The admin offers no way to edit the copies either.
    historical = [Application.history.model, Score.history.model, Investment.history.model]
    assert not any(model in admin.site._registry for model in historical)


def test_a_draft_is_as_hidden_in_the_audit_trail_as_on_the_staff_page(client):
    from applications.services.applying import submit_application
    from tests.factories import ApplicationFactory, OrganisationFactory, ready_to_submit

    member = UserFactory()
    draft = ApplicationFactory(title="Our secret draft", organisation=OrganisationFactory(members=[member]))
    fund = draft.round.fund
    officer, finance = staff(FundRole.Role.OFFICER, fund), staff(FundRole.Role.FINANCE, fund)
    history = reverse("audit:history", args=["applications", draft.pk])
    client.force_login(officer)
    assert client.get(reverse("assessment:staff_application", args=[draft.pk])).status_code == 404
    for person in (officer, finance):
        client.force_login(person)
        response = client.get(history)
        assert response.status_code == 404
        assert "Our secret draft" not in response.content.decode()
    # Once sent, both find it.
    submit_application(application=ready_to_submit(draft), by=member, base_url="http://testserver")
    for person in (officer, finance):
        client.force_login(person)
        assert client.get(history).status_code == 200
    client.force_login(officer)
    assert client.get(reverse("assessment:staff_application", args=[draft.pk])).status_code == 200


def test_a_draft_withdrawn_before_it_was_sent_stays_hidden_and_out_of_the_log(client):
    from applications.services.applying import withdraw_application
    from tests.factories import ApplicationFactory, OrganisationFactory

    member = UserFactory()
    draft = ApplicationFactory(title="Secret draft idea", organisation=OrganisationFactory(members=[member]))
    withdraw_application(application=draft, by=member)
    officer = staff(FundRole.Role.OFFICER, draft.round.fund)
    client.force_login(officer)
    assert client.get(reverse("assessment:staff_application", args=[draft.pk])).status_code == 404
    assert client.get(reverse("audit:history", args=["applications", draft.pk])).status_code == 404
    rounds = client.get(reverse("assessment:staff_round_applications", args=[draft.round.pk]))
    assert "Secret draft idea" not in rounds.content.decode()
    today = timezone.localdate()
    log = client.get(
        reverse("audit:log"),
        {
            "start_0": today.day,
            "start_1": today.month,
            "start_2": today.year,
            "end_0": today.day,
            "end_1": today.month,
            "end_2": today.year,
        },
    )
    assert "Secret draft idea" not in body_text(log)


def test_the_trail_shows_money_in_pounds_and_times_as_people_read_them(client):
    investment = awarded_investment(amount_requested=Decimal("7396.50"))
    client.force_login(staff(FundRole.Role.FINANCE, investment.round.fund))
    entries = client.get(reverse("audit:history", args=["investments", investment.pk])).context["entries"]
    created = next(e for e in entries if e.what == "Investment" and e.action == "Created")
    changes = _changes(created)
    assert changes["amount (£)"] == ("", "£7,396.50")
    assert changes["created at"][1].endswith(f"{timezone.localtime(investment.created_at):%H:%M}")
    assert "+00:00" not in changes["created at"][1]


def test_a_long_history_is_shown_a_page_of_changes_at_a_time(client):
    investment = awarded_investment()
    fund = investment.round.fund
    proxy = financial_proxy(fund)
    for _ in range(55):
        outcome_record(investment, proxy)
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    url = reverse("audit:history", args=["investments", investment.pk])
    first = client.get(url)
    total = first.context["page"].paginator.count
    assert total > 55
    assert len(first.context["entries"].object_list) == PER_PAGE
    page = first.content.decode()
    assert f"Showing 1 to {PER_PAGE} of {total} changes" in page
    assert 'aria-label="Pages of changes"' in page
    second = client.get(url, {"page": 2}).content.decode()
    assert f"Showing {PER_PAGE + 1} to {min(2 * PER_PAGE, total)} of {total} changes" in second
