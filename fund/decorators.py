from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from fund.permissions import has_fund_role, request_roles
from kit.decorators import View


def role_required(role: str) -> Callable[[View], View]:
    """For a role's home page: signed in, and holding ``role`` in some fund.

    Pages about one fund's objects go further and read them through a queryset
    scoped to the person, so another fund's objects are simply not found.
    """

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not any(held.role == role for held in request_roles(request)):
                raise PermissionDenied(has_fund_role(request.user, role).reason)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
