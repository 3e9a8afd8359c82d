from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware import csrf
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from fund.models import Fund, Round
from fund.permissions import can_read_unsent_emails
from kit.middleware import UploadTooBig
from kit.uploads import megabytes
from portal import health, outbox


def index(request: HttpRequest) -> HttpResponse:
    """The public front page: what the fund is and which rounds are open."""
    open_rounds = Round.objects.open().select_related("fund").prefetch_related("fund__tiers")
    funds = Fund.objects.order_by("name")
    return render(request, "portal/index.html", {"open_rounds": open_rounds, "funds": funds})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: each part "ok" or "unavailable", the reasons only in the log."""
    parts = {"database": health.check_database(), "storage": health.check_storage()}
    failing = any(problem is not None for problem in parts.values())
    body = {"status": "unavailable" if failing else "ok"} | {
        name: "unavailable" if problem is not None else "ok" for name, problem in parts.items()
    }
    return JsonResponse(body, status=503 if failing else 200)


@login_required
@require_GET
def emails_not_sent(request: AuthenticatedHttpRequest) -> HttpResponse:
    """E-mails the worker could not send lately, so the fund team can reach those people another way."""
    if not (permission := can_read_unsent_emails(request.user)):
        raise PermissionDenied(permission.reason)
    page = Paginator(outbox.failed_emails(seen_by=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/emails_not_sent.html",
        {
            "page": page,
            "emails": [outbox.describe(result) for result in page],
            "days": outbox.SHOWN_FOR_DAYS,
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without the security token that proves it came from this site's page.

    The answers are not re-shown here: offering to send them again would let another site's
    form through with one click. The browser's back button keeps what was typed.
    """
    csrf.get_token(request)  # a fresh cookie, so the form works once its page is reloaded
    return render(
        request,
        "csrf_failure.html",
        {
            "no_cookie": reason == csrf.REASON_NO_CSRF_COOKIE,
            "other_site": reason.startswith(("Origin", "Referer")),
        },
        status=403,
    )


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """Requests refused before any page reads them: too big, too many answers, or malformed.

    Rendered without reading the request's form data, which is what failed.
    """
    context = {
        "file_limit": megabytes(settings.UPLOAD_MAX_BYTES),
        "text_limit": megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        "field_limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    }
    if isinstance(exception, UploadTooBig):
        return render(request, "400.html", context | {"problem": "file_too_big"}, status=413)
    if isinstance(exception, RequestDataTooBig):
        return render(request, "400.html", context | {"problem": "text_too_long"}, status=413)
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return render(request, "400.html", context | {"problem": "too_many_answers"}, status=400)
    return render(request, "400.html", context | {"problem": "unreadable"}, status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors: the failure may be in one of them.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
