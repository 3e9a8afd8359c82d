from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from accounts.models import User
from fund.permissions import holds_staff_role, is_administrator, request_roles

# Pages a person needs on the way to setting up MFA, or that hold nothing private.
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/", "/healthz")


def needs_mfa_setup(user: User | AnonymousUser, *, staff: bool | None = None) -> bool:
    """``staff`` when the caller knows it already (the request's roles are read once)."""
    return (holds_staff_role(user) if staff is None else staff) and not Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


class StaffMFARequiredMiddleware:
    """Sends staff who have no authenticator app to set one up before any other page.

    allauth then asks for a code at every sign-in. The local demo can switch this
    off with ``STAFF_MFA_REQUIRED=false``; production cannot.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            settings.STAFF_MFA_REQUIRED
            and request.user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and needs_mfa_setup(
                request.user, staff=bool(request_roles(request)) or is_administrator(request.user)
            )
        ):
            messages.info(
                request,
                "Staff accounts need two-factor authentication. Set up an authenticator app to continue.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
