"""Finance's payment runs: the tranches due, a run of those payable, its file for the finance
system, and marking it paid. Read through the funds the person is a finance officer of: another
fund's run is not found."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from fund.decorators import role_required
from fund.models import Fund, FundRole
from investments.forms import MarkRunPaidForm
from investments.models import PaymentRun
from investments.services import payment_runs as services
from kit.decorators import posts_to
from kit.downloads import csv_response
from kit.forms import add_service_errors
from kit.pagination import paginate

finance_required = role_required(FundRole.Role.FINANCE)


def _fund(request: AuthenticatedHttpRequest, slug: str) -> Fund:
    return get_object_or_404(Fund.objects.with_role(request.user, FundRole.Role.FINANCE), slug=slug)


def _run(request: AuthenticatedHttpRequest, pk: int) -> PaymentRun:
    return get_object_or_404(
        PaymentRun.objects.filter(
            fund__in=Fund.objects.with_role(request.user, FundRole.Role.FINANCE)
        ).select_related("fund", "created_by", "paid_by"),
        pk=pk,
    )


@finance_required
def runs(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    today = timezone.localdate()
    due = services.tranches_due(fund, today)
    return render(
        request,
        "investments/payment_runs.html",
        {
            "fund": fund,
            "runs": paginate(request, fund.payment_runs.select_related("created_by")),
            "payable": sum(tranche.payable for tranche in due),
            "held": sum(not tranche.payable for tranche in due),
            "to_check": services.unchecked_bank_details(Fund.objects.filter(pk=fund.pk)).select_related(
                "application__organisation"
            ),
        },
    )


@finance_required
@require_http_methods(["GET", "POST"])
def new_run(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    today = timezone.localdate()
    errors: list[str] = []
    if request.method == "POST":
        chosen = [int(pk) for pk in request.POST.getlist("payments") if pk.isdigit()]
        try:
            run = services.create_run(fund=fund, payment_ids=chosen, by=request.user, today=today)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"Payment run {run.number} is ready: check it, then download its file.")
            return redirect("investments:payment_run", pk=run.pk)
    due = services.tranches_due(fund, today)
    ticked = (
        {int(pk) for pk in request.POST.getlist("payments") if pk.isdigit()}
        if request.method == "POST"
        else None
    )
    return render(
        request,
        "investments/payment_run_new.html",
        {
            "fund": fund,
            "payable": [tranche for tranche in due if tranche.payable],
            "held": [tranche for tranche in due if not tranche.payable],
            "ticked": ticked,
            "errors": [("payment-1", message) for message in errors],
        },
        status=400 if errors else 200,
    )


@finance_required
@require_http_methods(["GET", "POST"])
def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    form = MarkRunPaidForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_paid(
                run=run,
                by=request.user,
                paid_on=form.cleaned_data["paid_on"],
                total=form.cleaned_data["total"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Payment run {run.number} is paid: each payment is recorded.")
            return redirect("investments:payment_run", pk=run.pk)
    lines = run.lines.select_related(
        "payment__investment__application__organisation", "bank_details", "entry"
    )
    return render(
        request,
        "investments/payment_run.html",
        {"run": run, "lines": lines, "total": services.total_of(run), "form": form},
        status=400 if form.errors else 200,
    )


@finance_required
def run_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    run = _run(request, pk)
    return csv_response(
        f"{run.reference}.csv",
        ["Payee", "Sort code", "Account number", "Amount (£)", "Reference"],
        services.file_rows(run),
    )


@finance_required
@posts_to("fund:officer_home")
@require_POST
def discard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    try:
        services.discard_run(run=run, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("investments:payment_run", pk=run.pk)
    messages.success(request, f"Payment run {run.number} is discarded: its payments can go in another run.")
    return redirect("investments:payment_runs", slug=run.fund.slug)
