"""Conditions of an award: the group sends evidence, an officer accepts it or asks again, and
adds conditions; the evidence file for those who may see it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from fund.models import Fund, FundRole
from investments.forms import AskAgainForm, ConditionForm, EvidenceForm
from investments.models import AwardCondition, Investment, Payment
from investments.services import conditions
from investments.views.oversight import officer_required
from kit.decorators import posts_to
from kit.downloads import private_file
from kit.forms import add_service_errors


def _form_page(request, form, *, title: str, caption: str, back_url: str, intro: str = "") -> HttpResponse:
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "intro": intro,
            "back_url": back_url,
            "multipart": True,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def send_evidence(request: AuthenticatedHttpRequest, pk: int, condition_pk: int) -> HttpResponse:
    investment = get_object_or_404(Investment.objects.for_member(request.user), pk=pk)
    condition = get_object_or_404(
        investment.award_conditions.exclude(status=AwardCondition.Status.MET), pk=condition_pk
    )
    form = EvidenceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            conditions.send_evidence(
                condition=condition,
                by=request.user,
                note=form.cleaned_data["note"],
                upload=form.cleaned_data.get("evidence"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your evidence is sent. The fund team will check it.")
            return redirect("investments:investment", pk=pk)
    if form.errors and request.FILES.get("evidence") and "evidence" not in form.errors:
        form[
            "evidence"
        ].help_text = "The file you chose was not kept because of the problems above. Choose it again."
    intro = f"The condition: {condition.text}"
    if condition.asked_again:
        intro += f" The fund team asked for more: {condition.asked_again}"
    return _form_page(
        request,
        form,
        title="Show a condition is met",
        caption=investment.application.organisation.name,
        intro=intro,
        back_url=reverse("investments:investment", args=[pk]),
    )


def _managed_condition(request: AuthenticatedHttpRequest, pk: int, condition_pk: int) -> AwardCondition:
    return get_object_or_404(
        AwardCondition.objects.filter(
            investment__in=Investment.objects.managed_by(request.user)
        ).select_related("investment__application"),
        pk=condition_pk,
        investment_id=pk,
    )


@officer_required
@posts_to("investments:oversight_investment", "pk")
def mark_met(request: AuthenticatedHttpRequest, pk: int, condition_pk: int) -> HttpResponse:
    condition = _managed_condition(request, pk, condition_pk)
    seen = parse_datetime(request.POST.get("seen", ""))
    try:
        conditions.mark_met(condition=condition, by=request.user, seen_sent_at=seen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"The condition is met: payment {condition.payment.number} is no longer held back by it."
        )
    return redirect("investments:oversight_investment", pk=pk)


@officer_required
@require_http_methods(["GET", "POST"])
def ask_again(request: AuthenticatedHttpRequest, pk: int, condition_pk: int) -> HttpResponse:
    condition = _managed_condition(request, pk, condition_pk)
    form = AskAgainForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            conditions.ask_again(condition=condition, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The group is asked again, and told what more is needed.")
            return redirect("investments:oversight_investment", pk=pk)
    return _form_page(
        request,
        form,
        title="Ask the group for more",
        caption=condition.investment.application.reference or "",
        intro=f"The condition: {condition.text} The group said: {condition.evidence_note}",
        back_url=reverse("investments:oversight_investment", args=[pk]),
    )


@officer_required
@require_http_methods(["GET", "POST"])
def add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    investment = get_object_or_404(
        Investment.objects.managed_by(request.user).select_related("application"), pk=pk
    )
    payments = list(investment.payments.filter(status=Payment.Status.SCHEDULED).order_by("number"))
    if not payments:
        messages.error(
            request, "Every payment has been made, in part or in full: there is none left to hold back."
        )
        return redirect("investments:oversight_investment", pk=pk)
    form = ConditionForm(request.POST if request.method == "POST" else None, payments=payments)
    if request.method == "POST" and form.is_valid():
        payment = next(p for p in payments if p.number == form.cleaned_data["payment"])
        try:
            conditions.add(
                investment=investment, payment=payment, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The condition is added: it holds back payment {payment.number}.")
            return redirect("investments:oversight_investment", pk=pk)
    return _form_page(
        request,
        form,
        title="Add a condition",
        caption=investment.application.reference or "",
        intro="The group sends evidence that it is met; the payment waits until you accept it.",
        back_url=reverse("investments:oversight_investment", args=[pk]),
    )


@login_required
@require_GET
def evidence(request: AuthenticatedHttpRequest, condition_pk: int) -> HttpResponseBase:
    """The evidence file: for the group's members and the fund's officers and finance."""
    condition = get_object_or_404(AwardCondition.objects.select_related("investment__round"), pk=condition_pk)
    investment = condition.investment
    team = Fund.objects.with_role(request.user, FundRole.Role.OFFICER, FundRole.Role.FINANCE)
    allowed = (
        Investment.objects.for_member(request.user).filter(pk=investment.pk).exists()
        or team.filter(pk=investment.round.fund_id).exists()
    )
    if not allowed or not condition.evidence:
        raise Http404("No file found.")
    return private_file(
        condition.evidence, filename=condition.evidence_name, content_type=condition.evidence_type
    )
