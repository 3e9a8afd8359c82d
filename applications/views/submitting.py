"""Check your answers, submit, the confirmation, withdrawal and documents' downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from applications.answers import answers
from applications.forms import ConfirmForm
from applications.models import Application
from applications.services import applying as services
from applications.views.applying import editable_application, editing, member_application, section_url
from kit.http import site_root


@editing
@require_http_methods(["GET", "POST"])
def check_answers(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if member_application(request, pk).status == Application.Status.SUBMITTED:
        # The back button after sending: show the confirmation again, send nothing twice.
        return redirect("applications:submitted", pk=pk)
    application = editable_application(request, pk)
    problems = services.submission_problems(application)
    if request.method == "POST":
        try:
            application = services.submit_application(
                application=application, by=request.user, base_url=site_root(request)
            )
        except ValidationError as error:
            problems = error.messages
        else:
            return redirect("applications:submitted", pk=application.pk)
    sections = answers(application)
    for section in sections:
        section["url"] = section_url(application, section["slug"])
    return render(
        request,
        "applications/check_answers.html",
        {"application": application, "answers": sections, "problems": problems},
    )


@login_required
def submitted(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = member_application(request, pk)
    if application.status != Application.Status.SUBMITTED:
        return redirect("applications:application_detail", pk=application.pk)
    return render(request, "applications/submitted.html", {"application": application})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = member_application(request, pk)
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        label="Are you sure you want to withdraw this application?",
        button="Continue",
        is_page_heading=False,
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"]:
            try:
                services.withdraw_application(application=application, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"{application} has been withdrawn.")
                return redirect("applications:applicant_home")
        return redirect("applications:application_detail", pk=application.pk)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": "Withdraw your application",
            "application": application,
            "intro": (
                "The fund will stop considering it. You cannot undo this, but you can start a new "
                "application while the round is open."
            ),
            "warning": True,
        },
    )
