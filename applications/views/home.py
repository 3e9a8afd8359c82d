"""A group member's pages: their dashboard, and each group's page with the rounds it can apply to."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.http import AuthenticatedHttpRequest
from applications.models import Application
from applications.services import applying
from fund.models import Round
from kit.pagination import paginate
from organisations.models import Organisation
from organisations.permissions import can_manage_organisation
from organisations.services import bank_details_of

NEXT_STEPS: dict[str, str] = {
    Application.Status.DRAFT: "Finish your application and submit it before the round closes",
    Application.Status.SUBMITTED: "Nothing for now: the fund team will check it and tell you what is next",
    Application.Status.ELIGIBLE: "Nothing for now: it is waiting to be assessed",
    Application.Status.IN_REVIEW: "Nothing for now: a panel is assessing it",
    Application.Status.DEFERRED: "Answer the fund team's questions, then submit it again",
    Application.Status.AWARDED: "Open your investment to see payments and send progress updates",
    Application.Status.DECLINED: "Read the feedback. You can apply again in a later round",
    Application.Status.INELIGIBLE: "Read why it could not go ahead. Contact the fund team with any questions",
    Application.Status.WITHDRAWN: "Nothing: you withdrew it",
}


def _award(application: Application):
    """The application's investment once awarded (its amount is what the group gets), else None."""
    try:
        return application.investment
    except Application.investment.RelatedObjectDoesNotExist:
        return None


def _next_step(application: Application) -> str:
    award = _award(application)
    if award is not None and award.status == "cancelled":  # the offer was declined or lapsed
        return "Nothing: the offer was not taken up, so the money went back to the round"
    return NEXT_STEPS[application.status]


@login_required
def applicant_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A group member's dashboard: their groups, their applications and what to do next."""
    organisations = list(Organisation.objects.for_member(request.user).order_by("name"))
    applications = (
        Application.objects.for_member(request.user)
        .select_related("round__fund", "tier", "organisation", "investment")
        .order_by("-updated_at", "-pk")
    )
    page = paginate(request, applications)
    rows = [(application, _award(application), _next_step(application)) for application in page]
    open_rounds = list(Round.objects.open().select_related("fund").prefetch_related("fund__tiers"))
    startable = applying.rounds_open_to(organisations, open_rounds)
    groups = [(organisation, startable[organisation.pk]) for organisation in organisations]
    return render(
        request,
        "applications/applicant_home.html",
        {"groups": groups, "rows": rows, "page": page, "open_rounds": open_rounds},
    )


@login_required
def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.for_member(request.user), pk=pk)
    open_rounds = list(Round.objects.open())
    return render(
        request,
        "applications/organisation_detail.html",
        {
            "organisation": organisation,
            "open_rounds": open_rounds,
            "rounds_to_start": applying.rounds_open_to([organisation], open_rounds)[organisation.pk],
            "memberships": organisation.memberships.select_related("user"),
            "invitations": organisation.invitations.filter(accepted_at__isnull=True),
            "can_manage": can_manage_organisation(request.user, organisation),
            "bank_details": bank_details_of(organisation),
        },
    )
