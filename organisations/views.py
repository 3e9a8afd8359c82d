"""A group's profile, its members and invitations. Nobody else's group exists for a person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from fund.models import Round
from kit.forms import add_service_errors
from kit.http import redirect_to_next, site_root
from kit.invitations import invitation_page
from kit.words import possessive
from organisations import services
from organisations.forms import BankDetailsForm, InvitationForm, OrganisationForm
from organisations.models import Invitation, Organisation
from organisations.permissions import can_accept_invitation, can_manage_organisation, invitation_unusable


def _member_organisation(request: AuthenticatedHttpRequest, pk: int) -> Organisation:
    return get_object_or_404(Organisation.objects.for_member(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{organisation.name} has been set up. You can now apply for an investment."
            )
            # Straight on to applying while a round is open: that is why most groups sign up.
            if Round.objects.open().exists():
                return redirect("applications:start", organisation_pk=organisation.pk)
            return redirect("applications:applicant_home")
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": "Tell us about your group", "back": "applications:applicant_home"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = _member_organisation(request, pk)
    if not (permission := can_manage_organisation(request.user, organisation)):
        raise PermissionDenied(permission.reason)
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                services.update_organisation(organisation=organisation, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{possessive(organisation.name)} details have been saved.")
                return redirect_to_next(request, "applications:organisation_detail", pk=organisation.pk)
    else:
        form = OrganisationForm(initial=OrganisationForm.initial_for(organisation))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": f"Change {possessive(organisation.name)} details",
            "caption": organisation.name,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bank_details(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The account the group is paid into: its owners give or change it; members see it masked."""
    organisation = _member_organisation(request, pk)
    current = services.bank_details_of(organisation)
    can_change = can_manage_organisation(request.user, organisation)
    form = BankDetailsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(can_change.reason)
        if form.is_valid():
            try:
                services.give_bank_details(organisation=organisation, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    "The bank details are saved. Every member of the group has been emailed, and payments "
                    "wait until the fund's finance team has checked them with you.",
                )
                return redirect("applications:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "organisations/bank_details.html",
        {"organisation": organisation, "current": current, "form": form, "can_change": bool(can_change)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = _member_organisation(request, pk)
    if not (permission := can_manage_organisation(request.user, organisation)):
        raise PermissionDenied(permission.reason)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_member(
                organisation=organisation, by=request.user, base_url=site_root(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"We have emailed an invitation to {invitation.email}.")
            return redirect("applications:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": "Invite someone to your group", "caption": organisation.name},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation e-mail links to. Anyone holding the link reads which group it is
    for, and nothing else about it, and is offered to create an account or sign in; once signed
    in with the invited address they accept it here."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(token=token).first()
    if invitation is None:
        return render(request, "organisations/invitation_unusable.html", {"invitation": None}, status=404)
    if (
        request.user.is_authenticated
        and invitation.organisation.memberships.filter(user=request.user).exists()
    ):
        messages.success(request, f"You are a member of {invitation.organisation.name}.")
        return redirect("applications:organisation_detail", pk=invitation.organisation_id)
    if reason := invitation_unusable(invitation):
        context = {"invitation": invitation, "reason": reason}
        return render(request, "organisations/invitation_unusable.html", context, status=410)

    def accept() -> HttpResponse:
        membership = services.accept_invitation(invitation=invitation, user=request.user)  # type: ignore[arg-type]
        messages.success(request, f"You are now a member of {membership.organisation.name}.")
        return redirect("applications:organisation_detail", pk=membership.organisation_id)

    return invitation_page(
        request,
        "organisations/invitation_accept.html",
        {"invitation": invitation},
        email=invitation.email,
        permission=can_accept_invitation(request.user, invitation),
        accept=accept,
    )
