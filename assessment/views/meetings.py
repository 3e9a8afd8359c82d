"""A round's panel meetings: arrange one, record its decisions in one sitting, approve the awards
above the sign-off limit, release the decisions together, and print the minutes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from applications.models import Application
from assessment import meetings, panel_summary
from assessment.forms import MeetingDecisionForm, MeetingForm
from assessment.models import Decision, PanelMeeting
from assessment.services import decision_problems, needs_signoff
from fund.decorators import role_required
from fund.models import FundRole, Round
from kit.decorators import posts_to
from kit.errors import RuleError
from kit.forms import add_service_errors
from kit.http import site_root
from kit.pagination import paginate
from kit.pdf import pdf_response, render_pdf
from kit.words import plural

officer_required = role_required(FundRole.Role.OFFICER)


def _round(request: AuthenticatedHttpRequest, pk: int) -> Round:
    return get_object_or_404(Round.objects.managed_by(request.user).select_related("fund"), pk=pk)


def _meeting(request: AuthenticatedHttpRequest, pk: int) -> PanelMeeting:
    return get_object_or_404(
        PanelMeeting.objects.filter(round__in=Round.objects.managed_by(request.user)).select_related(
            "round__fund", "created_by", "released_by"
        ),
        pk=pk,
    )


def _decisions(meeting: PanelMeeting) -> list[Decision]:
    return list(
        meeting.decisions.select_related(
            "application__organisation",
            "application__tier",
            "application__investment__offer",
            "deferred_to",
            "decided_by",
            "approved_by",
        ).order_by("application__reference")
    )


@officer_required
def round_meetings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    return render(
        request,
        "assessment/meetings/list.html",
        {
            "round": round,
            "meetings": round.meetings.select_related("released_by").order_by("-held_on", "-pk"),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    return _meeting_form(request, round, None)


@officer_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if meeting.is_released:
        messages.error(request, "This meeting's decisions are released: its details can no longer change.")
        return redirect("assessment:meeting", pk=meeting.pk)
    return _meeting_form(request, meeting.round, meeting)


def _meeting_form(
    request: AuthenticatedHttpRequest, round: Round, meeting: PanelMeeting | None
) -> HttpResponse:
    initial = (
        {"held_on": meeting.held_on, "attendees": meeting.attendees, "notes": meeting.notes}
        if meeting
        else None
    )
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        button="Save" if meeting else "Arrange the meeting",
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = meetings.save_meeting(round=round, by=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The meeting on {saved.held_on:%-d %B %Y} is saved.")
            return redirect("assessment:meeting", pk=saved.pk)
    back = (
        reverse("assessment:meeting", args=[meeting.pk])
        if meeting
        else reverse("assessment:round_meetings", args=[round.pk])
    )
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": "The meeting's details" if meeting else "Arrange a panel meeting",
            "caption": round.name,
            "back_url": back,
        },
        status=400 if form.errors else 200,
    )


@officer_required
def meeting(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    decisions = _decisions(meeting)
    fund = meeting.round.fund
    money = meetings.totals(meeting, decisions)
    context = {
        "meeting": meeting,
        "round": meeting.round,
        "decisions": decisions,
        "totals": money,
        "waiting_approval": meetings.awaiting_approval(meeting, decisions),
        "release_problems": []
        if meeting.is_released
        else meetings.release_problems(meeting, decisions, money),
        "fund": fund,
    }
    if not meeting.is_released:
        # Ranked over the whole round; shown a page at a time.
        context["page"] = paginate(request, meetings.agenda(meeting, decisions))
    return render(request, "assessment/meetings/meeting.html", context)


@officer_required
@require_http_methods(["GET", "POST"])
def meeting_decision(request: AuthenticatedHttpRequest, pk: int, application_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    application = get_object_or_404(
        Application.objects.filter(round=meeting.round).select_related("organisation", "tier"),
        pk=application_pk,
    )
    if meeting.is_released:
        messages.error(request, "This meeting's decisions are released: they can no longer change.")
        return redirect("assessment:meeting", pk=meeting.pk)
    recorded = meeting.decisions.filter(application=application).first()
    later = meetings.later_meetings(meeting)
    initial = None
    if recorded is not None:
        initial = {
            "outcome": recorded.outcome,
            "amount": recorded.amount,
            "start_date": recorded.start_date,
            "conditions": recorded.conditions,
            "partnership_required": recorded.partnership_required,
            "mentor_required": recorded.mentor_required,
            "feedback": recorded.feedback,
            "reason": recorded.reason,
            "deferred_to": recorded.deferred_to_id,
        }
    form = MeetingDecisionForm(
        request.POST if request.method == "POST" else None, initial=initial, later=later
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = meetings.record_decision(
                meeting=meeting, application=application, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            note = (
                " It waits for another officer's approval."
                if needs_signoff(decision, meeting.round.fund)
                else ""
            )
            messages.success(request, f"The decision on {application.reference} is recorded.{note}")
            return redirect(
                reverse("assessment:meeting", args=[meeting.pk]) + f"#application-{application.pk}"
            )
    result = panel_summary.results_of(meeting.round, [application.pk])[application.pk]
    return render(
        request,
        "assessment/meetings/decision.html",
        {
            "meeting": meeting,
            "application": application,
            "form": form,
            "recorded": recorded,
            "result": result,
            "problems": decision_problems(application),
            "fund": meeting.round.fund,
        },
        status=400 if form.errors else 200,
    )


@officer_required
@posts_to("assessment:meeting", "pk")
def meeting_take_back(request: AuthenticatedHttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    decision = get_object_or_404(meeting.decisions.select_related("application"), pk=decision_pk)
    try:
        meetings.take_back(meeting=meeting, decision=decision, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"The decision on {decision.application.reference} is taken off the meeting."
        )
    return redirect("assessment:meeting", pk=meeting.pk)


@officer_required
@posts_to("assessment:meeting", "pk")
def meeting_approve(request: AuthenticatedHttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    decision = get_object_or_404(meeting.decisions.select_related("application"), pk=decision_pk)
    try:
        meetings.approve(decision=decision, by=request.user, seen=request.POST.get("seen", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You approved the award to {decision.application.reference}.")
    return redirect(
        reverse("assessment:meeting", args=[meeting.pk]) + f"#application-{decision.application_id}"
    )


@officer_required
@require_http_methods(["GET", "POST"])
def meeting_release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if meeting.is_released:
        return redirect("assessment:meeting", pk=meeting.pk)
    decisions = _decisions(meeting)
    money = meetings.totals(meeting, decisions)
    problems: list[str] = []
    if request.method == "POST":
        try:
            released = meetings.release(meeting=meeting, by=request.user, base_url=site_root(request))
        except RuleError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                f"{plural(len(released), 'decision')} released. Each group has been told, and each group "
                "awarded has its offer to accept.",
            )
            return redirect("assessment:meeting", pk=meeting.pk)
    else:
        problems = meetings.release_problems(meeting, decisions, money)
    return render(
        request,
        "assessment/meetings/release.html",
        {
            "meeting": meeting,
            "decisions": decisions,
            "totals": money,
            "errors": [("decisions", problem) for problem in problems],
        },
        status=400 if request.method == "POST" and problems else 200,
    )


@officer_required
def meeting_minutes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    decisions = _decisions(meeting)
    results = panel_summary.results_of(meeting.round, [decision.application_id for decision in decisions])
    html = render_to_string(
        "assessment/meetings/minutes.html",
        {
            "meeting": meeting,
            "round": meeting.round,
            "fund": meeting.round.fund,
            "rows": [(decision, results[decision.application_id]) for decision in decisions],
            "totals": meetings.totals(meeting, decisions),
            "conflicts": meetings.conflicts(decisions),
            "waiting_approval": meetings.awaiting_approval(meeting, decisions),
            "made_at": timezone.localtime(),
        },
    )
    draft = "" if meeting.is_released else "-draft"
    name = f"minutes-{meeting.round.fund.slug}-{meeting.held_on:%Y-%m-%d}{draft}.pdf"
    return pdf_response(render_pdf(html), name)
