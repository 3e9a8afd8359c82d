"""Every form a person can reach, given bad answers, answers in the portal's own words.

The test finds every form class in the project's apps (and allauth's forms the portal uses),
builds each one, and sends every field a series of bad answers: nothing, far too much, a huge
number, a negative one, too many decimal places, a line break, a NUL and an escape character.
No message may be one of Django's stock phrases ("This field is required.", "Ensure this value
has at most 10 characters (it has 12).", "Select a valid choice."...), and every one-line text
box must refuse a line break while every multi-line one refuses hidden characters.

A new form fails the test until it is added to ``BUILDERS`` below, so none is missed.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from decimal import Decimal

import django_filters
import pytest
from allauth.account import forms as allauth_account_forms
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import validators
from django.http import QueryDict
from django.utils.functional import Promise

from applications.models import Application
from assessment.models import PanelMeeting, Review, Score
from fund.models import Criterion, FundRole, Round
from investments.models import Investment
from notifications.models import Kind
from tests.factories import (
    CriterionFactory,
    QuestionSectionFactory,
    UserFactory,
    awarded_investment,
    question_of_each_kind,
    staff,
)
from tests.test_architecture import LADDER

pytestmark = pytest.mark.django_db

# Every app of the portal, found from the ladder, so a new app's forms are checked too.
APPS = [app for floor in LADDER for app in floor]
# The admin's forms are Django's own pages for the portal's administrators, in Django's words.
NOT_REACHED_BY_THE_PUBLIC = {"accounts.admin.PersonChangeForm", "accounts.admin.PersonCreationForm"}
# Bases whose subclasses are the forms people see (and are checked).
BASES = {
    "kit.forms.OneAnswerForm",
    "kit.forms.PlainEnglish",
    "kit.forms.PlainForm",
    "kit.forms.PlainModelForm",
}

BAD_ANSWERS = ["", "x" * 6000, "9" * 18, "-1", "1.123", "A\nB", "A\x00B", "A\x1bB"]


def _stock_phrases() -> set[str]:
    """Django's own messages for form fields, validators and passwords, up to their first blank."""
    messages: set[str] = set()
    for module in (forms.fields, forms.models):
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, forms.Field):
                for klass in value.__mro__:
                    messages |= {_text(m) for m in getattr(klass, "default_error_messages", {}).values()}
    for value in vars(validators).values():
        if inspect.isclass(value):
            message = getattr(value, "message", None)
            if isinstance(message, str | Promise):
                messages.add(_text(message))
            if isinstance(getattr(value, "messages", None), dict):
                messages |= {_text(m) for m in value.messages.values()}
    for validator in (
        password_validation.MinimumLengthValidator(),
        password_validation.UserAttributeSimilarityValidator(),
        password_validation.CommonPasswordValidator(),
        password_validation.NumericPasswordValidator(),
    ):
        messages.add(str(validator.get_error_message()))
    phrases = {message.split("%")[0].split("7")[0].strip() for message in messages}
    return {phrase for phrase in phrases if len(phrase) >= 12}


class _Sevens(dict):
    """Fills any placeholder with 7, so a message that counts can be read up to its number."""

    def __missing__(self, key):
        return 7


def _text(message) -> str:
    return str(message) or str(message % _Sevens())


STOCK = _stock_phrases()


def test_the_stock_phrases_are_the_ones_people_complained_about():
    assert {"Ensure this value has at most", "This field is required.", "Select a valid choice."} <= STOCK


# --- Finding and building every form -----------------------------------------------------------


def _project_forms() -> set[type]:
    found: set[type] = set()
    for app in APPS:
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module_info.name or ".management" in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for value in vars(module).values():
                if (
                    inspect.isclass(value)
                    and value.__module__ == module.__name__
                    and (issubclass(value, forms.BaseForm) or issubclass(value, django_filters.FilterSet))
                    and f"{value.__module__}.{value.__qualname__}" not in NOT_REACHED_BY_THE_PUBLIC | BASES
                ):
                    found.add(value)
    return found


def _name(form_class: type) -> str:
    return f"{form_class.__module__}.{form_class.__qualname__}"


