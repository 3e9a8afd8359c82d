"""Fund officers' own pages: their funds, rounds and scoring criteria.

Every object is read through a queryset scoped to the officer's funds, so an
officer of one fund finds nothing (404) of another.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from fund import services
from fund.decorators import role_required
from fund.forms import CriterionForm, FundSettingsForm, RoundForm
from fund.models import Criterion, Fund, FundRole, Round
from kit.forms import add_service_errors

officer_required = role_required(FundRole.Role.OFFICER)


@officer_required
def officer_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    funds = Fund.objects.managed_by(request.user).prefetch_related(
        Prefetch("rounds", queryset=Round.objects.order_by("-opens_at"))
    )
    return render(request, "fund/officer_home.html", {"funds": funds})


@officer_required
def fund_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund.objects.managed_by(request.user), slug=slug)
    rounds = fund.rounds.with_allocated_and_criteria().order_by("-opens_at")
    return render(
        request,
        "fund/fund_detail.html",
        {
            "fund": fund,
            "rounds": rounds,
            "tiers": fund.tiers.all(),
            "places": fund.places.all(),
            "themes": fund.themes.all(),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def fund_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund.objects.managed_by(request.user), slug=slug)
    form = FundSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "goal_change_days": fund.goal_change_days,
            "signoff_limit": fund.signoff_limit,
            "offer_days": fund.offer_days,
            "offer_terms": fund.offer_terms,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.save_fund_settings(fund=fund, by=request.user, **form.cleaned_data)
        messages.success(request, "The fund's settings are saved.")
        return redirect("fund:fund_detail", slug=slug)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": "The fund's settings",
            "caption": fund.name,
            "back_url": reverse("fund:fund_detail", args=[slug]),
        },
        status=400 if form.errors else 200,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def round_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund.objects.managed_by(request.user), slug=slug)
    return _round_form(request, fund=fund, round=None)


@officer_required
def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round = get_object_or_404(Round.objects.managed_by(request.user).select_related("fund"), pk=pk)
    return render(
        request,
        "fund/round_detail.html",
        {
            "round": round,
            "fund": round.fund,
            "allocations": round.allocations.select_related("tier"),
            "criteria": round.criteria.all(),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def round_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round = get_object_or_404(Round.objects.managed_by(request.user).select_related("fund"), pk=pk)
    return _round_form(request, fund=round.fund, round=round)


def _round_form(request: AuthenticatedHttpRequest, *, fund: Fund, round: Round | None) -> HttpResponse:
    tiers = list(fund.tiers.all())
    if request.method == "POST":
        form = RoundForm(request.POST, tiers=tiers)
        if form.is_valid():
            try:
                round = services.save_round(fund=fund, round=round, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{round.name} has been saved.")
                return redirect("fund:round_detail", pk=round.pk)
    else:
        initial = RoundForm.initial_for(round) if round else {}
        form = RoundForm(initial=initial, tiers=tiers)
    return render(request, "fund/round_form.html", {"form": form, "fund": fund, "round": round})


@officer_required
@require_http_methods(["GET", "POST"])
def criterion_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round = get_object_or_404(Round.objects.managed_by(request.user).select_related("fund"), pk=pk)
    return _criterion_form(request, round=round, criterion=None)


@officer_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(
        Criterion.objects.filter(round__in=Round.objects.managed_by(request.user)).select_related(
            "round__fund"
        ),
        pk=pk,
    )
    return _criterion_form(request, round=criterion.round, criterion=criterion)


def _criterion_form(
    request: AuthenticatedHttpRequest, *, round: Round, criterion: Criterion | None
) -> HttpResponse:
    if request.method == "POST":
        form = CriterionForm(request.POST)
        if form.is_valid():
            try:
                saved = services.save_criterion(round=round, criterion=criterion, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"The criterion ‘{saved.title}’ has been saved.")
                return redirect("fund:round_detail", pk=round.pk)
    else:
        form = CriterionForm(initial=CriterionForm.initial_for(criterion) if criterion else None)
    return render(request, "fund/criterion_form.html", {"form": form, "round": round, "criterion": criterion})


@officer_required
@require_http_methods(["GET", "POST"])
def criterion_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(
        Criterion.objects.filter(round__in=Round.objects.managed_by(request.user)).select_related(
            "round__fund"
        ),
        pk=pk,
    )
    if request.method == "POST":
        round = criterion.round
        try:
            services.remove_criterion(criterion=criterion)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The criterion ‘{criterion.title}’ has been removed.")
        return redirect("fund:round_detail", pk=round.pk)
    return render(request, "fund/criterion_delete.html", {"criterion": criterion, "round": criterion.round})
