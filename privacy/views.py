"""Data protection: the privacy notice, a person's own data, and officers handling erasure requests."""

from __future__ import annotations

import json
from functools import wraps

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from fund.models import Fund
from fund.permissions import holds_staff_role, is_administrator
from privacy import erasure
from privacy.forms import CloseAccountForm, ErasureForm, FindPersonForm
from privacy.models import Erasure
from privacy.personal_data import export

# The erasure page's address carries the person signed, and lasts an hour, so nobody reaches
# a person's details by counting through account numbers: only by knowing their e-mail address.
SIGNED_FOR = "privacy.erasure"
LINK_LASTS = 60 * 60


def confirm_url(person: User) -> str:
    return reverse("privacy:erasure_confirm", args=[signing.dumps(person.pk, salt=SIGNED_FOR)])


@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/notice.html",
        {
            "funds": Fund.objects.order_by("council_name", "name"),
            "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
            "retention_years": settings.RETENTION_UNSUCCESSFUL_YEARS,
        },
    )


@login_required
@require_GET
def your_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/your_data.html",
        {
            "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
            "can_close_account": not holds_staff_role(request.user),
        },
    )


@login_required
@require_GET
@never_cache
def your_data_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    body = json.dumps(export(request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"your-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def erasure_handler_required(view):
    """Fund officers and the portal's administrators; anyone else is told who handles requests."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args, **kwargs) -> HttpResponse:
        if not (permission := erasure.can_handle_erasures(request.user)):
            raise PermissionDenied(permission.reason)
        return view(request, *args, **kwargs)

    return wrapped


@erasure_handler_required
@require_GET
def erasure_find(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FindPersonForm(request.GET if "email" in request.GET else None)
    if form.is_bound and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        person = User.objects.filter(
            Q(email=email) | Q(emailaddress__email__iexact=email, emailaddress__verified=True)
        ).first()
        if person is not None and erasure.can_erase(request.user, person):
            return redirect(confirm_url(person))
        # The same answer whatever the reason, so an officer learns nothing about people outside
        # their funds, not even whether they have an account.
        form.add_error(
            "email",
            "Nobody you can erase has that email address. They may have no account, have been erased "
            "already, hold a staff role, or hold data outside the funds you manage: the portal's "
            "administrators handle those requests",
        )
    done = Erasure.objects.select_related("person", "erased_by")
    if not is_administrator(request.user):
        done = done.filter(erased_by__fund_roles__fund__in=Fund.objects.managed_by(request.user)).distinct()
    return render(
        request,
        "privacy/erasure_find.html",
        {"form": form, "done": done},
        status=400 if form.errors else 200,
    )


@erasure_handler_required
@require_http_methods(["GET", "POST"])
def erasure_confirm(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    try:
        pk = signing.loads(token, salt=SIGNED_FOR, max_age=LINK_LASTS)
    except signing.SignatureExpired:
        messages.error(request, "That page had been open for over an hour. Find the person again.")
        return redirect("privacy:erasure_find")
    except signing.BadSignature:
        raise Http404("Nobody you can erase") from None
    person = User.objects.filter(pk=pk).first()
    if person is None or not erasure.can_erase(request.user, person):
        raise Http404("Nobody you can erase")
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = erasure.erase(person=person, by=request.user, reference=form.cleaned_data["reference"])
        except erasure.ErasureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Request {record.reference}: their personal data has been erased. "
                f"They appear as “{record.person.full_name}” in the fund's records.",
            )
            return redirect("privacy:erasure_find")
    return render(
        request,
        "privacy/erasure_confirm.html",
        {"person": person, "form": form, "plan": erasure.what_happens(person, viewer=request.user)},
        status=400 if form.errors else 200,
    )


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def close_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A group member closes their own account: the same erasure an officer would carry out."""
    person = request.user
    problems = erasure.close_account_problems(person)
    form = CloseAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not problems and form.is_valid():
        try:
            erasure.erase(person=person, by=person, reference="")
        except erasure.ErasureError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, "Your account is closed and your personal data has been erased.")
            return redirect("portal:index")
    return render(
        request,
        "privacy/close_account.html",
        {
            "form": form,
            "problems": problems,
            "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
            "plan": erasure.what_happens(person, viewer=person) if not problems else None,
        },
        status=400 if form.errors else 200,
    )
