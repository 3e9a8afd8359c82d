"""Pages anyone can read, signed in or not: a fund, what it has funded, the stories groups agreed
to publish, and its awards as 360Giving open data. Only what a council publishes anyway is shown:
no contact details, nothing a group has not yet been awarded, no story without consent."""

from __future__ import annotations

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control

from assessment.scoring import criterion_points
from fund.models import Fund, Round, Tier
from investments.models import Investment, ProgressUpdate
from investments.photos import photo_response
from questions.models import Question, QuestionSection
from reporting import giving360
from reporting.filters import SroiFilter

PUBLIC_MINUTES = 10
PER_PAGE = 20


def _public(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Shared caches may keep what an anonymous visitor sees for a few minutes."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MINUTES * 60)
    return response


def fund_page(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund, slug=slug)
    funded = (
        Investment.objects.taken_up()
        .filter(round__fund=fund)
        .aggregate(count=Count("pk"), total=Sum("amount"))
    )
    open_rounds = list(
        Round.objects.open()
        .filter(fund=fund)
        .select_related("fund")
        .prefetch_related(
            "fund__tiers",
            "criteria",
            Prefetch(
                "question_sections",
                queryset=QuestionSection.objects.filter(retired_at=None).prefetch_related(
                    Prefetch("questions", queryset=Question.objects.current().prefetch_related("tiers"))
                ),
            ),
        )
    )
    for round in open_rounds:
        # The criteria a panel scores against, published before anyone applies, each with its
        # share of a review's 100 points.
        criteria = list(round.criteria.all())
        total = sum((criterion.weight for criterion in criteria), Decimal(0))
        round.published_criteria = [  # type: ignore[attr-defined]  # for the page
            (criterion, criterion_points(criterion.weight, total)) for criterion in criteria
        ]
    context = {
        "fund": fund,
        "tiers": fund.tiers.all(),
        "panel_tiers": [
            tier.name for tier in fund.tiers.all() if tier.decision_route == Tier.DecisionRoute.PANEL
        ],
        "open_rounds": open_rounds,
        "funded": funded,
    }
    return _public(request, render(request, "public/fund.html", context))


def funded(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund, slug=slug)
    filters = SroiFilter(
        request.GET or None, fund=fund, queryset=Investment.objects.taken_up().filter(round__fund=fund)
    )
    named = (
        ProgressUpdate.objects.published_with_names()
        .filter(investment=OuterRef("pk"))
        .order_by("-submitted_at")
    )
    investments = (
        filters.qs.select_related("application__organisation", "tier")
        .prefetch_related("application__places", "application__goals__themes")
        .annotate(story_pk=Subquery(named.values("pk")[:1]))
        .order_by("-start_date", "application__reference")
    )
    unnamed = (
        ProgressUpdate.objects.published_without_names()
        .filter(investment__in=filters.qs.values("pk"))
        .select_related("investment__tier")
        .prefetch_related("investment__application__places")
        .order_by("-submitted_at")[:6]
    )
    totals = Investment.objects.filter(pk__in=filters.qs.values("pk")).aggregate(
        count=Count("pk"), total=Sum("amount")
    )
    page = Paginator(investments, PER_PAGE).get_page(request.GET.get("page"))
    for investment in page:
        goals = investment.application.goals.all()
        investment.theme_names = sorted({theme.name for goal in goals for theme in goal.themes.all()})
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "fund": fund,
        "filter": filters,
        "page": page,
        "totals": totals,
        "query": query.urlencode(),
        "unnamed_stories": unnamed,
    }
    return _public(request, render(request, "public/funded.html", context))


def story(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    fund = get_object_or_404(Fund, slug=slug)
    update = get_object_or_404(
        ProgressUpdate.objects.published_stories()
        .with_publication()
        .filter(investment__round__fund=fund)
        .select_related(
            "investment__application__organisation", "investment__tier", "investment__round__fund"
        ),
        pk=pk,
    )
    return _public(request, render(request, "public/story.html", {"fund": fund, "update": update}))


def story_photo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A published story's photo, small, when the people in it agreed and an officer published it
    with the story (``published_photos``); otherwise nothing is found."""
    fund = get_object_or_404(Fund, slug=slug)
    update = get_object_or_404(
        ProgressUpdate.objects.published_photos().filter(investment__round__fund=fund), pk=pk
    )
    return photo_response(update.photo, cache_control={"public": True, "max_age": PUBLIC_MINUTES * 60})


def open_data(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund, slug=slug)
    format = request.GET.get("format", "json")
    if format not in giving360.FORMATS:
        return HttpResponse(
            "Choose JSON, CSV or XLSX for the open data.", status=400, content_type="text/plain"
        )
    return _public(request, giving360.download(fund, format))
