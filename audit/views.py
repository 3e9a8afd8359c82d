"""Reading the audit trail: an object's history, and the log of a period as a spreadsheet.

Only officers and finance of the fund see it. Every view here only reads: nothing in the portal
can change or remove an audit entry.
"""

from __future__ import annotations

from datetime import timedelta

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from applications.models import Application
from assessment.models import Decision, Score
from audit import exports, trail
from audit.models import AuditExport
from fund.models import Fund, FundRole
from investments.models import Investment, Payment, PaymentEntry
from kit.downloads import csv_response, private_file
from kit.fields import DayMonthYearField
from kit.forms import PlainForm
from kit.pagination import paginate
from mentoring.models import Assignment
from reporting.models import FinancialProxy, OutcomeRecord, ProxyVersion

ROLES = (FundRole.Role.OFFICER, FundRole.Role.FINANCE)


def _funds(request: AuthenticatedHttpRequest):
    return Fund.objects.with_role(request.user, *ROLES)


def _subject(request: AuthenticatedHttpRequest, kind: str, pk: int):
    """The object whose history is asked for, its title, and the parts of its history."""
    funds = _funds(request)
    if kind == "applications":
        application = get_object_or_404(Application.objects.for_staff(request.user, *ROLES), pk=pk)
        return (
            application,
            f"Application {application}",
            [
                (Application, "Application", {"id": pk}),
                (Decision, "Decision", {"application_id": pk}),
                (Score, "Score", {"review__application_id": pk}),
            ],
        )
    if kind == "investments":
        investment = get_object_or_404(Investment.objects.filter(round__fund__in=funds), pk=pk)
        return (
            investment,
            f"Investment {investment.application.reference}",
            [
                (Investment, "Investment", {"id": pk}),
                (Payment, "Payment", {"investment_id": pk}),
                (PaymentEntry, "Payment entry", {"payment__investment_id": pk}),
                (Assignment, "Mentor assignment", {"investment_id": pk}),
                (OutcomeRecord, "Outcome record", {"investment_id": pk}),
            ],
        )
    if kind == "proxies":
        proxy = get_object_or_404(FinancialProxy.objects.filter(fund__in=funds), pk=pk)
        return proxy, f"Financial proxy: {proxy}", [(ProxyVersion, "Financial proxy", {"proxy_id": pk})]
    raise Http404("There is no history of that kind")


@login_required
@require_GET
def history(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    subject, title, parts = _subject(request, kind, pk)
    page = paginate(request, trail.for_objects(parts))
    return render(
        request, "audit/history.html", {"subject": subject, "title": title, "entries": page, "page": page}
    )


class PeriodForm(PlainForm):
    start = DayMonthYearField(label="Start date", example="1 4 2026")
    end = DayMonthYearField(label="End date", example="31 3 2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field("start"), Field("end"), Button("submit", "Download the log (CSV)"))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data


def _downloads(request: AuthenticatedHttpRequest):
    return AuditExport.objects.current().filter(requested_by=request.user)


@login_required
@require_GET
def log(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    funds = _funds(request)
    if not funds.exists():
        raise Http404("You are not an officer or finance officer of any fund")
    today = timezone.localdate()
    form = PeriodForm(
        request.GET if "start_0" in request.GET else None,
        initial={"start": today - timedelta(days=30), "end": today},
    )
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if exports.too_long_to_send(start, end):
            export = exports.request_export(by=request.user, funds=funds, start=start, end=end)
            messages.success(
                request,
                f"The log from {start:%-d %B %Y} to {end:%-d %B %Y} is being made: it is listed below, "
                "ready to download, in a few minutes.",
            )
            return redirect(f"{reverse('audit:log')}#export-{export.pk}")
        name = f"audit-log-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv"
        return csv_response(name, exports.HEADER, exports.rows(funds, start, end))
    return render(
        request,
        "audit/log.html",
        {"form": form, "downloads": _downloads(request), "longest": exports.LONGEST_AT_ONCE.days},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """A made log, for the person who asked for it while they are still staff of all its funds."""
    export = get_object_or_404(_downloads(request), pk=pk, status=AuditExport.Status.READY)
    if export.funds.exclude(pk__in=_funds(request)).exists():
        raise Http404("You are no longer an officer or finance officer of every fund this log covers")
    return private_file(export.file, filename=export.filename, content_type="text/csv; charset=utf-8")
