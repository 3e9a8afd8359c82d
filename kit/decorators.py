from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

View = Callable[..., HttpResponseBase]


def posts_to(page: str, *keys: str) -> Callable[[View], View]:
    """For a view that only takes a form's answers: asked for with GET (a page reloaded after an
    error, a bookmarked address), it sends the person to ``page`` (a URL name, given this view's
    ``keys`` arguments) instead of a bare "method not allowed"."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in ("GET", "HEAD"):
                return redirect(page, **{key: kwargs[key] for key in keys})
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
