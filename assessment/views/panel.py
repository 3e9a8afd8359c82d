"""A panel member's pages: their reviews, declaring interests, and scoring.

Reviews are read through ``Review.objects.for_reviewer(user)``: someone else's review,
or one where they declared a conflict, is not found (404).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from applications.answers import answers
from assessment import services as assessment
from assessment.forms import InterestForm, ScoresForm
from assessment.models import Review, Score
from fund.decorators import role_required
from fund.models import Fund, FundRole
from kit.decorators import posts_to
from kit.forms import add_service_errors
from kit.pagination import paginate

panel_required = role_required(FundRole.Role.PANEL)


@panel_required
def panel_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A panel member's page: the applications they are asked to review, by what to do next."""
    reviews = (
        Review.objects.for_reviewer(request.user)
        .select_related("application__organisation", "application__round", "application__tier")
        .order_by("status", "application__reference")
    )
    funds = Fund.objects.with_role(request.user, FundRole.Role.PANEL)
    return render(request, "assessment/panel_home.html", {"page": paginate(request, reviews), "funds": funds})


def _my_review(request: AuthenticatedHttpRequest, pk: int) -> Review:
    return get_object_or_404(
        Review.objects.for_reviewer(request.user).select_related(
            "application__organisation", "application__round__fund", "application__tier"
        ),
        pk=pk,
    )


def _render_review(request: AuthenticatedHttpRequest, review: Review, form=None) -> HttpResponse:
    application = review.application
    context: dict[str, Any] = {"review": review, "application": application}
    if review.status == Review.Status.ASSIGNED:
        # Only what is needed to spot a conflict, before any of the application is shown.
        context["form"] = form or InterestForm()
        return render(request, "assessment/panel/declare.html", context, status=400 if form else 200)
    context["answers"] = answers(application)
    context["has_documents_section"] = any(section["slug"] == "documents" for section in context["answers"])
    context["documents"] = application.documents.all()
    if review.status == Review.Status.IN_PROGRESS:
        context["form"] = form or ScoresForm(review=review)
    else:
        scores = Prefetch("scores", queryset=Score.objects.select_related("criterion"))
        context["own"] = Review.objects.prefetch_related(scores).get(pk=review.pk)
        # Others' scores only once this reviewer has submitted their own.
        context["others"] = (
            application.reviews.submitted()
            .exclude(pk=review.pk)
            .select_related("reviewer")
            .prefetch_related(scores)
        )
    return render(request, "assessment/panel/review.html", context, status=400 if form else 200)


@panel_required
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = _my_review(request, pk)
    if request.method == "GET":
        return _render_review(request, review)
    form = ScoresForm(request.POST, review=review)
    if form.is_valid():
        submit = "submit_scores" in request.POST
        try:
            assessment.save_scores(review=review, by=request.user, submit=submit, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if submit:
                messages.success(
                    request, "Your scores have been submitted. You can now see the other reviewers' scores."
                )
            else:
                messages.success(request, "Your draft scores have been saved.")
            return redirect("assessment:review", pk=review.pk)
    return _render_review(request, review, form)


@panel_required
@posts_to("assessment:review", "pk")
def declare_interest(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = _my_review(request, pk)
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            assessment.declare_interest(
                review=review,
                by=request.user,
                conflict=form.cleaned_data["conflict"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.cleaned_data["conflict"]:
                messages.success(
                    request,
                    f"Thank you. You will not see {review.application.reference}: another panel member "
                    "will review it.",
                )
                return redirect("assessment:panel_home")
            return redirect("assessment:review", pk=review.pk)
    return _render_review(request, review, form)
