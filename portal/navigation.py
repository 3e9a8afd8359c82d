"""Where each role's home page is, and the links the header shows a person."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from fund.models import FundRole
from fund.permissions import request_roles
from notifications.models import Notification

# Everyone lands on their work (``work.views.home``); then each role's own pages, in this order.
WORK_HOME = ("work:home", "Your work")
ROLE_HOMES: list[tuple[str, str, str]] = [
    (FundRole.Role.OFFICER, "fund:officer_home", "Fund management"),
    (FundRole.Role.FINANCE, "reporting:finance_home", "Finance"),
    (FundRole.Role.PANEL, "assessment:panel_home", "Panel"),
    (FundRole.Role.MENTOR, "mentoring:mentor_home", "Mentoring"),
]
APPLICANT_HOME = ("applications:applicant_home", "Your applications")


@dataclass(frozen=True)
class NavLink:
    url: str
    text: str
    current: bool = False


def fund_roles(request) -> list[FundRole]:
    """The signed-in person's roles, read once per request."""
    return request_roles(request)


def navigation_links(request) -> list[NavLink]:
    # A request refused before sign-in is read (too big, say) has no user: show it as signed out.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    held = {role.role for role in fund_roles(request)}
    targets = [WORK_HOME] + [(url_name, text) for role, url_name, text in ROLE_HOMES if role in held]
    targets.append(APPLICANT_HOME)
    links = []
    for url_name, text in targets:
        url = reverse(url_name)
        links.append(NavLink(url, text, current=request.path.startswith(url)))
    return links


def unread_notifications(request) -> int:
    """How many of the signed-in person's notifications they have not seen (for the header)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def role_summary(request) -> str:
    """e.g. 'Fund officer (Deal for Communities), Panel member (Deal for Communities)'."""
    if getattr(request, "user", None) is None:
        return ""
    return ", ".join(f"{role.get_role_display()} ({role.fund.name})" for role in fund_roles(request))
