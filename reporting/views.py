from django.db.models import Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fund.models import Fund, FundRole, Round
from portal.decorators import role_required


@role_required(FundRole.Role.FINANCE)
def finance_home(request: HttpRequest) -> HttpResponse:
    """Finance's page: each of their funds' rounds with budgets and tier allocations."""
    rounds = Round.objects.annotate(allocated=Sum("allocations__amount")).order_by("-opens_at")
    funds = Fund.objects.with_role(request.user, FundRole.Role.FINANCE).prefetch_related(
        Prefetch("rounds", queryset=rounds)
    )
    return render(request, "reporting/finance_home.html", {"funds": funds})
