"""The group's pages after an award: its investment, progress updates and changing tack.

Investments are read through ``Investment.objects.for_member(user)``: another group's
investment, update or goal is not found (404).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from investments import selectors
from investments.forms import ChangeGoalForm, RetireGoalForm, UpdateForm
from investments.models import GoalChange, Investment, Offer, ProgressUpdate
from investments.permissions import can_write_update
from investments.photos import PRIVATE_MAX_AGE, photo_response
from investments.selectors import current_goals_with_progress, spend_of
from investments.services import goal_changes, monitoring
from kit.decorators import posts_to
from kit.forms import add_service_errors


def _investment(request: AuthenticatedHttpRequest, pk: int) -> Investment:
    return get_object_or_404(
        Investment.objects.for_member(request.user).select_related(
            "application__organisation", "round__fund", "tier"
        ),
        pk=pk,
    )


@login_required
def investment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    investment = _investment(request, pk)
    payments = investment.payments.with_paid()
    paid = Investment.objects.with_paid().get(pk=investment.pk).paid
    mentor = investment.mentor_assignments.current().select_related("mentor__mentor_profile").first()
    updates = list(investment.updates.with_publication())
    return render(
        request,
        "investments/monitoring/investment.html",
        {
            "investment": investment,
            "application": investment.application,
            "payments": payments,
            "paid": paid,
            "goals": current_goals_with_progress(investment),
            "updates": updates,
            "stories": [update for update in updates if update.is_sent and (update.story or update.photo)],
            "next_update": investment.updates.open().order_by("due_date").first()
            if investment.status == Investment.Status.ACTIVE and not investment.closed_at
            else None,
            "window_days": settings.UPDATE_WINDOW_DAYS,
            "mentor": mentor.mentor if mentor else None,
            "shared_notes": investment.mentor_notes.shared().select_related("author"),
            "conditions": investment.award_conditions.select_related("payment"),
            "spend": spend_of(investment, paid),
            "offer": Offer.objects.filter(investment=investment).first(),
        },
    )


def _open_update(request: AuthenticatedHttpRequest, pk: int, number: int) -> ProgressUpdate | None:
    investment = _investment(request, pk)
    update = get_object_or_404(investment.updates.select_related("investment__application"), number=number)
    if not (permission := can_write_update(update, timezone.localdate())):
        messages.error(request, permission.reason)
        return None
    return update


@login_required
@require_http_methods(["GET", "POST"])
def update_form(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    if (update := _open_update(request, pk, number)) is None:
        return redirect("investments:investment", pk=pk)
    form = UpdateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        update=update,
    )
    if request.method == "POST" and form.is_valid():
        try:
            monitoring.save_update(update=update, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if "later" in request.POST:
                messages.success(
                    request, "Your update has been saved. Come back to send it when you are ready."
                )
                return redirect("investments:investment", pk=pk)
            return redirect("investments:update_check", pk=pk, number=number)
    if form.errors and request.FILES.get("photo") and "photo" not in form.errors:
        # A browser never sends a chosen file again: say so, rather than lose it without a word.
        again = "The photo you chose was not saved because of the problems above. Choose it again. JPG or PNG"
        form["photo"].help_text = again
    return render(
        request,
        "investments/monitoring/update_form.html",
        {"form": form, "update": update, "investment": update.investment},
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_check(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    if (update := _open_update(request, pk, number)) is None:
        return redirect("investments:investment", pk=pk)
    problems = monitoring.update_problems(update)
    if request.method == "POST":
        try:
            monitoring.submit_update(update=update, by=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request, "Your update has been sent. Thank you: the fund team will read it soon."
            )
            return redirect("investments:investment", pk=pk)
    return render(
        request,
        "investments/monitoring/update_check.html",
        {
            "update": update,
            "investment": update.investment,
            "progress": update.progress.select_related("goal"),
            "problems": problems,
        },
    )


def _proposed(change: GoalChange) -> str:
    """What the group is told once it proposes a change of its goals."""
    on = change.takes_effect_on
    return (
        "Your change is sent to the fund team. It takes effect when they agree, or on "
        f"{on:%-d %B %Y} if they have not objected by then. Until then your goals stay as they are."
    )


@login_required
def goals(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    investment = _investment(request, pk)
    changes = list(
        investment.goal_changes.exclude(status=GoalChange.Status.WITHDRAWN)
        .select_related("goal")
        .order_by("-proposed_at", "-pk")
    )
    waiting = [change for change in changes if change.waiting]
    return render(
        request,
        "investments/monitoring/goals.html",
        {
            "investment": investment,
            "goals": [
                (goal, selectors.goal_history(goal)) for goal in current_goals_with_progress(investment)
            ],
            "waiting": waiting,
            "waiting_goals": {change.goal_id for change in waiting},
            # An objection stays in view until the group proposes something after it.
            "objected": [
                change
                for change in changes
                if change.status == GoalChange.Status.OBJECTED
                and not any(
                    later.proposed_at > (change.decided_at or change.proposed_at) for later in changes
                )
            ],
            "retired": investment.application.goals.filter(
                retired_at__isnull=False, replaced_by__isnull=True
            ),
            "can_add": not goal_changes.room_problems(investment, GoalChange.Kind.ADD),
            "can_stop": not goal_changes.room_problems(investment, GoalChange.Kind.STOP),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_change(request: AuthenticatedHttpRequest, pk: int, goal_pk: int | None = None) -> HttpResponse:
    investment = _investment(request, pk)
    goal = get_object_or_404(investment.application.goals.current(), pk=goal_pk) if goal_pk else None
    form = ChangeGoalForm(
        request.POST if request.method == "POST" else None, instance=goal, application=investment.application
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = goal_changes.propose(
                investment=investment,
                by=request.user,
                kind=GoalChange.Kind.CHANGE if goal else GoalChange.Kind.ADD,
                goal=goal,
                reason=form.cleaned_data["reason"],
                themes=form.cleaned_data["themes"],
                **{name: form.cleaned_data[name] for name in goal_changes.GOAL_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _proposed(change))
            return redirect("investments:goals", pk=pk)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": "Change a goal" if goal else "Add a goal",
            "caption": investment.application.organisation.name,
            "intro": "Changing tack is fine: tell us what you will aim for now, and why. The fund team "
            "sees it first; it takes effect when they agree, or after "
            f"{investment.round.fund.goal_change_days} days if they do not object.",
            "back_url": f"/investments/{pk}/goals/",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_retire(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    investment = _investment(request, pk)
    goal = get_object_or_404(investment.application.goals.current(), pk=goal_pk)
    form = RetireGoalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            change = goal_changes.propose(
                investment=investment,
                by=request.user,
                kind=GoalChange.Kind.STOP,
                goal=goal,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _proposed(change))
            return redirect("investments:goals", pk=pk)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": "Stop a goal",
            "caption": goal.description[:80],
            "back_url": f"/investments/{pk}/goals/",
        },
    )


@login_required
@posts_to("investments:goals", "pk")
def goal_change_withdraw(request: AuthenticatedHttpRequest, pk: int, change_pk: int) -> HttpResponse:
    investment = _investment(request, pk)
    change = get_object_or_404(investment.goal_changes, pk=change_pk)
    try:
        goal_changes.withdraw(change=change, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your proposed change is withdrawn. Your goals stay as they are.")
    return redirect("investments:goals", pk=pk)


@require_GET
def update_photo(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """An update's photo, small, for the group and the staff who may read the update: everyone
    else, signed in or not, finds nothing (404). Served from the portal's own address."""
    update = get_object_or_404(
        ProgressUpdate.objects.visible_to(request.user).exclude(photo=""), investment_id=pk, number=number
    )
    return photo_response(update.photo, cache_control={"private": True, "max_age": PRIVATE_MAX_AGE})
