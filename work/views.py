"""Each person's landing page: what needs them, in every role they hold."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from fund.models import FundRole
from organisations.models import Organisation
from work.selectors import sections_for


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where everyone lands after signing in: the work waiting for them, oldest first, each line a
    link to where it is done. Someone with no role and no group yet is shown how to start."""
    roles = set(FundRole.objects.for_user(request.user).values_list("role", flat=True))
    in_a_group = Organisation.objects.for_member(request.user).exists()
    return render(
        request,
        "work/home.html",
        {"sections": sections_for(request.user, roles, in_a_group), "newcomer": not roles and not in_a_group},
    )