@pytest.fixture
def world(rf):
    """One of everything a form can be about."""
    member = UserFactory(full_name="Sam Hughes")
    investment = awarded_investment(member=member)
    application = investment.application
    fund = application.round.fund
    criterion = CriterionFactory(round=application.round)
    reviewer = staff(FundRole.Role.PANEL, fund)
    review = Review.objects.create(application=application, reviewer=reviewer)
    Score.objects.create(review=review, criterion=criterion)
    request = rf.post("/")
    SessionMiddleware(lambda request: None).process_request(request)
    request.user = member
    return {
        "member": member,
        "investment": investment,
        "application": application,
        "fund": fund,
        "review": review,
        "request": request,
        "update": investment.updates.get(number=1),
    }


def _builders(world) -> dict[str, object]:
    """How to make each form, given (data, files). Forms that need nothing are made plainly."""
    from mentoring.services import suggest_mentors

    application: Application = world["application"]
    investment: Investment = world["investment"]
    user = world["member"]
    rounds = Round.objects.all()
    section = QuestionSectionFactory(round=application.round)
    return {
        "questions.forms.AnswerForm": {"questions": list(question_of_each_kind(section).values())},
        "questions.forms.CopyForm": {"rounds": rounds},
        "questions.forms.QuestionForm": {"kind": "one_of", "round": application.round},
        "questions.forms.WordingForm": {"kind": "yes_no"},
        "applications.forms.StartApplicationForm": {"rounds": rounds},
        "applications.forms.IdeaForm": {"application": application},
        "applications.forms.GoalForm": {"application": application},
        "applications.forms.BudgetLineForm": {"application": application},
        "applications.forms.GoalRowForm": {"themes": application.round.fund.themes.all()},
        "applications.forms.BudgetRowForm": {"years": 3},
        "applications.forms.MatchFundingForm": {"application": application},
        "applications.forms.PartnerForm": {"application": application},
        "applications.forms.DocumentForm": {"kinds": ["constitution", "accounts"]},
        "applications.forms.ConfirmForm": {"label": "Are you sure?"},
        "assessment.forms.AssignReviewersForm": {"candidates": type(user).objects.all()},
        "assessment.forms.MeetingDecisionForm": {"later": PanelMeeting.objects.all()},
        "assessment.forms.ScoresForm": {"review": world["review"]},
        "investments.forms.UpdateForm": {"update": world["update"]},
        "investments.forms.ChangeGoalForm": {"application": application},
        "fund.forms.RoundForm": {"tiers": list(world["fund"].tiers.all())},
        "mentoring.forms.AssignMentorForm": {"suggestions": suggest_mentors(investment)},
        "reporting.forms.OutcomeForm": {"investment": investment},
        "reporting.forms.ProxyForm": {"editing": True},
        "assessment.filters.QueueFilter": {"funds": [world["fund"]]},
        "investments.filters.FundInvestmentFilter": {"funds": [world["fund"]]},
        "investments.filters.InvestmentFilter": {"funds": [world["fund"]]},
        "reporting.filters.SroiFilter": {"fund": world["fund"]},
        "team.forms.InviteForm": {"fund": world["fund"]},
        "conversations.forms.MessageForm": {"team": True},
        "investments.forms.EvidenceForm": {},
        "notifications.forms.ChannelsForm": {"current": {kind: "now" for kind in Kind.values}},
        "investments.forms.AskAgainForm": {},
        "investments.forms.ConditionForm": {"payments": list(investment.payments.all())},
        "accounts.forms.LoginForm": {"request": world["request"]},
        "accounts.forms.ReauthenticateForm": {"user": user},
        "accounts.forms.ResetPasswordKeyForm": {"user": user, "temp_key": "key"},
        "accounts.forms.ChangePasswordForm": {"user": user},
        "accounts.forms.SetPasswordForm": {"user": user},
        "accounts.forms.AddEmailForm": {"user": user},
        "accounts.forms.ActivateTOTPForm": {"user": user},
        "accounts.forms.AuthenticateForm": {"user": user},
        "accounts.forms.MFAReauthenticateForm": {"user": user},
    }


def _make(form_class, kwargs, data=None, files=None) -> forms.BaseForm:
    if issubclass(form_class, django_filters.FilterSet):
        return form_class(data=data, **kwargs).form
    return form_class(data=data, files=files, **kwargs)


