"""A mentor's pages: their investments only (another mentor's are not found), notes and concerns."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from fund.decorators import role_required
from fund.models import Fund, FundRole
from investments.models import GoalChange, Investment
from investments.selectors import current_goals_with_progress, goal_history
from kit.decorators import posts_to
from kit.forms import add_service_errors
from kit.pagination import paginate
from mentoring import services
from mentoring.forms import AssignMentorForm, ConcernForm, NoteForm, ResolveConcernForm

mentor_required = role_required(FundRole.Role.MENTOR)


@mentor_required
def mentor_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    funds = Fund.objects.with_role(request.user, FundRole.Role.MENTOR)
    investments = (
        Investment.objects.mentored_by(request.user)
        .select_related("application__organisation", "round", "tier")
        .order_by("application__reference")
    )
    return render(
        request, "mentoring/mentor_home.html", {"funds": funds, "page": paginate(request, investments)}
    )


def _mine(request: AuthenticatedHttpRequest, pk: int) -> Investment:
    return get_object_or_404(
        Investment.objects.mentored_by(request.user).select_related(
            "application__organisation", "round", "tier"
        ),
        pk=pk,
    )


def _render(
    request: AuthenticatedHttpRequest, investment: Investment, note_form=None, concern_form=None
) -> HttpResponse:
    form = next((f for f in (note_form, concern_form) if f is not None and f.errors), None)
    return render(
        request,
        "mentoring/investment.html",
        {
            "investment": investment,
            "application": investment.application,
            "goals": [(goal, goal_history(goal)) for goal in current_goals_with_progress(investment)],
            "goal_changes": investment.goal_changes.filter(status=GoalChange.Status.PROPOSED).select_related(
                "goal"
            ),
            "updates": investment.updates.sent().prefetch_related("progress__goal"),
            "overdue": investment.updates.overdue(timezone.localdate()),
            "notes": investment.mentor_notes.select_related("author"),
            "concerns": investment.concerns.select_related("raised_by"),
            "note_form": note_form or NoteForm(prefix="note"),
            "concern_form": concern_form or ConcernForm(prefix="concern"),
            "form": form,
        },
        status=400 if form else 200,
    )


@mentor_required
def investment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render(request, _mine(request, pk))


@mentor_required
@posts_to("mentoring:investment", "pk")
def add_note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    investment = _mine(request, pk)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            services.add_note(investment=investment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            shared = form.cleaned_data["visibility"] == "shared"
            messages.success(
                request, "Your note is saved" + (" and the group can read it." if shared else ".")
            )
            return redirect("mentoring:investment", pk=pk)
    return _render(request, investment, note_form=form)


@mentor_required
@posts_to("mentoring:investment", "pk")
def raise_concern(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    investment = _mine(request, pk)
    form = ConcernForm(request.POST, prefix="concern")
    if form.is_valid():
        try:
            services.raise_concern(investment=investment, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your concern is with the fund team.")
            return redirect("mentoring:investment", pk=pk)
    return _render(request, investment, concern_form=form)


# --- The fund team: naming a mentor, resolving a concern ----------------------------------------

officer_required = role_required(FundRole.Role.OFFICER)


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Investment:
    return get_object_or_404(
        Investment.objects.managed_by(request.user).select_related(
            "application__organisation", "round__fund"
        ),
        pk=pk,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def assign_mentor(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An officer names the mentor (or a new one), best matches first."""
    investment = _managed(request, pk)
    suggestions = services.suggest_mentors(investment)
    current = investment.mentor_assignments.current().select_related("mentor").first()
    form = AssignMentorForm(
        request.POST if request.method == "POST" else None,
        suggestions=suggestions,
        changing=current is not None,
    )
    if request.method == "POST" and not investment.closed_at and form.is_valid():
        try:
            assignment = services.assign_mentor(
                investment=investment,
                mentor=form.cleaned_data["mentor"],
                by=request.user,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{assignment.mentor.get_full_name()} is now the mentor.")
            return redirect("investments:oversight_investment", pk=pk)
    return render(
        request,
        "mentoring/assign_mentor.html",
        {
            "investment": investment,
            "application": investment.application,
            "current": current,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def resolve_concern(request: AuthenticatedHttpRequest, pk: int, concern_pk: int) -> HttpResponse:
    """An officer records how a mentor's concern was resolved."""
    investment = _managed(request, pk)
    concern = get_object_or_404(investment.concerns.select_related("raised_by", "resolved_by"), pk=concern_pk)
    form = ResolveConcernForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_concern(
                concern=concern, by=request.user, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The concern is resolved.")
            return redirect("investments:oversight_investment", pk=pk)
    return render(
        request,
        "mentoring/resolve_concern.html",
        {"investment": investment, "application": investment.application, "concern": concern, "form": form},
        status=400 if form.errors else 200,
    )
