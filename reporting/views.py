from django.db.models import Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fund.models import Fund, FundRole, Investment, Round
from portal.decorators import role_required


@role_required(FundRole.Role.FINANCE)
def finance_home(request: HttpRequest) -> HttpResponse:
    """Finance's page: their funds' rounds with budgets and allocations, and the investments to pay."""
    rounds = Round.objects.annotate(allocated=Sum("allocations__amount")).order_by("-opens_at")
    funds = Fund.objects.with_role(request.user, FundRole.Role.FINANCE).prefetch_related(
        Prefetch("rounds", queryset=rounds)
    )
    investments = (
        Investment.objects.for_finance(request.user)
        .select_related("application__organisation", "round")
        .annotate(paid=Sum("payments__paid_amount"))
        .order_by("application__reference")
    )
    return render(request, "reporting/finance_home.html", {"funds": funds, "investments": investments})
