from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect

from fund.permissions import has_fund_role


def role_required(role: str):
    """For a role's home page: signed in, and holding ``role`` in some fund.

    Pages about one fund's objects go further and read them through a queryset
    scoped to the person, so another fund's objects are simply not found.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            permission = has_fund_role(request.user, role)
            if not permission:
                raise PermissionDenied(permission.reason)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


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
