"""Fund officers' own pages: their funds, rounds and scoring criteria.

Every object is read through a queryset scoped to the officer's funds, so an
officer of one fund finds nothing (404) of another.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fund import services
from fund.decorators import role_required
from fund.forms import CriterionForm, PaymentForm, ReverseEntryForm, RoundForm
from fund.models import Criterion, Fund, FundRole, Investment, Payment, PaymentEntry, Round
from fund.money import pounds
from kit.decorators import posts_to
from kit.forms import add_service_errors

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
        try:
            services.remove_criterion(criterion=criterion)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
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


def _payments_page(
    request: HttpRequest,
    investment: Investment,
    form: PaymentForm | None = None,
    payment_pk: int | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    tranches = list(
        investment.payments.with_paid().prefetch_related(
            Prefetch("entries", queryset=PaymentEntry.objects.select_related("recorded_by", "reversed_by"))
        )
    )
    for payment in tranches:
        payment.left = payment.amount - payment.paid
    release = services.ReleaseState.of(investment)
    payments = [
        (
            payment,
            services.unmet_conditions(payment, today, release)
            if payment.status != Payment.Status.PAID
            else [],
            form
            if payment.pk == payment_pk
            else PaymentForm(
                prefix=f"payment-{payment.number}",
                conditions=investment.conditions,
                initial={"amount": payment.left},
            ),
        )
        for payment in tranches
    ]
    paid = Investment.objects.with_paid().get(pk=investment.pk).paid
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
@posts_to("fund:investment_payments", "pk")
def record_payment(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    investment = _finance_investment(request, pk)
    payment = get_object_or_404(investment.payments, number=number)
    form = PaymentForm(request.POST, prefix=f"payment-{number}", conditions=investment.conditions)
    if form.is_valid():
        try:
            entry = services.record_payment(payment=payment, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            payment.refresh_from_db()
            done = "paid in full" if payment.status == Payment.Status.PAID else "part paid"
            messages.success(
                request, f"{pounds(entry.amount)} recorded against payment {number}: it is {done}."
            )
            return redirect("fund:investment_payments", pk=pk)
    return _payments_page(request, investment, form=form, payment_pk=payment.pk)


@finance_required
@require_http_methods(["GET", "POST"])
def reverse_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    investment = _finance_investment(request, pk)
    entry = get_object_or_404(
        PaymentEntry.objects.filter(payment__investment=investment, reverses__isnull=True).select_related(
            "payment", "recorded_by"
        ),
        pk=entry_pk,
    )
    if PaymentEntry.objects.filter(reverses=entry).exists():
        messages.error(
            request, f"The {pounds(entry.amount)} paid on {entry.paid_on:%-d %B %Y} is already reversed."
        )
        return redirect("fund:investment_payments", pk=pk)
    form = ReverseEntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_payment(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The {pounds(entry.amount)} recorded against payment {entry.payment.number} is reversed.",
            )
            return redirect("fund:investment_payments", pk=pk)
    return render(
        request,
        "applications/form_page.html",
        {
            "form": form,
            "title": f"Reverse {pounds(entry.amount)} paid on {entry.paid_on:%-d %B %Y}",
            "caption": f"Payment {entry.payment.number}, reference {entry.reference}",
            "intro": "A reversal takes the amount off what has been paid. Both entries stay in the ledger.",
            "back_url": reverse("fund:investment_payments", args=[pk]),
        },
        status=400 if form.errors else 200,
    )
