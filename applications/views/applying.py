"""Filling in an application: start, the task list and each section.

Every application is read through ``Application.objects.for_member(user)``, and every
item through its application, so another group's application or item is not found (404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from applications import round_questions, sections
from applications.answers import answers
from applications.forms import (
    MOST_BUDGET_LINES,
    AmountForm,
    BudgetLineForm,
    BudgetRows,
    CompletionForm,
    ConfirmForm,
    DeclarationForm,
    DocumentForm,
    GoalForm,
    GoalRows,
    IdeaForm,
    MatchFundingForm,
    PartnerForm,
    StartApplicationForm,
)
from applications.models import (
    Application,
    ApplicationItem,
    BudgetLine,
    Document,
    Goal,
    MatchFunding,
    Partner,
)
from applications.permissions import can_edit_application
from applications.rules import MAX_GOALS
from applications.services import applying as services
from fund.models import Round, Theme
from fund.money import pounds
from kit.forms import add_service_errors, form_field
from kit.templatetags.anchors import error_anchor_of
from organisations.models import Organisation
from questions.forms import AnswerForm


def member_application(request: AuthenticatedHttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.for_member(request.user).select_related("round__fund", "tier", "organisation"),
        pk=pk,
    )


class NotEditable(Exception):
    pass


class StartFirst(Exception):
    """The section asked for waits for the questions at the start: the group is sent to them."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def editable_application(
    request: AuthenticatedHttpRequest, pk: int, *, before_start: bool = False
) -> Application:
    """The application if the group may still change it; otherwise they are told why. Unless
    ``before_start``, the questions at the start come first: a section after them is not opened
    (nor saved) until they are complete."""
    application = member_application(request, pk)
    if not (permission := can_edit_application(application)):
        messages.error(request, permission.reason)
        raise NotEditable(application.pk)
    if not before_start:
        start_first(request, application)
    return application


def start_first(request: AuthenticatedHttpRequest, application: Application) -> None:
    if (first := sections.start_unfinished(application)) is None:
        return
    if round_questions.stops(application):
        raise StartFirst(reverse("applications:stopped", args=[application.pk]))
    messages.info(
        request,
        f"Answer ‘{first.title}’ first: it checks {application.round.fund.name} is for your group "
        "before you spend time on the rest.",
    )
    raise StartFirst(section_url(application, first.slug))


def editing(view: Callable) -> Callable:
    """Wraps a section view: sends the person to the read-only application when it is locked."""

    @login_required
    def wrapped(request: HttpRequest, pk: int, *args, **kwargs):
        try:
            return view(request, pk, *args, **kwargs)
        except NotEditable:
            return redirect("applications:application_detail", pk=pk)
        except StartFirst as start:
            return redirect(start.url)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _wants_later(request: AuthenticatedHttpRequest) -> bool:
    return "later" in request.POST


def section_url(application: Application, slug: str) -> str:
    if slug in ("goals", "budget"):
        return reverse(f"applications:section_{slug}", args=[application.pk])
    if slug.startswith("questions-"):
        return reverse(
            "applications:section_questions", args=[application.pk, int(slug.removeprefix("questions-"))]
        )
    if slug in ITEM_KINDS:
        return reverse("applications:item_section", args=[application.pk, slug])
    return reverse(f"applications:section_{slug.replace('-', '_')}", args=[application.pk])


def _after_section(request: AuthenticatedHttpRequest, application: Application) -> HttpResponse:
    return redirect("applications:application_detail", pk=application.pk)


