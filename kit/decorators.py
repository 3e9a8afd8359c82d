from functools import wraps

from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect


def posts_to(page: str, *keys: str):
    """For a view that only takes a form's answers: asked for with GET (a page reloaded after an
    error, a bookmarked address), it sends the person to ``page`` (a URL name, given this view's
    ``keys`` arguments) instead of a bare "method not allowed"."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in ("GET", "HEAD"):
                return redirect(page, **{key: kwargs[key] for key in keys})
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
