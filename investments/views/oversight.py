"""The fund team's view of investments: updates to read, overdue ones, concerns, mentors, closing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from fund.decorators import role_required
from fund.models import Fund, FundRole
from investments import selectors
from investments.filters import InvestmentFilter
from investments.forms import AcknowledgeForm, CloseForm, WithholdStoryForm
from investments.models import GoalChange, Investment, Offer
from investments.permissions import can_approve_story
from investments.selectors import current_goals_with_progress, spend_of
from investments.services import monitoring
from kit.decorators import posts_to
from kit.forms import add_service_errors
from kit.http import site_root
from kit.pagination import paginate

officer_required = role_required(FundRole.Role.OFFICER)


@officer_required
def investments(request: AuthenticatedHttpRequest) -> HttpResponse:
    funds = Fund.objects.managed_by(request.user)
    managed = Investment.objects.managed_by(request.user)
    investment_filter = InvestmentFilter(request.GET or None, queryset=managed, funds=funds)
    chosen = investment_filter.qs if investment_filter.is_bound else managed
    # What needs the team is counted on "Your work", each count a link to this list filtered.
    return render(
        request,
        "investments/oversight/investments.html",
        {
            "filter": investment_filter,
            "page": paginate(
                request,
                chosen.select_related("application__organisation", "round", "tier").order_by(
                    "application__reference", "pk"
                ),
            ),
        },
    )


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Investment:
    return get_object_or_404(
        Investment.objects.managed_by(request.user).select_related(
            "application__organisation", "round__fund", "tier"
        ),
        pk=pk,
    )


def _render(request: AuthenticatedHttpRequest, investment: Investment, **forms) -> HttpResponse:
    updates = list(
        investment.updates.with_publication()
        .select_related("story_approved_by")
        .prefetch_related("progress__goal")
    )
    for update in updates:
        update.investment = investment
        update.approvable = can_approve_story(update)  # type: ignore[attr-defined]  # for the page
    context = {
        "investment": investment,
        "application": investment.application,
        "goals": [(goal, selectors.goal_history(goal)) for goal in current_goals_with_progress(investment)],
        "retired": investment.application.goals.filter(retired_at__isnull=False, replaced_by__isnull=True),
        "updates": [
            (
                update,
                forms["acknowledge_form"]
                if forms.get("acknowledge_update") == update.number
                else AcknowledgeForm(prefix=f"update-{update.number}"),
                forms["withhold_form"]
                if forms.get("withhold_update") == update.number
                else WithholdStoryForm(prefix=f"update-{update.number}-story"),
            )
            for update in updates
        ],
        "payments": investment.payments.all(),
        "offer": Offer.objects.filter(investment=investment).select_related("responded_by").first(),
        "assignments": investment.mentor_assignments.select_related("mentor", "assigned_by"),
        "notes": investment.mentor_notes.select_related("author"),
        "concerns": investment.concerns.select_related("raised_by", "resolved_by"),
        "conditions": investment.award_conditions.select_related("payment"),
        "spend": spend_of(investment, Investment.objects.with_paid().get(pk=investment.pk).paid),
        "goal_changes": investment.goal_changes.filter(status=GoalChange.Status.PROPOSED).select_related(
            "goal"
        ),
        "close_form": forms.get("close_form") or CloseForm(),
        "form": next((form for form in forms.values() if hasattr(form, "errors") and form.errors), None),
    }
    return render(
        request, "investments/oversight/investment.html", context, status=400 if context["form"] else 200
    )


@officer_required
def investment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render(request, _managed(request, pk))


@officer_required
@posts_to("investments:oversight_investment", "pk")
def acknowledge(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    investment = _managed(request, pk)
    update = get_object_or_404(investment.updates, number=number)
    form = AcknowledgeForm(request.POST, prefix=f"update-{number}")
    if form.is_valid():
        try:
            monitoring.acknowledge_update(
                update=update,
                by=request.user,
                comment=form.cleaned_data["comment"],
                base_url=site_root(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Update {number} is marked as read. The group has been told.")
            return redirect("investments:oversight_investment", pk=pk)
    return _render(request, investment, acknowledge_form=form, acknowledge_update=number)


@officer_required
@posts_to("investments:oversight_investment", "pk")
def approve_story(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    investment = _managed(request, pk)
    update = get_object_or_404(investment.updates, number=number)
    with_photo = request.POST.get("photo") == "yes"
    try:
        monitoring.approve_story(update=update, by=request.user, with_photo=with_photo)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"The story from update {number} is approved for publishing"
            + (", with its photo." if with_photo else "."),
        )
    return redirect(f"{reverse('investments:oversight_investment', args=[pk])}#update-{number}")


@officer_required
@posts_to("investments:oversight_investment", "pk")
def withhold_story(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    investment = _managed(request, pk)
    update = get_object_or_404(investment.updates, number=number)
    form = WithholdStoryForm(request.POST, prefix=f"update-{number}-story")
    if form.is_valid():
        try:
            monitoring.withhold_story(update=update, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"The story from update {number} will not be published. The group can see why."
            )
            return redirect(f"{reverse('investments:oversight_investment', args=[pk])}#update-{number}")
    return _render(request, investment, withhold_form=form, withhold_update=number)


@officer_required
@posts_to("investments:oversight_investment", "pk")
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    investment = _managed(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        how = form.cleaned_data["how"]
        try:
            monitoring.close_investment(
                investment=investment,
                by=request.user,
                outcome="" if how == "early" else how,
                ended_early=how == "early",
                end_reason=form.cleaned_data["end_reason"],
                lessons=form.cleaned_data["lessons"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The investment is closed.")
            return redirect("investments:oversight_investment", pk=pk)
    return _render(request, investment, close_form=form)
