"""The fund team's pages: the work queue, an application (check, reviewers, decision, history),
every submitted version, and the panel summary a round's meeting works from."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from applications import round_questions
from applications.answers import answers, changes_since
from applications.models import Answer, Application
from assessment import panel_summary
from assessment import services as assessment
from assessment.filters import SORTS, QueueFilter
from assessment.forms import AssignReviewersForm, DecisionForm, EligibilityForm, ReopenForm
from assessment.models import Decision, PanelMeeting, Score
from fund.decorators import role_required
from fund.models import Fund, FundRole, Round, Tier
from fund.money import pounds
from kit.decorators import posts_to
from kit.downloads import csv_response
from kit.forms import add_service_errors
from kit.http import site_root
from kit.pagination import paginate
from kit.words import possessive
from questions.answering import readable
from questions.models import Question

officer_required = role_required(FundRole.Role.OFFICER)


# --- The work queue ---------------------------------------------------------------------------


@officer_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    funds = Fund.objects.managed_by(request.user)
    applications = Application.objects.managed_by(request.user).select_related(
        "organisation", "round", "tier"
    )
    queue_filter = QueueFilter(request.GET or None, queryset=applications, funds=funds)
    results = queue_filter.qs if queue_filter.is_bound else applications
    sort = request.GET.get("sort", "-submitted")
    field = SORTS.get(sort.lstrip("-"), "submitted_at")
    results = results.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
    if request.GET.get("format") == "csv":
        return _queue_csv(results)
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("format", None)
    query.pop("page", None)
    return render(
        request,
        "assessment/staff/queue.html",
        {
            "filter": queue_filter,
            "page": paginate(request, results),
            "sort": sort,
            "query": query.urlencode(),
            "columns": [
                ("reference", "Reference"),
                ("group", "Group"),
                ("amount", "Amount"),
                ("status", "Status"),
                ("submitted", "Submitted"),
            ],
        },
    )


def _queue_csv(results) -> HttpResponseBase:
    """The queue as a spreadsheet: a row per application, and a column for each of its rounds' own
    questions (named with the round when the rows come from more than one)."""
    questions = list(
        Question.objects.filter(section__round__in=results.values("round_id"))
        .select_related("section__round", "replaced_by")
        .prefetch_related("tiers")
        .order_by("section__round__name", "section__round_id", "section__position", "position", "pk")
    )
    # A replaced or removed question has a column only where an application in the list answered it.
    retired = [question.pk for question in questions if question.retired_at]
    answered = (
        set(
            Answer.objects.filter(question_id__in=retired, application__in=results.values("pk"))
            .values_list("question_id", flat=True)
            .distinct()
        )
        if retired
        else set()
    )
    questions = [question for question in questions if question.retired_at is None or question.pk in answered]
    tiers = {question.pk: {tier.pk for tier in question.tiers.all()} for question in questions}
    several = len({question.section.round_id for question in questions}) > 1

    def heading(question: Question) -> str:
        if question.retired_at:
            label = (
                f"{question.label} (replaced)"
                if hasattr(question, "replaced_by")
                else f"{question.label} (removed)"
            )
        else:
            label = question.label
        return label + (f" ({question.section.round.name})" if several else "")

    def answer_cells(application: Application) -> list[str]:
        given = {answer.question_id: answer for answer in application.question_answers.all()}
        cells = []
        for question in questions:
            answer = given.get(question.pk)
            if answer is None or not round_questions.asked_of(question, application, tiers[question.pk]):
                cells.append("")
            else:
                name = answer.document.original_name if answer.document else ""
                cells.append(readable(question.kind, answer.value, name))
        return cells

    rows = results.prefetch_related(
        Prefetch("question_answers", queryset=Answer.objects.select_related("document"))
    ).iterator(chunk_size=2000)
    return csv_response(
        "applications.csv",
        [
            "Reference",
            "Group",
            "Project",
            "Round",
            "Tier",
            "Amount asked (£)",
            "Status",
            "Submitted",
            *(heading(question) for question in questions),
        ],
        (
            [
                application.reference,
                application.organisation.name,
                application.title,
                application.round.name,
                application.tier.name,
                f"{application.amount_requested:.2f}",
                application.get_status_display(),
                application.submitted_at.isoformat() if application.submitted_at else "",
                *answer_cells(application),
            ]
            for application in rows
        ),
    )


@officer_required
def round_applications(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round = get_object_or_404(Round.objects.managed_by(request.user).select_related("fund"), pk=pk)
    applications = (
        Application.objects.managed_by(request.user)
        .filter(round=round)
        .select_related("organisation", "tier")
        .annotate(version_count=Count("versions"))
        .order_by("reference")
    )
    return render(
        request,
        "assessment/staff/round_applications.html",
        {"round": round, "page": paginate(request, applications)},
    )


# --- One application --------------------------------------------------------------------------


def _managed_application(request: AuthenticatedHttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.managed_by(request.user).select_related("round__fund", "organisation", "tier"),
        pk=pk,
    )


def _render_application(request: AuthenticatedHttpRequest, application: Application, **forms) -> HttpResponse:
    reviews = application.reviews.select_related("reviewer").prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("criterion"))
    )
    assigned = application.reviews.values_list("reviewer_id", flat=True)
    candidates = assessment.panel_members(application).exclude(pk__in=assigned)
    panel = application.tier.decision_route == Tier.DecisionRoute.PANEL
    context = {
        "application": application,
        "answers": answers(application),
        "versions": application.versions.select_related("submitted_by"),
        "documents": application.documents.all(),
        "reviews": reviews,
        "events": application.events.select_related("actor"),
        "decisions": application.decisions.filter(released_at__isnull=False).select_related("decided_by"),
        "waiting": assessment.waiting_decision(application),
        "meetings": PanelMeeting.objects.filter(
            round=application.round_id, released_at__isnull=True
        ).order_by("held_on", "pk"),
        "panel": panel,
        "can_check": application.status in assessment.CHECKABLE,
        "can_assign": panel and application.status in assessment.DECIDABLE,
        "can_decide": application.status in assessment.DECIDABLE,
        "decision_problems": assessment.decision_problems(application),
        "eligibility_form": forms.get("eligibility_form") or EligibilityForm(),
        "assign_form": forms.get("assign_form") or AssignReviewersForm(candidates=candidates),
        "decision_form": forms.get("decision_form")
        or DecisionForm(initial={"amount": application.amount_requested}),
        "form": next((form for form in forms.values() if form.errors), None),
    }
    return render(
        request, "assessment/staff/application.html", context, status=400 if context["form"] else 200
    )


@officer_required
def application(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_application(request, _managed_application(request, pk))


@officer_required
@posts_to("assessment:staff_application", "pk")
def eligibility(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _managed_application(request, pk)
    form = EligibilityForm(request.POST)
    if form.is_valid():
        outcome, message = form.cleaned_data["outcome"], form.cleaned_data["message"]
        try:
            if outcome == "eligible":
                assessment.mark_eligible(application=application, by=request.user, notes=message)
                if application.tier.decision_route == Tier.DecisionRoute.PANEL:
                    note = "Now assign reviewers."
                else:
                    note = f"{application.tier.name} applications are decided by an officer: record it."
                messages.success(request, f"{application.reference} is eligible. {note}")
            elif outcome == "ineligible":
                assessment.mark_ineligible(
                    application=application, by=request.user, reason=message, base_url=site_root(request)
                )
                messages.success(
                    request, f"{application.reference} is not eligible. The group has been told why."
                )
            else:
                assessment.send_back_for_information(
                    application=application, questions=message, by=request.user, base_url=site_root(request)
                )
                messages.success(
                    request, f"{application.reference} has been sent back to {application.organisation.name}."
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("assessment:staff_application", pk=application.pk)
    return _render_application(request, application, eligibility_form=form)


@officer_required
@posts_to("assessment:staff_application", "pk")
def assign_reviewers(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _managed_application(request, pk)
    assigned = application.reviews.values_list("reviewer_id", flat=True)
    candidates = assessment.panel_members(application).exclude(pk__in=assigned)
    if "automatic" in request.POST:
        try:
            reviews = assessment.assign_reviewers_automatically(application=application, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            names = (
                ", ".join(str(review.reviewer) for review in reviews)
                or "nobody more: it has enough reviewers"
            )
            messages.success(request, f"Assigned {names}.")
        return redirect("assessment:staff_application", pk=application.pk)
    form = AssignReviewersForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            for reviewer in form.cleaned_data["reviewers"]:
                assessment.assign_reviewer(application=application, reviewer=reviewer, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The reviewers have been assigned.")
            return redirect("assessment:staff_application", pk=application.pk)
    return _render_application(request, application, assign_form=form)


# What the officer reads once a decision is recorded, after the application's reference.
DECIDED: dict[str, Callable[[Decision], str]] = {
    Decision.Outcome.AWARD: lambda decision: f"awarded {pounds(decision.amount)}",
    Decision.Outcome.DECLINE: lambda decision: "declined",
    Decision.Outcome.DEFER: lambda decision: "sent back to the group for more information",
}


@officer_required
@posts_to("assessment:staff_application", "pk")
def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _managed_application(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decision = assessment.decide(
                application=application, by=request.user, base_url=site_root(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{application.reference}: {DECIDED[decision.outcome](decision)}. The group has been told.",
            )
            return redirect("assessment:staff_application", pk=application.pk)
    return _render_application(request, application, decision_form=form)


@officer_required
@require_http_methods(["GET", "POST"])
def reopen_review(request: AuthenticatedHttpRequest, pk: int, review_pk: int) -> HttpResponse:
    application = _managed_application(request, pk)
    review = get_object_or_404(application.reviews.select_related("reviewer"), pk=review_pk)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment.reopen_review(review=review, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{possessive(review.reviewer)} scores are open again.")
            return redirect("assessment:staff_application", pk=application.pk)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": f"Reopen {possessive(review.reviewer)} scores",
            "caption": application.reference,
            "back_url": f"/manage/applications/{application.pk}/",
        },
    )


@officer_required
def application_version(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    application = _managed_application(request, pk)
    version = get_object_or_404(application.versions.select_related("submitted_by"), number=number)
    earlier = application.versions.filter(number=number - 1).first()
    return render(
        request,
        "assessment/staff/version.html",
        {
            "application": application,
            "version": version,
            "earlier": earlier,
            "answers": changes_since(earlier.answers, version.answers) if earlier else version.answers,
        },
    )


# --- The panel summary -------------------------------------------------------------------------


@officer_required
def round_panel_summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    round = get_object_or_404(Round.objects.managed_by(request.user).select_related("fund"), pk=pk)
    summary = panel_summary.for_round(round)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"panel-summary-{round.pk}.csv",
            [
                "Rank",
                "Reference",
                "Group",
                "Tier",
                "Asked (£)",
                "Recommended (£)",
                "Score (out of 100)",
                "Spread",
                "Reviews",
                "Reviewers disagree",
                "Fund votes",
                "Running total (£)",
                "Within budget",
            ],
            (
                [
                    row.rank,
                    row.application.reference,
                    row.application.group,
                    row.application.tier,
                    f"{row.application.amount_requested:.2f}",
                    f"{row.recommended:.2f}",
                    "" if row.result.mean is None else f"{row.result.mean}",
                    "" if row.result.spread is None else f"{row.result.spread}",
                    row.result.reviews,
                    "yes" if row.result.disagreement else "no",
                    row.fund_votes,
                    f"{row.running_total:.2f}",
                    "yes" if row.within_budget else "no",
                ]
                for row in summary.rows
            ),
        )
    # Ranked and added up over every application; shown a page at a time (the CSV has them all).
    page = paginate(request, summary.rows)
    return render(
        request, "assessment/staff/panel_summary.html", {"round": round, "summary": summary, "page": page}
    )
