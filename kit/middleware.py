"""Requests too big for any form the portal has are turned away before they are read."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class UploadTooBig(RequestDataTooBig):
    """The body is bigger than one file at the upload limit and the most text a form can hold."""


def largest_request() -> int:
    # Every form uploads at most one file, so nothing bigger can ever be accepted.
    return settings.UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared size is over ``largest_request`` with the 413 page
    (``portal.views.bad_request``), so no worker spends time and disk on a file it will refuse."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > largest_request():
            raise UploadTooBig(f"A request of {length:,} bytes is over the limit of {largest_request():,}")
        return self.get_response(request)
