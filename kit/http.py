"""Small helpers for views."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def site_root(request: HttpRequest) -> str:
    """This site's address as the person reached it, for links in e-mails, e.g. https://fund.example.gov.uk"""
    return request.build_absolute_uri("/").rstrip("/")


def redirect_to_next(request: HttpRequest, default: str, *args: Any, **kwargs: Any) -> HttpResponse:
    """Go back where the person came from (a ?next= address on this site), else to ``default``."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default, *args, **kwargs)
