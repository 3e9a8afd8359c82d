"""Fund officers' own pages: their funds, rounds and scoring criteria.

Every object is read through a queryset scoped to the officer's funds, so an
officer of one fund finds nothing (404) of another.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fund import services
from fund.forms import CriterionForm, PaymentForm, RoundForm
from fund.models import Criterion, Fund, FundRole, Investment, Payment, Round
from portal.decorators import role_required
from portal.forms import add_service_errors

officer_required = role_required(FundRole.Role.OFFICER)


@officer_required
def officer_home(request: HttpRequest) -> HttpResponse:
    funds = Fund.objects.managed_by(request.user).prefetch_related(
        Prefetch("rounds", queryset=Round.objects.order_by("-opens_at"))
    )
    return render(request, "fund/officer_home.html", {"funds": funds})


@officer_required
def fund_detail(request: HttpRequest, slug: str) -> HttpResponse:
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
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund.objects.managed_by(request.user), slug=slug)
    return _round_form(request, fund=fund, round=None)


@officer_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_object_or_404(Round.objects.managed_by(request.user).select_related("fund"), pk=pk)
    return _round_form(request, fund=round.fund, round=round)


def _round_form(request: HttpRequest, *, fund: Fund, round: Round | None) -> HttpResponse:
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
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_object_or_404(Round.objects.managed_by(request.user).select_related("fund"), pk=pk)
    return _criterion_form(request, round=round, criterion=None)


@officer_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(
        Criterion.objects.filter(round__in=Round.objects.managed_by(request.user)).select_related(
            "round__fund"
        ),
        pk=pk,
    )
    return _criterion_form(request, round=criterion.round, criterion=criterion)


def _criterion_form(request: HttpRequest, *, round: Round, criterion: Criterion | None) -> HttpResponse:
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
def criterion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(
        Criterion.objects.filter(round__in=Round.objects.managed_by(request.user)).select_related(
            "round__fund"
        ),
        pk=pk,
    )
    if request.method == "POST":
        round = criterion.round
        services.remove_criterion(criterion=criterion)
        messages.success(request, f"The criterion ‘{criterion.title}’ has been removed.")
        return redirect("fund:round_detail", pk=round.pk)
    return render(request, "fund/criterion_delete.html", {"criterion": criterion, "round": criterion.round})


# --- Finance: payments ------------------------------------------------------------------------

finance_required = role_required(FundRole.Role.FINANCE)


def _finance_investment(request: HttpRequest, pk: int) -> Investment:
    return get_object_or_404(
        Investment.objects.for_finance(request.user).select_related(
            "application__organisation", "round", "tier"
        ),
        pk=pk,
    )


def _payments_page(request: HttpRequest, investment: Investment, form=None, payment_pk=None) -> HttpResponse:
    today = timezone.localdate()
    payments = [
        (
            payment,
            services.unmet_conditions(payment, today) if payment.status == Payment.Status.SCHEDULED else [],
            form if payment.pk == payment_pk else PaymentForm(prefix=f"payment-{payment.number}"),
        )
        for payment in investment.payments.select_related("recorded_by")
    ]
    paid = sum((payment.paid_amount or 0 for payment, _, _ in payments), Decimal(0))
    return render(
        request,
        "fund/payments.html",
        {
            "investment": investment,
            "payments": payments,
            "paid": paid,
            "left": investment.amount - paid,
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@finance_required
def investment_payments(request: HttpRequest, pk: int) -> HttpResponse:
    return _payments_page(request, _finance_investment(request, pk))


@finance_required
@require_http_methods(["POST"])
def record_payment(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    investment = _finance_investment(request, pk)
    payment = get_object_or_404(investment.payments, number=number)
    form = PaymentForm(request.POST, prefix=f"payment-{number}")
    if form.is_valid():
        try:
            services.record_payment(
                payment=payment,
                by=request.user,
                paid_on=form.cleaned_data["paid_on"],
                amount=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Payment {number} is recorded as paid.")
            return redirect("fund:investment_payments", pk=pk)
    return _payments_page(request, investment, form=form, payment_pk=payment.pk)
