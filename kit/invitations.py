"""What every e-mailed invitation shares, to a group or to a fund's team: it works for a number
of days, only for the person signed in with the address it was sent to, and its page offers to
create an account or sign in first and comes back to be accepted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from kit.permissions import ALLOWED, Permission


class Expires:
    """For an invitation model with ``created_at``: it can be used for ``VALID_DAYS`` after."""

    VALID_DAYS: int
    created_at: datetime

    @property
    def expires_at(self) -> datetime:
        return self.created_at + timedelta(days=self.VALID_DAYS)

    def has_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at


def signed_in_as_invited(user: Any, email: str) -> Permission:
    """Whether ``user`` is signed in with the address the invitation was sent to."""
    if not user.is_authenticated:
        return Permission(
            False, "Sign in, or create an account, with the address the invitation was sent to."
        )
    if user.email.lower() != email.lower():
        return Permission(
            False,
            f"This invitation was sent to {email}, but you are signed in as {user.email}. "
            "Sign out, then sign in or create an account with the invited address.",
        )
    return ALLOWED


def invitation_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    email: str,
    permission: Permission,
    accept: Callable[[], HttpResponse],
) -> HttpResponse:
    """The page an invitation e-mail links to, for an invitation that can still be used. A POST
    accepts it by calling ``accept`` (after signing in, if need be); its refusal is shown on the
    page. Someone not signed in is offered to create an account or sign in and come back."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return accept()
        except ValidationError as refused:
            permission = Permission(False, " ".join(refused.messages))
    here = request.path
    return render(
        request,
        template,
        {
            **context,
            "permission": permission,
            "signup_url": f"{reverse('account_signup')}?{urlencode({'email': email, 'next': here})}",
            "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
        },
        status=200 if permission or not request.user.is_authenticated else 403,
    )