# --- Starting -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedHttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.for_member(request.user), pk=organisation_pk)
    all_open = list(Round.objects.open().select_related("fund").prefetch_related("fund__tiers"))
    # A round where the group already has its one application is not offered again.
    open_rounds = services.rounds_open_to([organisation], all_open)[organisation.pk]
    form = StartApplicationForm(
        request.POST if request.method == "POST" else None,
        # Any published round is accepted, so one that has just closed gets its own message.
        rounds=Round.objects.filter(status=Round.Status.PUBLISHED).select_related("fund"),
        initial={"round": open_rounds[0] if len(open_rounds) == 1 else None},
    )
    form_field(form, "round", forms.ChoiceField).choices = [
        (
            round.pk,
            f"{round.name} ({round.fund.name}), closes {timezone.localtime(round.closes_at):%-d %B %Y}",
        )
        for round in open_rounds
    ]
    if request.method == "POST" and form.is_valid():
        try:
            application = services.start_application(
                round=form.cleaned_data["round"],
                organisation=organisation,
                amount=form.cleaned_data["amount"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            tier = application.tier
            messages.success(
                request,
                f"You are applying for a {tier.name.lower()} investment ({tier.band_label.lower()}).",
            )
            return redirect("applications:application_detail", pk=application.pk)
    return render(
        request,
        "applications/start.html",
        {
            "form": form,
            "organisation": organisation,
            "open_rounds": open_rounds,
            "applied_in_all": bool(all_open) and not open_rounds,
        },
    )


# --- The application's page: task list, or the read-only answers once submitted ---------


@login_required
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = member_application(request, pk)
    if application.is_editable:
        tasks = sections.task_list(application)
        return render(
            request,
            "applications/task_list.html",
            {
                "application": application,
                "tasks": [(task, section_url(application, task.section.slug)) for task in tasks],
                "completed_count": sum(task.status == sections.COMPLETED for task in tasks),
                "all_completed": all(task.status == sections.COMPLETED for task in tasks),
                "stops": round_questions.stops(application),
            },
        )
    return render(
        request,
        "applications/application_summary.html",
        {
            "application": application,
            "answers": answers(application),
            "documents": application.documents.all(),
        },
    )


@editing
@require_http_methods(["GET", "POST"])
def change_amount(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = editable_application(request, pk, before_start=True)
    form = AmountForm(
        request.POST if request.method == "POST" else None, initial={"amount": application.amount_requested}
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.change_amount(
                application=application, amount=form.cleaned_data["amount"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"You are now asking for {pounds(application.amount_requested)}: "
                f"a {application.tier.name.lower()} investment.",
            )
            return _after_section(request, application)
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": "Change the amount you are asking for", "application": application},
    )


# --- Single-page sections ------------------------------------------------------------------


def _mark(
    request: AuthenticatedHttpRequest, application: Application, slug: str, completed: bool, form
) -> bool:
    try:
        services.mark_section(application=application, slug=slug, completed=completed, by=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@editing
@require_http_methods(["GET", "POST"])
def section_organisation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """About your group: confirm the group's profile, or change it."""
    application = editable_application(request, pk)
    form = CompletionForm(
        request.POST if request.method == "POST" else None,
        initial={"completed": "yes"} if "organisation" in application.completed_sections else None,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _mark(request, application, "organisation", form.cleaned_data["completed"], form)
    ):
        return _after_section(request, application)

    group = next(section for section in answers(application) if section["slug"] == "organisation")
    return render(
        request,
        "applications/section_organisation.html",
        {"form": form, "application": application, "rows": group["rows"]},
    )


@editing
@require_http_methods(["GET", "POST"])
def section_idea(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = editable_application(request, pk)
    if request.method == "POST":
        data = request.POST.copy()
        if _wants_later(request):
            data["completed"] = "no"
        form = IdeaForm(data, application=application)
        if form.is_valid():
            answers_given = {
                key: value for key, value in form.cleaned_data.items() if key not in ("places", "completed")
            }
            try:
                application = services.save_idea(
                    application=application,
                    places=list(form.cleaned_data["places"]),
                    by=request.user,
                    **answers_given,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if _mark(request, application, "idea", form.cleaned_data["completed"], form):
                    return _after_section(request, application)
    else:
        form = IdeaForm(initial=IdeaForm.initial_for(application), application=application)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": "Your idea",
            "application": application,
            "intro": "Tell us in your own words. You can save your answers and come back later.",
            "save_later": True,
        },
    )


@editing
@require_http_methods(["GET", "POST"])
def section_declaration(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = editable_application(request, pk)
    form = DeclarationForm(
        request.POST if request.method == "POST" else None,
        initial={"name": application.declaration_name or request.user.full_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.declare(application=application, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("applications:check_answers", pk=application.pk)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": "Declaration",
            "application": application,
            "intro": (
                "We may check what you have told us. If anything changes before a decision, "
                "tell the fund team."
            ),
        },
    )


# --- The round's own questions ------------------------------------------------------------------


def _own_section(application: Application, section_pk: int) -> round_questions.OwnSection:
    own = next(
        (own for own in round_questions.own_sections(application) if own.section.pk == section_pk), None
    )
    if own is None:
        raise Http404("The application is not asked that section")
    return own


@editing
@require_http_methods(["GET", "POST"])
def section_questions(request: AuthenticatedHttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """A section of the round's own questions. An answer that stops the application is told at once."""
    application = editable_application(request, pk, before_start=True)
    own = _own_section(application, section_pk)
    if not own.section.at_start:
        start_first(request, application)
    given = round_questions.answers_of(application)
    questions = [question for question in own.questions if question.retired_at is None]
    saved = {question_pk: answer.value for question_pk, answer in given.items()}
    files = {
        question_pk: answer.document.original_name for question_pk, answer in given.items() if answer.document
    }
    if request.method == "POST":
        data = request.POST.copy()
        if _wants_later(request):
            data["completed"] = "no"
        form = AnswerForm(
            data,
            request.FILES or None,
            questions=questions,
            saved=saved,
            files=files,
            ask_completed=not own.section.at_start,
        )
        if form.is_valid():
            try:
                application = services.save_answers(
                    application=application,
                    section_pk=own.section.pk,
                    values=form.answers(),
                    uploads=form.uploads(),
                    removals=form.removals(),
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if round_questions.stops(application, _own_section(application, section_pk)):
                    return redirect("applications:stopped", pk=application.pk)
                if _mark(request, application, own.slug, form.cleaned_data["completed"], form):
                    return _after_section(request, application)
    else:
        initial_completed = {"completed": "yes"} if own.slug in application.completed_sections else {}
        form = AnswerForm(
            questions=questions, saved=saved, files=files, ask_completed=not own.section.at_start
        )
        form.initial.update(initial_completed)
    return render(
        request,
        "applications/section_questions.html",
        {"form": form, "application": application, "section": own.section, "questions": questions},
        status=400 if form.errors else 200,
    )


@login_required
def stopped(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Why the application cannot go on, as the round's questions say, and what the group can do."""
    application = member_application(request, pk)
    reasons = round_questions.stopping(application) if application.is_editable else []
    if not reasons:
        return redirect("applications:application_detail", pk=application.pk)
    return render(
        request,
        "applications/stopped.html",
        {
            "application": application,
            "reasons": reasons,
            "sections": [
                (own.section, section_url(application, own.slug))
                for own in round_questions.own_sections(application)
                if round_questions.stops(application, own)
            ],
        },
    )


# --- Goals and the budget: each on one page -------------------------------------------------------


def page_errors(*parts: forms.BaseForm | forms.BaseFormSet, row: str = "") -> list[tuple[str, str]]:
    """Every message on a page of several forms (and sets of rows), as (the id of the box it is
    about, the message), in the order of the page, for GOV.UK's error summary. A row's message
    says which row it is about ("Line 2: ..."), as every row's boxes have the same names."""
    found: list[tuple[str, str]] = []
    for part in parts:
        rows = isinstance(part, forms.BaseFormSet)
        every_form: list[forms.BaseForm] = list(part) if isinstance(part, forms.BaseFormSet) else [part]
        if isinstance(part, forms.BaseFormSet):
            found += [("main-content", str(message)) for message in part.non_form_errors()]
        for number, form in enumerate(every_form, start=1):
            named = f"{row} {number}: " if rows and row else ""
            visible = form.visible_fields()
            top = error_anchor_of(visible[0]) if visible else "main-content"
            found += [(top, named + str(message)) for message in form.non_field_errors()]
            # A hidden box (a row's own id) has no place on the page: its message goes to the top.
            found += [
                (top, named + str(message)) for field in form.hidden_fields() for message in field.errors
            ]
            found += [
                (error_anchor_of(field), named + str(message))
                for field in visible
                for message in field.errors
            ]
    return found


def _posted_rows(data, prefix: str):
    """The rows posted; a post without the rows' counts (only the completion answer) changes no row."""
    if data is None or f"{prefix}-TOTAL_FORMS" in data:
        return data
    data = data.copy()
    data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def _rows_again(data, prefix: str, fields: tuple[str, ...], extra: int = 1) -> list[dict]:
    """The rows as they were posted, typed words and all, and ``extra`` empty ones: "add another
    line" without JavaScript, checking nothing until the group saves."""
    try:
        total = min(max(int(data.get(f"{prefix}-TOTAL_FORMS") or 0), 0), MOST_BUDGET_LINES)
    except ValueError:
        total = 0
    rows = [
        {
            name: data.get(f"{prefix}-{number}-{name}", "")
            for name in fields
            if data.get(f"{prefix}-{number}-{name}")
        }
        for number in range(total)
    ]
    return rows + [{} for _ in range(extra if total + extra <= MOST_BUDGET_LINES else 0)]


def _save_rows(
    request: AuthenticatedHttpRequest, slug: str, completion: CompletionForm, save: Callable[[], Application]
) -> HttpResponse | Application | None:
    """Save a page of rows, then mark its section as the group says. The task list when both are
    done; the application when the rows are saved but the section is not complete (its page shows
    what is missing); None when the rows were refused (the form says why)."""
    try:
        application = save()
    except ValidationError as error:
        add_service_errors(completion, error)
        return None
    if _mark(request, application, slug, completion.cleaned_data["completed"], completion):
        return _after_section(request, application)
    return application


def _goal_rows(application: Application, data=None) -> forms.BaseFormSet:
    """The goals page's rows: each current goal, then empty rows up to the most allowed."""
    goals = list(application.goals.current().prefetch_related("themes"))
    initial = [
        {
            "goal": goal.pk,
            "description": goal.description,
            "indicator": goal.indicator,
            "themes": list(goal.themes.all()),
        }
        for goal in goals
    ] + [{} for _ in range(MAX_GOALS - len(goals))]
    themes = Theme.objects.filter(fund=application.round.fund_id)
    return GoalRows(
        _posted_rows(data, "goals"), initial=initial, prefix="goals", form_kwargs={"themes": themes}
    )


def _completion(request: AuthenticatedHttpRequest, application: Application, slug: str) -> CompletionForm:
    if request.method != "POST":
        return CompletionForm(
            initial={"completed": "yes"} if slug in application.completed_sections else None, later=True
        )
    return CompletionForm({"completed": "no"} if _wants_later(request) else request.POST, later=True)


@editing
@require_http_methods(["GET", "POST"])
def section_goals(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every goal on one page: a row for each, up to the most an application can have."""
    application = editable_application(request, pk)
    rows = _goal_rows(application, request.POST if request.method == "POST" else None)
    completion = _completion(request, application, "goals")
    if request.method == "POST" and rows.is_valid() and completion.is_valid():
        saved = _save_rows(
            request,
            "goals",
            completion,
            lambda: services.save_goals(
                application=application,
                rows=[
                    services.GoalRow(
                        pk=row.get("goal"),
                        description=row.get("description", ""),
                        indicator=row.get("indicator", ""),
                        themes=tuple(row.get("themes") or ()),
                        remove=row.get("remove", False),
                    )
                    for row in rows.cleaned_data
                ],
                by=request.user,
            ),
        )
        if isinstance(saved, HttpResponse):
            return saved
        if saved is not None:
            application, rows = saved, _goal_rows(saved)  # shown as saved, with what is missing
    errors = page_errors(rows, completion, row="Goal") if request.method == "POST" else []
    return render(
        request,
        "applications/section_goals.html",
        {
            "application": application,
            "section": sections.BY_SLUG["goals"],
            "rows": rows,
            "completion": completion,
            "errors": errors,
            "max_goals": MAX_GOALS,
        },
        status=400 if errors else 200,
    )


def _budget_rows(application: Application, data=None, initial: list[dict] | None = None) -> forms.BaseFormSet:
    """The budget table's rows: each line, then an empty row (three for an empty budget)."""
    if initial is None:
        lines = list(application.budget_lines.all())
        initial = [
            {"line": line.pk, "item": line.item, "amount": line.amount, "year": line.year} for line in lines
        ] + [{} for _ in range(1 if lines else 3)]
    return BudgetRows(
        _posted_rows(data, "budget"),
        initial=initial,
        prefix="budget",
        form_kwargs={"years": application.tier.budget_years},
    )


@editing
@require_http_methods(["GET", "POST"])
def section_budget(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The budget as a table of lines on one page. "Add another line" works without JavaScript:
    the same rows come back, with what was typed, and one more."""
    application = editable_application(request, pk)
    adding = request.method == "POST" and "add_line" in request.POST
    if adding:
        fields = ("line", "item", "amount", "year", "remove")
        rows = _budget_rows(application, initial=_rows_again(request.POST, "budget", fields))
        completion = CompletionForm(initial={"completed": request.POST.get("completed")}, later=True)
    else:
        rows = _budget_rows(application, request.POST if request.method == "POST" else None)
        completion = _completion(request, application, "budget")
    if request.method == "POST" and not adding and rows.is_valid() and completion.is_valid():
        saved = _save_rows(
            request,
            "budget",
            completion,
            lambda: services.save_budget(
                application=application,
                rows=[
                    services.BudgetRow(
                        pk=row.get("line"),
                        item=row.get("item", ""),
                        amount=row.get("amount"),
                        year=row.get("year") or 1,
                        remove=row.get("remove", False),
                    )
                    for row in rows.cleaned_data
                ],
                by=request.user,
            ),
        )
        if isinstance(saved, HttpResponse):
            return saved
        if saved is not None:
            application, rows = saved, _budget_rows(saved)  # shown as saved, with what is missing
    errors = page_errors(rows, completion, row="Line") if request.method == "POST" and not adding else []
    return render(
        request,
        "applications/section_budget.html",
        {
            "application": application,
            "section": sections.BY_SLUG["budget"],
            "rows": rows,
            "completion": completion,
            "errors": errors,
            "years": application.tier.budget_years,
            "budget": sections.budget_figures(application),
        },
        status=400 if errors else 200,
    )


# --- Sections that are lists: goals, budget lines, match funding, partners ---------------


@dataclass(frozen=True)
class ItemKind[Item: ApplicationItem]:
    slug: str
    model: type[Item]
    form: type
    noun: str
    add_title: str
    empty: str
    describe: Callable[[Item, Application], list[tuple[str, str]]]
    heading: Callable[[Item], str]


def _describe_goal(goal: Goal, application: Application) -> list[tuple[str, str]]:
    rows = [("What will be different", goal.description)]
    if goal.indicator:
        rows.append(("How you will know", goal.indicator))
    if goal.baseline is not None or goal.target is not None:
        unit = f" {goal.unit}" if goal.unit else ""
        rows.append(
            (
                "From and to",
                f"{'' if goal.baseline is None else f'{goal.baseline.normalize():f}{unit}'} → "
                f"{'' if goal.target is None else f'{goal.target.normalize():f}{unit}'}",
            )
        )
    themes = ", ".join(theme.name for theme in goal.themes.all())
    if themes:
        rows.append(("Aims it serves", themes))
    return rows


def _describe_budget_line(line: BudgetLine, application: Application) -> list[tuple[str, str]]:
    rows = [("Cost", pounds(line.amount))]
    if application.tier.budget_years > 1:
        rows.append(("Year", str(line.year)))
    return rows


def _describe_match(match: MatchFunding, application: Application) -> list[tuple[str, str]]:
    return [
        ("Amount or value", pounds(match.amount)),
        ("Kind", "Support in kind" if match.in_kind else "Money"),
        ("Confirmed", match.get_status_display()),
    ]


def _describe_partner(partner: Partner, application: Application) -> list[tuple[str, str]]:
    return [
        ("What they will do", partner.role),
        ("Letter of support", partner.letter.original_name if partner.letter else "None"),
    ]


ITEM_KINDS: dict[str, ItemKind[Any]] = {
    kind.slug: kind
    for kind in (
        ItemKind(
            "goals",
            Goal,
            GoalForm,
            "goal",
            "Add a goal",
            "You have not added any goals yet. Add between 1 and 5.",
            _describe_goal,
            lambda goal: f"Goal {goal.position}",
        ),
        ItemKind(
            "budget",
            BudgetLine,
            BudgetLineForm,
            "budget line",
            "Add a budget line",
            "You have not added anything to your budget yet.",
            _describe_budget_line,
            lambda line: line.item,
        ),
        ItemKind(
            "match-funding",
            MatchFunding,
            MatchFundingForm,
            "match funding",
            "Add match funding or support in kind",
            "You have not added any match funding. If you have none, say you have completed this section.",
            _describe_match,
            lambda match: match.source,
        ),
        ItemKind(
            "partners",
            Partner,
            PartnerForm,
            "partner",
            "Add a partner",
            "You have not added any partners yet.",
            _describe_partner,
            lambda partner: partner.name,
        ),
    )
}


def _items(application: Application, kind: ItemKind):
    queryset = kind.model.objects.filter(application=application)
    if kind.model is Goal:
        queryset = queryset.prefetch_related("themes")
    if kind.model is Partner:
        queryset = queryset.select_related("letter")
    return queryset


@editing
@require_http_methods(["GET", "POST"])
def item_section(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    application = editable_application(request, pk)
    item_kind = ITEM_KINDS[kind]
    section = sections.BY_SLUG[kind]
    form = CompletionForm(
        request.POST if request.method == "POST" else None,
        initial={"completed": "yes"} if kind in application.completed_sections else None,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _mark(request, application, kind, form.cleaned_data["completed"], form)
    ):
        return _after_section(request, application)
    items = [
        (item, item_kind.heading(item), item_kind.describe(item, application))
        for item in _items(application, item_kind)
    ]
    return render(
        request,
        "applications/section_items.html",
        {
            "form": form,
            "application": application,
            "section": section,
            "kind": item_kind,
            "items": items,
        },
    )


@editing
@require_http_methods(["GET", "POST"])
def item_form(
    request: AuthenticatedHttpRequest, pk: int, kind: str, item_pk: int | None = None
) -> HttpResponse:
    application = editable_application(request, pk)
    item_kind = ITEM_KINDS[kind]
    item = (
        get_object_or_404(item_kind.model, pk=item_pk, application=application)
        if item_pk
        else item_kind.model()
    )
    form = item_kind.form(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=item,
        application=application,
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.save_item(
                application=application,
                item=form.save(commit=False),
                by=request.user,
                themes=form.cleaned_data.get("themes") if kind == "goals" else None,
            )
            if kind == "partners" and form.cleaned_data.get("letter"):
                services.attach_partner_letter(
                    application=application, partner=item, upload=form.cleaned_data["letter"], by=request.user
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The {item_kind.noun} has been saved.")
            return redirect("applications:item_section", pk=application.pk, kind=kind)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": item_kind.add_title if not item_pk else f"Change {item_kind.noun}",
            "application": application,
            "back_url": f"/applications/{application.pk}/{kind}/",
            "multipart": kind == "partners",
        },
    )


@editing
@require_http_methods(["GET", "POST"])
def item_remove(request: AuthenticatedHttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    application = editable_application(request, pk)
    item_kind = ITEM_KINDS[kind]
    item = get_object_or_404(item_kind.model, pk=item_pk, application=application)
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        label=f"Are you sure you want to remove ‘{item_kind.heading(item)}’?",
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"]:
            services.remove_item(application=application, item=item, by=request.user)
            messages.success(request, f"The {item_kind.noun} has been removed.")
        return redirect("applications:item_section", pk=application.pk, kind=kind)
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": f"Remove {item_kind.noun}", "application": application, "hide_heading": True},
    )


# --- Documents -------------------------------------------------------------------------------


@editing
@require_http_methods(["GET", "POST"])
def section_documents(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = editable_application(request, pk)
    kinds = sections.required_documents(application)
    upload_form = DocumentForm(kinds=kinds)
    completion = CompletionForm(
        initial={"completed": "yes"} if "documents" in application.completed_sections else None
    )
    if request.method == "POST" and request.POST.get("action") == "upload":
        upload_form = DocumentForm(request.POST, request.FILES, kinds=kinds)
        if upload_form.is_valid():
            try:
                document = services.upload_document(
                    application=application,
                    kind=upload_form.cleaned_data["kind"],
                    upload=upload_form.cleaned_data["file"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(upload_form, error)
            else:
                messages.success(request, f"{document.original_name} has been uploaded.")
                return redirect("applications:section_documents", pk=application.pk)
    elif request.method == "POST":
        completion = CompletionForm(request.POST)
        if completion.is_valid() and _mark(
            request, application, "documents", completion.cleaned_data["completed"], completion
        ):
            return _after_section(request, application)
    documents = application.documents.exclude(kind__in=Document.ATTACHED)
    present = {document.kind for document in documents}
    return render(
        request,
        "applications/section_documents.html",
        {
            "application": application,
            "upload_form": upload_form,
            "form": upload_form if upload_form.is_bound else completion,
            "completion": completion,
            "documents": documents,
            "needed": [(Document.Kind(kind).label, kind in present) for kind in kinds],
        },
    )


@editing
@require_http_methods(["GET", "POST"])
def document_remove(request: AuthenticatedHttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = editable_application(request, pk)
    document = get_object_or_404(Document, pk=document_pk, application=application)
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        label=f"Are you sure you want to remove {document.original_name}?",
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"]:
            services.remove_document(application=application, document=document, by=request.user)
            messages.success(request, f"{document.original_name} has been removed.")
        return redirect("applications:section_documents", pk=application.pk)
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": "Remove a document", "application": application, "hide_heading": True},
    )
