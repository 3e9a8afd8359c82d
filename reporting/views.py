"""Finance's pages: funds and payments, proxies, outcome records, the SROI page and board packs.

Finance and the fund's officers see a fund's social value; only finance changes its proxies.
Every object is read through a queryset scoped to the person, so anyone else finds nothing.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from fund.decorators import role_required
from fund.models import Fund, FundRole, Round
from fund.permissions import can_handle_finance
from investments.models import Investment
from kit.decorators import posts_to
from kit.downloads import csv_response, private_file
from kit.forms import add_service_errors
from kit.pagination import paginate
from reporting import cache as figures_cache
from reporting import giving360, services
from reporting.charts import report_sections
from reporting.figures import (
    CSV_HEADER,
    SroiReport,
    build_report,
    csv_name,
    csv_rows,
    financial_year,
    outcome_values,
)
from reporting.filters import SroiFilter
from reporting.forms import OutcomeForm, ProxyForm
from reporting.models import BoardPack, FinancialProxy, OutcomeRecord, ProxyVersion
from reporting.starter import load_starter_proxies

finance_required = role_required(FundRole.Role.FINANCE)
REPORTING_ROLES = (FundRole.Role.FINANCE, FundRole.Role.OFFICER)


@finance_required
def finance_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Finance's page: their funds' rounds with budgets and allocations, and the investments to pay."""
    rounds = Round.objects.with_allocated_and_criteria().order_by("-opens_at")
    funds = Fund.objects.with_role(request.user, FundRole.Role.FINANCE).prefetch_related(
        Prefetch("rounds", queryset=rounds)
    )
    investments = (
        Investment.objects.for_finance(request.user)
        .select_related("application__organisation", "round")
        .with_paid()
        .order_by("application__reference", "pk")
    )
    return render(
        request, "reporting/finance_home.html", {"funds": funds, "page": paginate(request, investments)}
    )


def _reporting_fund(request: AuthenticatedHttpRequest, slug: str) -> Fund:
    return get_object_or_404(Fund.objects.with_role(request.user, *REPORTING_ROLES), slug=slug)


def _finance_fund(request: AuthenticatedHttpRequest, slug: str) -> Fund:
    return get_object_or_404(Fund.objects.with_role(request.user, FundRole.Role.FINANCE), slug=slug)


def _is_finance(request: AuthenticatedHttpRequest, fund: Fund) -> bool:
    return bool(can_handle_finance(request.user, fund))


# --- Financial proxies ---------------------------------------------------------------------------


