"""The fund team's view of submitted applications: the answers, every version, and sending one back."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from applications.answers import answers
from applications.forms import SendBackForm
from applications.models import Application
from applications.services import assessment
from fund.models import FundRole, Round
from portal.decorators import role_required
from portal.forms import add_service_errors

officer_required = role_required(FundRole.Role.OFFICER)


@officer_required
def round_applications(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_object_or_404(Round.objects.managed_by(request.user).select_related("fund"), pk=pk)
    applications = (
        Application.objects.managed_by(request.user)
        .filter(round=round)
        .select_related("organisation", "tier")
        .annotate(version_count=Count("versions"))
        .order_by("reference")
    )
    return render(
        request, "applications/staff/round_applications.html", {"round": round, "applications": applications}
    )


@officer_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.managed_by(request.user).select_related("round__fund", "organisation", "tier"),
        pk=pk,
    )
    form = SendBackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment.send_back_for_information(
                application=application,
                questions=form.cleaned_data["questions"],
                by=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{application.reference} has been sent back to {application.organisation.name}."
            )
            return redirect("applications:staff_application", pk=application.pk)
    return render(
        request,
        "applications/staff/application.html",
        {
            "application": application,
            "answers": answers(application),
            "versions": application.versions.select_related("submitted_by"),
            "documents": application.documents.all(),
            "form": form,
            "can_send_back": application.status in assessment.SENDABLE_BACK,
        },
    )


@officer_required
def application_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.managed_by(request.user).select_related("organisation"), pk=pk
    )
    version = get_object_or_404(application.versions.select_related("submitted_by"), number=number)
    return render(
        request,
        "applications/staff/version.html",
        {"application": application, "version": version, "answers": version.answers},
    )
