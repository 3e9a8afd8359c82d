from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fund.models import Fund, FundRole, Round
from portal.decorators import role_required


@login_required
def applicant_home(request: HttpRequest) -> HttpResponse:
    """A community group member's page: rounds open for applications now."""
    open_rounds = Round.objects.open().select_related("fund").prefetch_related("fund__tiers")
    return render(request, "applications/applicant_home.html", {"open_rounds": open_rounds})


@role_required(FundRole.Role.PANEL)
def panel_home(request: HttpRequest) -> HttpResponse:
    """A panel member's page: the funds whose panels they sit on and those funds' rounds."""
    funds = Fund.objects.with_role(request.user, FundRole.Role.PANEL).prefetch_related("rounds")
    return render(request, "applications/panel_home.html", {"funds": funds})
