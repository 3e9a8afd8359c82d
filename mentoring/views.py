"""A mentor's pages: their investments only (another mentor's are not found), notes and concerns."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from applications.services.monitoring import goal_history
from applications.views.monitoring import current_goals_with_progress
from fund.decorators import role_required
from fund.models import Fund, FundRole, Investment
from kit.decorators import posts_to
from kit.forms import add_service_errors
from mentoring import services
from mentoring.forms import ConcernForm, NoteForm

mentor_required = role_required(FundRole.Role.MENTOR)


@mentor_required
def mentor_home(request: HttpRequest) -> HttpResponse:
    funds = Fund.objects.with_role(request.user, FundRole.Role.MENTOR)
    investments = (
        Investment.objects.mentored_by(request.user)
        .select_related("application__organisation", "round", "tier")
        .order_by("application__reference")
    )
    return render(request, "mentoring/mentor_home.html", {"funds": funds, "investments": investments})


def _mine(request: HttpRequest, pk: int) -> Investment:
    return get_object_or_404(
        Investment.objects.mentored_by(request.user).select_related(
            "application__organisation", "round", "tier"
        ),
        pk=pk,
    )


def _render(request: HttpRequest, investment: Investment, note_form=None, concern_form=None) -> HttpResponse:
    form = next((f for f in (note_form, concern_form) if f is not None and f.errors), None)
    return render(
        request,
        "mentoring/investment.html",
        {
            "investment": investment,
            "application": investment.application,
            "goals": [(goal, goal_history(goal)) for goal in current_goals_with_progress(investment)],
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
def investment(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _mine(request, pk))


@mentor_required
@posts_to("mentoring:investment", "pk")
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
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
def raise_concern(request: HttpRequest, pk: int) -> HttpResponse:
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
