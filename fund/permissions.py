"""Who may do what in a fund. Each answer carries the reason shown to the person."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fund.models import Fund, FundRole
from kit.permissions import ALLOWED, Permission

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def is_administrator(user: User | AnonymousUser) -> bool:
    """The portal's administrators: the council's system administrators, who reach the Django admin
    and handle what no fund's officers may (staff accounts, people outside every fund)."""
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def request_roles(request: Any) -> list[FundRole]:
    """The signed-in person's roles, read once per request (with their funds) and asked of by the
    staff two-factor check, each role's home page and the header's links."""
    if not hasattr(request, "_fund_roles"):
        request._fund_roles = (
            list(
                FundRole.objects.for_user(request.user).select_related("fund").order_by("fund__name", "role")
            )
            if request.user.is_authenticated
            else []
        )
    return request._fund_roles


def holds_staff_role(user: User | AnonymousUser) -> bool:
    """Staff are people with a role in any fund, and the portal's administrators."""
    if not user.is_authenticated:
        return False
    return is_administrator(user) or FundRole.objects.for_user(user).exists()


def has_fund_role(user: User | AnonymousUser, role: str) -> Permission:
    """Whether ``user`` holds ``role`` in at least one fund (their home page for that role)."""
    if FundRole.objects.for_user(user).filter(role=role).exists():
        return ALLOWED
    label = FundRole.Role(role).label.lower()
    return Permission(False, f"This page is for people with a {label} role in a fund.")


def can_manage_fund(user: User, fund: Fund) -> Permission:
    if FundRole.objects.for_user(user).filter(fund=fund, role=FundRole.Role.OFFICER).exists():
        return ALLOWED
    return Permission(False, f"Only fund officers of {fund.name} can change its rounds and criteria.")


def can_handle_finance(user: User | AnonymousUser, fund: Fund) -> Permission:
    """Recording and reversing payments, valuing outcomes and proxies: the fund's finance officers."""
    if FundRole.objects.for_user(user).filter(fund=fund, role=FundRole.Role.FINANCE).exists():
        return ALLOWED
    return Permission(False, f"Only finance officers of {fund.name} can do this.")


def can_read_unsent_emails(user: User | AnonymousUser) -> Permission:
    """The list of e-mails that could not be sent: fund officers (their funds' e-mails) and the
    portal's administrators (every e-mail)."""
    if is_administrator(user) or FundRole.objects.for_user(user).filter(role=FundRole.Role.OFFICER).exists():
        return ALLOWED
    return Permission(False, "This page is for fund officers and the portal's administrators.")
