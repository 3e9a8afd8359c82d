"""Every text box the forms draw is a GOV.UK text box, numbers included (never type=number)."""

import re

import pytest
from crispy_forms.utils import render_crispy_form

from applications.forms import AmountForm, BudgetLineForm, GoalForm, MatchFundingForm
from fund.forms import CriterionForm, RoundForm
from investments.forms import PaymentForm, UpdateForm
from tests.factories import ApplicationFactory, awarded_investment

pytestmark = pytest.mark.django_db


def _inputs(form) -> list[str]:
    return re.findall(r"<input[^>]*>", render_crispy_form(form))


def _classes(tag: str) -> list[str]:
    found = re.search(r'class="([^"]*)"', tag)
    return found.group(1).split() if found else []


def test_number_and_money_boxes_are_govuk_text_inputs():
    application = ApplicationFactory()
    investment = awarded_investment()
    goal = investment.application.goals.current().get()
    goal.indicator, goal.unit = "People who come each week", "people"
    goal.save()
    forms = [
        PaymentForm(),
        CriterionForm(),
        RoundForm(tiers=list(application.round.fund.tiers.all())),
        AmountForm(),
        BudgetLineForm(application=application),
        MatchFundingForm(application=application),
        GoalForm(application=application),
        UpdateForm(update=investment.updates.first()),
    ]
    boxes = [tag for form in forms for tag in _inputs(form) if 'type="text"' in tag]
    numbers = [tag for tag in boxes if "inputmode=" in tag]
    assert len(numbers) >= 12
    assert all("govuk-input" in _classes(tag) for tag in boxes), [
        t for t in boxes if "govuk-input" not in _classes(t)
    ]
    assert not any('type="number"' in tag for form in forms for tag in _inputs(form))
