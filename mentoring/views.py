from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fund.models import Fund, FundRole
from portal.decorators import role_required


@role_required(FundRole.Role.MENTOR)
def mentor_home(request: HttpRequest) -> HttpResponse:
    funds = Fund.objects.with_role(request.user, FundRole.Role.MENTOR)
    return render(request, "mentoring/mentor_home.html", {"funds": funds})
