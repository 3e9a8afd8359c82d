"""The fund's team: who has which role, invitations, and a person's roles. Officers of the fund
only; the invitation page is for the person it was sent to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from assessment.models import Review
from fund.decorators import role_required
from fund.models import Fund, FundRole
from kit.decorators import posts_to
from kit.forms import add_service_errors
from kit.http import site_root
from kit.invitations import invitation_page
from kit.pagination import paginate
from mentoring.models import Assignment
from team import services
from team.forms import ROLE_HINTS, InviteForm, RolesForm
from team.models import TeamInvitation
from team.permissions import can_accept, invitation_unusable

officer_required = role_required(FundRole.Role.OFFICER)


def _fund(request: AuthenticatedHttpRequest, slug: str) -> Fund:
    return get_object_or_404(Fund.objects.managed_by(request.user), slug=slug)


@dataclass
class Member:
    """One person on the team, with their roles and what they have in hand."""

    user: User
    roles: list[str] = field(default_factory=list)
    two_factor: bool = False
    reviews: int = 0
    mentoring: int = 0

    @property
    def last_signed_in(self) -> datetime | None:
        return self.user.last_login


def _members(fund: Fund) -> list[Member]:
    """Everyone with a role in the fund, by name: four queries, however big the team."""
    members: dict[int, Member] = {}
    for role in fund.roles.select_related("user").order_by("user__full_name", "user__email", "role"):
        member = members.setdefault(role.user_id, Member(role.user))
        member.roles.append(role.get_role_display())
    people = list(members)
    for user_id in Authenticator.objects.filter(user__in=people, type=Authenticator.Type.TOTP).values_list(
        "user_id", flat=True
    ):
        members[user_id].two_factor = True
    unfinished = (
        Review.objects.filter(application__round__fund=fund, reviewer__in=people)
        .exclude(status__in=[Review.Status.SUBMITTED, Review.Status.CONFLICTED])
        .values("reviewer")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in unfinished:
        members[row["reviewer"]].reviews = row["count"]
    mentoring = Counter(
        Assignment.objects.current()
        .filter(investment__round__fund=fund, mentor__in=people)
        .values_list("mentor_id", flat=True)
    )
    for user_id, count in mentoring.items():
        members[user_id].mentoring = count
    return list(members.values())


@officer_required
def team(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    return render(
        request,
        "team/team.html",
        {
            "fund": fund,
            "page": paginate(request, _members(fund)),
            "invitations": fund.team_invitations.waiting().select_related("invited_by"),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    form = InviteForm(request.POST if request.method == "POST" else None, fund=fund)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(
                fund=fund, by=request.user, base_url=site_root(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"We have emailed an invitation to {invitation.email} to join as "
                f"{invitation.get_role_display().lower()}.",
            )
            return redirect("team:team", slug=fund.slug)
    return render(
        request,
        "team/invite.html",
        {"form": form, "fund": fund, "hints": ROLE_HINTS},
        status=400 if form.errors else 200,
    )


@officer_required
@posts_to("team:team", "slug")
def withdraw(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    fund = _fund(request, slug)
    invitation = get_object_or_404(fund.team_invitations, pk=pk)
    services.withdraw(invitation=invitation, by=request.user)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn: its link no longer works.")
    return redirect("team:team", slug=fund.slug)


@officer_required
@require_http_methods(["GET", "POST"])
def person(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    fund = _fund(request, slug)
    member = get_object_or_404(User.objects.filter(fund_roles__fund=fund).distinct(), pk=pk)
    held = list(fund.roles.filter(user=member).values_list("role", flat=True))
    form = RolesForm(request.POST if request.method == "POST" else None, initial={"roles": held})
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = services.set_roles(
                fund=fund, person=member, roles=form.cleaned_data["roles"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not form.cleaned_data["roles"]:
                messages.success(request, f"{member} is no longer on the team of {fund.name}.")
            elif added or removed:
                messages.success(request, f"{member}'s roles are saved.")
            return (
                redirect("team:team", slug=fund.slug)
                if not form.cleaned_data["roles"]
                else redirect("team:person", slug=fund.slug, pk=member.pk)
            )
    return render(
        request,
        "team/person.html",
        {
            "fund": fund,
            "member": member,
            "form": form,
            "work": services.open_work(fund, member),
            "two_factor": Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists(),
        },
        status=400 if form.errors else 200,
    )


@officer_required
def left(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Work left in hand by people no longer in the role it needs, to give to someone else."""
    fund = _fund(request, slug)
    panel = fund.roles.filter(role=FundRole.Role.PANEL).values("user")
    mentors = fund.roles.filter(role=FundRole.Role.MENTOR).values("user")
    reviews = (
        Review.objects.filter(application__round__fund=fund)
        .exclude(status__in=[Review.Status.SUBMITTED, Review.Status.CONFLICTED])
        .exclude(reviewer__in=panel)
        .select_related("application__organisation", "reviewer")
        .order_by("assigned_at")
    )
    mentoring = (
        Assignment.objects.current()
        .filter(investment__round__fund=fund)
        .exclude(mentor__in=mentors)
        .select_related("investment__application__organisation", "mentor")
        .order_by("assigned_at")
    )
    return render(request, "team/left.html", {"fund": fund, "reviews": reviews, "mentoring": mentoring})


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation e-mail links to: it names the fund and the role, and nothing else,
    and is accepted once signed in with the invited address."""
    invitation = TeamInvitation.objects.select_related("fund", "invited_by").filter(token=token).first()
    if invitation is None:
        return render(request, "team/invitation_unusable.html", {"invitation": None}, status=404)
    if invitation.accepted_at and invitation.accepted_by_id == getattr(request.user, "pk", None):
        return redirect("work:home")
    if reason := invitation_unusable(invitation):
        return render(
            request, "team/invitation_unusable.html", {"invitation": invitation, "reason": reason}, status=410
        )

    def accepted() -> HttpResponse:
        role = services.accept(invitation=invitation, user=request.user)  # type: ignore[arg-type]
        messages.success(
            request, f"You are now a {role.get_role_display().lower()} of {invitation.fund.name}."
        )
        return redirect("work:home")

    return invitation_page(
        request,
        "team/accept.html",
        {"invitation": invitation, "hint": ROLE_HINTS[FundRole.Role(invitation.role)]},
        email=invitation.email,
        permission=can_accept(request.user, invitation),
        accept=accepted,
    )