def _data_for(form: forms.BaseForm, answer: str) -> QueryDict:
    """The same answer in every box of the form, as a browser would send it."""
    data = QueryDict(mutable=True)
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.MultiWidget):
            for suffix in widget.widgets_names:
                data[bound.html_name + suffix] = answer
        elif isinstance(widget, forms.SelectMultiple):
            data.setlist(bound.html_name, [answer])
        else:
            data[bound.html_name] = answer
    return data


def _one_line_text(field: forms.Field) -> bool:
    return (
        type(field.widget) is forms.TextInput
        and isinstance(field, forms.CharField)
        and not isinstance(field, forms.EmailField | forms.URLField)
    )


# Search boxes read, never store: a line break in one finds nothing and harms nothing.
SEARCH_BOXES = {("assessment.filters.QueueFilter", "q")}


def test_every_form_answers_bad_input_in_plain_english(world):
    builders = _builders(world)
    every_form = _project_forms()
    missing = {
        _name(form)
        for form in every_form
        if _name(form) not in builders and not _simple(form) and not inspect.isabstract(form)
    }
    assert not missing, f"Add these forms to BUILDERS so their messages are checked: {sorted(missing)}"

    problems: list[str] = []
    with allauth_context.request_context(world["request"]):
        for form_class in sorted(every_form, key=_name):
            kwargs = builders.get(_name(form_class), {})
            blank = _make(form_class, kwargs)
            for answer in BAD_ANSWERS:
                form = _make(form_class, kwargs, _data_for(blank, answer), {})
                form.is_valid()
                for field_name, messages in form.errors.items():
                    for message in messages:
                        if any(phrase in message for phrase in STOCK):
                            problems.append(f"{_name(form_class)}.{field_name}: {message[:70]}")
                for name, field in form.fields.items():
                    errors = " ".join(form.errors.get(name, []))
                    if (
                        answer == "A\nB"
                        and _one_line_text(field)
                        and (_name(form_class), name) not in SEARCH_BOXES
                        and "on one line" not in errors
                    ):
                        problems.append(
                            f"{_name(form_class)}.{name} took a line break: {errors or 'no error'}"
                        )
                    if (
                        answer in ("A\x00B", "A\x1bB")
                        and isinstance(field.widget, forms.Textarea)
                        and "hidden character" not in errors
                    ):
                        problems.append(f"{_name(form_class)}.{name} took {answer!r}: {errors or 'no error'}")
    assert not problems, "\n".join(sorted(set(problems)))


def _simple(form_class) -> bool:
    """A form made with no arguments beyond its data."""
    try:
        signature = inspect.signature(form_class.__init__)
    except (TypeError, ValueError):
        return True
    return not any(
        parameter.kind == parameter.KEYWORD_ONLY and parameter.default is parameter.empty
        for parameter in signature.parameters.values()
    )


def test_the_walk_reaches_allauths_forms_the_portal_uses():
    names = {_name(form) for form in _project_forms()}
    for key, path in {**settings.ACCOUNT_FORMS, **settings.MFA_FORMS}.items():
        assert path in names, f"{key} uses {path}, which the walk does not find"
    # Every allauth form with fields that a person can reach has a portal version.
    reachable = {
        "login", "signup", "reset_password", "reset_password_from_key", "change_password",
        "set_password", "add_email", "reauthenticate",
    }  # fmt: skip
    assert reachable <= set(settings.ACCOUNT_FORMS)
    assert issubclass(
        importlib.import_module("accounts.forms").AddEmailForm, allauth_account_forms.AddEmailForm
    )


def test_a_required_answer_left_empty_names_the_question(client, world):
    """The same as the walk, seen on a page: the round form's empty name, and a number for a date."""
    from django.urls import reverse

    officer = world["fund"].roles.get(role=FundRole.Role.OFFICER).user
    client.force_login(officer)
    response = client.post(
        reverse("fund:criterion_edit", args=[Criterion.objects.first().pk]),
        {"title": "x" * 201, "weight": "heavy", "scale_max": "five"},
    )
    html = response.content.decode()
    assert "The criterion must be 200 characters or fewer" in html
    assert "Enter the weight as a number, like 1 or 1.5" in html
    assert "Ensure this value" not in html and "Enter a whole number" not in html
    assert Decimal("1.00") == Criterion.objects.first().weight
