"""Finance's pages for an investment's tranches: record a payment, reverse a mistaken one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from fund.decorators import role_required
from fund.models import FundRole
from fund.money import pounds
from investments.forms import BankCheckForm, PaymentForm, ReverseEntryForm
from investments.models import Investment, Payment, PaymentEntry
from investments.services import payments as services
from kit.decorators import posts_to
from kit.forms import add_service_errors
from kit.words import possessive
from organisations.services import bank_details_of

finance_required = role_required(FundRole.Role.FINANCE)


def _finance_investment(request: AuthenticatedHttpRequest, pk: int) -> Investment:
    return get_object_or_404(
        Investment.objects.for_finance(request.user).select_related(
            "application__organisation", "round", "tier"
        ),
        pk=pk,
    )


def _payments_page(
    request: AuthenticatedHttpRequest,
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
        payment.left = payment.amount - payment.paid  # type: ignore[attr-defined]  # for the page
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
                initial={"amount": payment.left},  # type: ignore[attr-defined]
            ),
        )
        for payment in tranches
    ]
    paid = Investment.objects.with_paid().get(pk=investment.pk).paid
    return render(
        request,
        "investments/payments.html",
        {
            "investment": investment,
            "payments": payments,
            "paid": paid,
            "left": investment.amount - paid,
            "form": form,
            "bank_details": bank_details_of(investment.application.organisation),
        },
        status=400 if form is not None and form.errors else 200,
    )


@finance_required
def investment_payments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _payments_page(request, _finance_investment(request, pk))


@finance_required
@posts_to("investments:investment_payments", "pk")
def record_payment(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
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
            return redirect("investments:investment_payments", pk=pk)
    return _payments_page(request, investment, form=form, payment_pk=payment.pk)


@finance_required
@require_http_methods(["GET", "POST"])
def reverse_entry(request: AuthenticatedHttpRequest, pk: int, entry_pk: int) -> HttpResponse:
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
        return redirect("investments:investment_payments", pk=pk)
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
            return redirect("investments:investment_payments", pk=pk)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": f"Reverse {pounds(entry.amount)} paid on {entry.paid_on:%-d %B %Y}",
            "caption": f"Payment {entry.payment.number}, reference {entry.reference}",
            "intro": "A reversal takes the amount off what has been paid. Both entries stay in the ledger.",
            "back_url": reverse("investments:investment_payments", args=[pk]),
        },
        status=400 if form.errors else 200,
    )


@finance_required
@require_http_methods(["GET", "POST"])
def bank_details_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The group's bank details in full, for finance alone, to check by a second channel."""
    investment = _finance_investment(request, pk)
    organisation = investment.application.organisation
    details = bank_details_of(organisation)
    if details is None:
        messages.info(request, f"{organisation.name} has not given its bank details yet.")
        return redirect("investments:investment_payments", pk=investment.pk)
    form = BankCheckForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verify_bank_details(details=details, by=request.user, how=form.cleaned_data["how"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{possessive(organisation.name)} bank details are checked: payments can go to them."
            )
            return redirect("investments:investment_payments", pk=investment.pk)
    return render(
        request,
        "investments/bank_details_check.html",
        {"investment": investment, "organisation": organisation, "details": details, "form": form},
        status=400 if form.errors else 200,
    )
