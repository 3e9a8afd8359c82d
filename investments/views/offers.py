"""The fund's offer of an award: the group reads it (and its letter), and one of its owners accepts
its terms for the group, or declines. Fund officers and finance read the letter too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from fund.models import Fund, FundRole
from investments.forms import AcceptOfferForm, DeclineOfferForm
from investments.models import Investment, Offer
from investments.services import offers
from investments.services.payments import bank_details_unchecked
from kit.forms import add_service_errors
from kit.pdf import pdf_response, render_pdf
from organisations.models import BankDetails


def _offer(request: AuthenticatedHttpRequest, pk: int, *, staff: bool = False) -> Offer:
    """The offer on investment ``pk`` if the person is in its group (or, with ``staff``, an officer
    or finance officer of its fund); otherwise not found."""
    readers = Q(investment__application__organisation__memberships__user=request.user)
    if staff:
        funds = Fund.objects.with_role(request.user, FundRole.Role.OFFICER, FundRole.Role.FINANCE)
        readers |= Q(investment__round__fund__in=funds)
    offer = (
        Offer.objects.filter(readers)
        .select_related(
            "investment__application__organisation",
            "investment__round__fund",
            "investment__tier",
            "responded_by",
        )
        .filter(investment=pk)
        .first()
    )
    if offer is None:
        raise Http404("No offer found")
    return offer


@login_required
@require_http_methods(["GET", "POST"])
def offer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk)
    investment = offer.investment
    accept_form = AcceptOfferForm()
    decline_form = DeclineOfferForm(prefix="decline")
    if request.method == "POST" and "decline" in request.POST:
        decline_form = DeclineOfferForm(request.POST, prefix="decline")
        if decline_form.is_valid():
            try:
                offers.decline_offer(offer=offer, by=request.user, reason=decline_form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(decline_form, error)
            else:
                messages.success(request, "You declined the offer. The fund team has been told.")
                return redirect("investments:offer", pk=pk)
    elif request.method == "POST":
        accept_form = AcceptOfferForm(request.POST)
        if accept_form.is_valid():
            try:
                offers.accept_offer(offer=offer, by=request.user, **accept_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(accept_form, error)
            else:
                messages.success(request, "You accepted the offer for the group. Thank you.")
                return redirect("investments:offer", pk=pk)
    organisation = investment.application.organisation
    details = BankDetails.objects.filter(organisation=organisation).newest_first().first()
    return render(
        request,
        "investments/offers/offer.html",
        {
            "offer": offer,
            "investment": investment,
            "application": investment.application,
            "payments": investment.payments.order_by("number"),
            "accept_form": accept_form,
            "decline_form": decline_form,
            "form": accept_form if accept_form.errors else decline_form,
            "can_answer": (can_answer := offers.can_answer_offer(request.user, offer)),
            "bank_details": details,
            "bank_details_unchecked": details is not None
            and bank_details_unchecked(Investment.objects.filter(pk=investment.pk)).exists(),
            "is_owner": bool(can_answer),  # the owners answer, and give the bank details
        },
        status=400 if accept_form.errors or decline_form.errors else 200,
    )


@login_required
def offer_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk, staff=True)
    investment = offer.investment
    html = render_to_string(
        "investments/offers/letter.html",
        {
            "offer": offer,
            "investment": investment,
            "application": investment.application,
            "fund": investment.round.fund,
            "payments": list(investment.payments.order_by("number")),
            "conditions": list(investment.award_conditions.select_related("payment").order_by("pk")),
            "updates": list(investment.updates.order_by("number")),
            "goals": list(investment.application.goals.current()),
            "terms": [line.strip() for line in offer.terms.splitlines() if line.strip()],
            "made_at": timezone.localtime(),
        },
    )
    return pdf_response(render_pdf(html), f"offer-{investment.application.reference}.pdf")
