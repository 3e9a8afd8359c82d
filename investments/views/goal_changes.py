"""The fund team's side of a change of tack: an officer reads the group's proposed goals beside
its conversation, and agrees or says why not."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.http import AuthenticatedHttpRequest
from conversations import selectors as conversation
from conversations.permissions import Side, side_of
from fund.decorators import role_required
from fund.models import FundRole
from investments.forms import ObjectGoalChangeForm
from investments.models import GoalChange, Investment
from investments.services import goal_changes
from kit.decorators import posts_to
from kit.forms import add_service_errors

officer_required = role_required(FundRole.Role.OFFICER)
RECENT = 8  # of the conversation's messages and events, beside the change


def _change(request: AuthenticatedHttpRequest, pk: int, change_pk: int) -> GoalChange:
    investment = get_object_or_404(
        Investment.objects.managed_by(request.user).select_related("application"), pk=pk
    )
    if side_of(request.user, investment.application) == Side.GROUP:
        # An officer who is also one of the group's members: the group's side of the
        # conversation, and another officer decides.
        raise PermissionDenied("Another of the fund's officers decides your own group's changes.")
    return get_object_or_404(
        GoalChange.objects.select_related(
            "investment__application__organisation", "investment__round__fund", "goal", "proposed_by"
        ).prefetch_related("themes"),
        pk=change_pk,
        investment=investment,
    )


def _render(
    request: AuthenticatedHttpRequest, change: GoalChange, form: ObjectGoalChangeForm
) -> HttpResponse:
    application = change.investment.application
    entries = conversation.timeline(application, request.user, Side.TEAM)
    return render(
        request,
        "investments/oversight/goal_change.html",
        {
            "change": change,
            "investment": change.investment,
            "application": application,
            "goal_themes": change.goal.themes.all() if change.goal else [],
            "entries": entries[-RECENT:],
            "earlier": max(len(entries) - RECENT, 0),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@officer_required
def review(request: AuthenticatedHttpRequest, pk: int, change_pk: int) -> HttpResponse:
    return _render(request, _change(request, pk, change_pk), ObjectGoalChangeForm())


@officer_required
@posts_to("investments:goal_change_review", "pk", "change_pk")
def agree(request: AuthenticatedHttpRequest, pk: int, change_pk: int) -> HttpResponse:
    change = _change(request, pk, change_pk)
    try:
        goal_changes.agree(change=change, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("investments:goal_change_review", pk=pk, change_pk=change_pk)
    messages.success(request, "The change of goals is agreed and has taken effect. The group has been told.")
    return redirect("investments:oversight_investment", pk=pk)


@officer_required
@posts_to("investments:goal_change_review", "pk", "change_pk")
def object_to(request: AuthenticatedHttpRequest, pk: int, change_pk: int) -> HttpResponse:
    change = _change(request, pk, change_pk)
    form = ObjectGoalChangeForm(request.POST)
    if form.is_valid():
        try:
            goal_changes.object_to(change=change, by=request.user, objection=form.cleaned_data["objection"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "The change is not agreed. Your reason is in the group's conversation, where it can answer.",
            )
            return redirect("investments:oversight_investment", pk=pk)
    return _render(request, change, form)
