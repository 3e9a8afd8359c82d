"""Spend against the approved budget: a progress update may say what was spent on each line;
the investment pages and the social value figures show budget, paid and reported spend."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fund.models import FundRole
from investments.models import SpendReport
from investments.services.monitoring import submit_update
from tests.factories import UserFactory, awarded_investment, first_update_due_now, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def investment(member):
    return awarded_investment(member=member, start_date=first_update_due_now())


def _post(client, investment, **spent):
    goal = investment.application.goals.current().get()
    line = investment.application.budget_lines.get()
    data = {f"goal_{goal.pk}_status": "on_track", f"spent_{line.pk}": spent.get("amount", "")}
    return client.post(reverse("investments:update_form", args=[investment.pk, 1]), data)


def test_a_group_reports_what_it_spent_and_everyone_sees_it_beside_the_budget(client, investment, member):
    client.force_login(member)
    line = investment.application.budget_lines.get()
    page = client.get(reverse("investments:update_form", args=[investment.pk, 1])).content.decode()
    assert "What you spent (optional)" in page and line.item in page
    assert _post(client, investment, amount="£1,200.50").status_code == 302
    assert SpendReport.objects.get().amount == Decimal("1200.50")
    group_page = client.get(reverse("investments:investment", args=[investment.pk])).content.decode()
    assert "Reported spent" in group_page and "£0" in group_page  # a draft counts for nothing yet

    submit_update(update=investment.updates.get(number=1), by=member)
    group_page = client.get(reverse("investments:investment", args=[investment.pk])).content.decode()
    assert "£1,200.50" in group_page
    officer = investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user
    client.force_login(officer)
    page = client.get(reverse("investments:oversight_investment", args=[investment.pk])).content.decode()
    assert "Budget and spending" in page and "£1,200.50" in page
    client.force_login(staff(FundRole.Role.FINANCE, investment.round.fund))
    sroi = client.get(reverse("reporting:sroi", args=[investment.round.fund.slug])).content.decode()
    assert "£1,200.50 reported spent by the groups" in sroi


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("lots", "Enter the amount spent on"),
        ("-5", "cannot be less than £0"),
        ("12.345", "no more than 2 decimal places"),
        ("1e5", "Enter the amount spent on"),
    ],
)
def test_a_bad_amount_spent_is_refused_and_kept(client, investment, member, typed, message):
    client.force_login(member)
    response = client.post(
        reverse("investments:update_form", args=[investment.pk, 1]),
        {f"spent_{investment.application.budget_lines.get().pk}": typed},
    )
    assert message in response.content.decode() and f'value="{typed}"' in response.content.decode()
    assert not SpendReport.objects.exists()


def test_clearing_an_amount_removes_it(client, investment, member):
    client.force_login(member)
    _post(client, investment, amount="300")
    _post(client, investment, amount="")
    assert not SpendReport.objects.exists()