@login_required
def proxies(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = _finance_fund(request, slug)
    if request.method == "POST" and "starter" in request.POST:
        added = load_starter_proxies(fund=fund, by=request.user)
        messages.success(request, f"{added} starter proxies added. Each is marked for you to review.")
        return redirect("reporting:proxies", slug=slug)
    listed = FinancialProxy.objects.filter(fund=fund).prefetch_related("versions")
    return render(
        request,
        "reporting/proxies.html",
        {"fund": fund, "proxies": sorted(listed, key=lambda proxy: proxy.current.name.lower())},
    )


def _proxy_form_page(request, fund, form, proxy=None) -> HttpResponse:
    return render(
        request,
        "reporting/proxy_form.html",
        {"fund": fund, "form": form, "proxy": proxy, "versions": proxy.versions.all() if proxy else []},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proxy_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = _finance_fund(request, slug)
    form = ProxyForm(request.POST or None, initial={"needs_review": True})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.save_proxy(fund=fund, by=request.user, values=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{version.name}” is added.")
            return redirect("reporting:proxies", slug=slug)
    return _proxy_form_page(request, fund, form)


@login_required
@require_http_methods(["GET", "POST"])
def proxy_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    fund = _finance_fund(request, slug)
    proxy = get_object_or_404(FinancialProxy.objects.filter(fund=fund).prefetch_related("versions"), pk=pk)
    current = proxy.current
    initial = ProxyForm.initial_from(current) if current is not None else None
    form = ProxyForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        values = {name: value for name, value in form.cleaned_data.items() if name != "change_reason"}
        try:
            version = services.save_proxy(
                fund=fund,
                by=request.user,
                values=values,
                proxy=proxy,
                reason=form.cleaned_data["change_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{version.name}” is saved as version {version.number}.")
            return redirect("reporting:proxies", slug=slug)
    return _proxy_form_page(request, fund, form, proxy)


# --- Outcome records -----------------------------------------------------------------------------


def _reporting_investment(request: AuthenticatedHttpRequest, pk: int) -> Investment:
    funds = Fund.objects.with_role(request.user, *REPORTING_ROLES)
    return get_object_or_404(
        Investment.objects.filter(round__fund__in=funds).select_related(
            "application__organisation", "round__fund", "tier"
        ),
        pk=pk,
    )


OUTCOMES_PER_PAGE = 25


def _proxies(fund: Fund) -> list[ProxyVersion]:
    """The fund's proxies as they stand, by name: every proxy has a version once saved."""
    proxies = FinancialProxy.objects.filter(fund=fund).prefetch_related("versions")
    versions = [version for proxy in proxies if (version := proxy.current) is not None]
    return sorted(versions, key=lambda version: version.name.lower())


def _outcome_form_page(request, investment: Investment, form: OutcomeForm, record=None) -> HttpResponse:
    """Recording or changing one outcome: a page of its own, beside the list of them."""
    return render(
        request,
        "reporting/outcome_form.html",
        {
            "investment": investment,
            "form": form,
            "record": record,
            "proxies": _proxies(investment.round.fund),
            "fund": investment.round.fund,
            "is_finance": _is_finance(request, investment.round.fund),
        },
        status=400 if form.errors else 200,
    )


def _save_outcome(request, investment: Investment, form: OutcomeForm, record: OutcomeRecord) -> bool:
    if not form.is_valid():
        return False
    for name, value in form.cleaned_data.items():
        setattr(record, name, value if name != "override_reason" else value or "")
    try:
        services.save_outcome(record=record, by=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@login_required
@require_GET
def outcomes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    investment = _reporting_investment(request, pk)
    records = (
        investment.outcome_records.select_related("goal", "update", "recorded_by")
        .prefetch_related("proxy__versions")
        .order_by("period_start", "pk")
    )
    # Every proxy has a version from the moment it is saved.
    recorded = [(record, version) for record in records if (version := record.proxy.current) is not None]
    values, total = outcome_values(recorded, investment)
    fund = investment.round.fund
    return render(
        request,
        "reporting/outcomes.html",
        {
            "investment": investment,
            # A card for each outcome, a page at a time; the total above them counts them all.
            "records": paginate(
                request,
                [(record, version, value) for (record, version), value in zip(recorded, values, strict=True)],
                per_page=OUTCOMES_PER_PAGE,
            ),
            "total": total if recorded else None,
            "has_proxies": FinancialProxy.objects.filter(fund=fund).exists(),
            "fund": fund,
            "is_finance": _is_finance(request, fund),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    investment = _reporting_investment(request, pk)
    form = OutcomeForm(request.POST or None, investment=investment)
    if request.method == "POST" and _save_outcome(
        request, investment, form, OutcomeRecord(investment=investment)
    ):
        messages.success(request, "The outcome is recorded.")
        return redirect("reporting:outcomes", pk=pk)
    return _outcome_form_page(request, investment, form)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: AuthenticatedHttpRequest, pk: int, record_pk: int) -> HttpResponse:
    investment = _reporting_investment(request, pk)
    record = get_object_or_404(investment.outcome_records, pk=record_pk)
    form = OutcomeForm(request.POST or None, investment=investment, initial=OutcomeForm.initial_from(record))
    if request.method == "POST" and _save_outcome(request, investment, form, record):
        messages.success(request, "The outcome is saved.")
        return redirect("reporting:outcomes", pk=pk)
    return _outcome_form_page(request, investment, form, record)


@login_required
@posts_to("reporting:outcomes", "pk")
def outcome_delete(request: AuthenticatedHttpRequest, pk: int, record_pk: int) -> HttpResponse:
    investment = _reporting_investment(request, pk)
    record = get_object_or_404(investment.outcome_records, pk=record_pk)
    record.delete()
    messages.success(request, "The outcome is removed.")
    return redirect("reporting:outcomes", pk=pk)


# --- The SROI page, its CSV and board packs ----------------------------------------------------


def _report(request: AuthenticatedHttpRequest, fund: Fund, stories: int = 3) -> tuple[SroiFilter, SroiReport]:
    filters = SroiFilter(request.GET or None, fund=fund)

    def build() -> SroiReport:
        return build_report(fund, filters.qs, scope=filters.scope, stories=stories)

    if filters.is_bound and not filters.form.is_valid():
        return filters, build()  # what is shown for filters no longer available is not kept
    return filters, figures_cache.report_for(fund, filters.chosen, stories, build)


def _without_page(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def sroi(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = _reporting_fund(request, slug)
    filters, report = _report(request, fund)
    return render(
        request,
        "reporting/sroi.html",
        {
            "fund": fund,
            "filter": filters,
            "report": report,
            # The page shows the by-investment table a page at a time; the CSV has every row.
            "by_investment": paginate(request, report.by_investment),
            "sections": report_sections(report),
            "open_data_since": _award_year_starts(fund),
            "packs": fund.board_packs.select_related("requested_by")[:10],
            "query": _without_page(request),
        },
    )


@login_required
def sroi_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    fund = _reporting_fund(request, slug)
    _, report = _report(request, fund, stories=0)
    return csv_response(csv_name(fund), CSV_HEADER, csv_rows(report))


def _award_year_starts(fund: Fund) -> list[tuple[str, str]]:
    """The start of each financial year the fund made awards in, latest first, to export from."""
    awarded = Investment.objects.filter(round__fund=fund).dates("created_at", "month")
    years = sorted({financial_year(day) for day in awarded}, reverse=True)
    return [(f"{year}-04-01", f"1 April {year}") for year in years]


@login_required
def open_data(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The fund's awards as 360Giving data (?format=json|csv|xlsx), all or those made since a date."""
    fund = _reporting_fund(request, slug)
    format = request.GET.get("format", "json")
    if format not in giving360.FORMATS:
        return HttpResponse(
            "Choose JSON, CSV or XLSX for the open data.", status=400, content_type="text/plain"
        )
    since = None
    if request.GET.get("since"):
        try:
            since = date.fromisoformat(request.GET["since"])
        except ValueError:
            return HttpResponse(
                "The date to export from must be written like 2026-04-01.",
                status=400,
                content_type="text/plain",
            )
    return giving360.download(fund, format, since)


@login_required
@posts_to("reporting:sroi", "slug")
def board_pack_request(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = _reporting_fund(request, slug)
    filters = SroiFilter(request.POST, fund=fund)
    if not filters.form.is_valid():
        messages.error(request, "Those filters are no longer available: choose them again.")
        return redirect("reporting:sroi", slug=slug)
    try:
        pack = services.request_board_pack(
            fund=fund, by=request.user, filters=filters.chosen, scope=filters.scope
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting:sroi", slug=slug)
    return redirect("reporting:board_pack", slug=slug, pk=pack.pk)


@login_required
def board_pack(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    fund = _reporting_fund(request, slug)
    pack = get_object_or_404(fund.board_packs.select_related("requested_by"), pk=pk)
    return render(request, "reporting/board_pack.html", {"fund": fund, "pack": pack})


@login_required
@never_cache
def board_pack_status(request: AuthenticatedHttpRequest, slug: str, pk: int) -> JsonResponse:
    fund = _reporting_fund(request, slug)
    pack = get_object_or_404(fund.board_packs, pk=pk)
    return JsonResponse(
        {"status": pack.status, "progress": pack.progress, "stage": pack.stage, "finished": pack.finished}
    )


@login_required
def board_pack_download(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponseBase:
    fund = _reporting_fund(request, slug)
    pack = get_object_or_404(fund.board_packs, pk=pk)
    if pack.status != BoardPack.Status.READY or not pack.file:
        raise Http404("This board pack is not ready")
    return private_file(pack.file, filename=pack.filename, content_type="application/pdf")
