"""The question builder: a round's own sections and questions, their preview, copies between
rounds and the fund's library. Fund officers only; everything is read through the rounds the
officer manages, so another fund's round, section or question is not found (404)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from fund.decorators import role_required
from fund.models import Fund, FundRole, Round, Tier
from kit.decorators import posts_to
from kit.forms import add_service_errors
from questions import services
from questions.forms import AnswerForm, CopyForm, CorrectionForm, KindForm, QuestionForm, SectionForm
from questions.models import Kind, LibraryQuestion, Placement, Question, QuestionSection

officer_required = role_required(FundRole.Role.OFFICER)


def _round(request: AuthenticatedHttpRequest, pk: int) -> Round:
    return get_object_or_404(Round.objects.managed_by(request.user).select_related("fund"), pk=pk)


def _section(request: AuthenticatedHttpRequest, pk: int) -> QuestionSection:
    return get_object_or_404(
        QuestionSection.objects.filter(
            round__in=Round.objects.managed_by(request.user), retired_at=None
        ).select_related("round__fund"),
        pk=pk,
    )


class QuestionGone(Exception):
    """The question was removed or replaced since the page was opened (the back button, a second
    tab): the officer goes back to the round's questions and is told so."""

    def __init__(self, question: Question) -> None:
        super().__init__(question.pk)
        self.question = question


def _question(request: AuthenticatedHttpRequest, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.filter(section__round__in=Round.objects.managed_by(request.user)).select_related(
            "section__round__fund"
        ),
        pk=pk,
    )
    if question.retired_at is not None or question.section.retired_at is not None:
        raise QuestionGone(question)
    return question


def _question_page(view):
    """For the pages of one question: a question gone since is not an error page."""

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except QuestionGone as gone:
            replaced = Question.objects.filter(replaces=gone.question).exists()
            messages.info(
                request,
                f"‘{gone.question.label}’ has been {'replaced by a new version' if replaced else 'removed'}.",
            )
            return redirect(_questions_url(gone.question.section.round))

    return wrapped


def _questions_url(round: Round) -> str:
    return reverse("questions:round_questions", args=[round.pk])


def _form_page(request: AuthenticatedHttpRequest, form, *, title: str, round: Round, **extra) -> HttpResponse:
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": title, "caption": round.name, "back_url": _questions_url(round), **extra},
        status=400 if form.errors else 200,
    )


# --- The round's questions -----------------------------------------------------------------------


@officer_required
def round_questions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    sections = round.question_sections.filter(retired_at=None).prefetch_related(
        Prefetch(
            "questions", queryset=Question.objects.current().prefetch_related("tiers"), to_attr="current"
        )
    )
    by_placement: dict[str, list[QuestionSection]] = {}
    for section in sections:
        by_placement.setdefault(section.placement, []).append(section)
    return render(
        request,
        "questions/round_questions.html",
        {
            "round": round,
            "fund": round.fund,
            "locked": services.is_locked(round),
            "open": round.phase() == "open",
            "writing": services.groups_writing(round),
            "placements": [(placement, by_placement.get(placement.value, [])) for placement in Placement],
            "has_sections": bool(by_placement),
            "other_rounds": Question.objects.current()
            .filter(section__round__fund=round.fund, section__retired_at=None)
            .exclude(section__round=round)
            .exists(),
            "library_size": round.fund.question_library.count(),
        },
    )


# --- Sections ------------------------------------------------------------------------------------


@officer_required
@require_http_methods(["GET", "POST"])
def section_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    return _section_form(request, round=round, section=None)


@officer_required
@require_http_methods(["GET", "POST"])
def section_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk)
    return _section_form(request, round=section.round, section=section)


def _section_form(
    request: AuthenticatedHttpRequest, *, round: Round, section: QuestionSection | None
) -> HttpResponse:
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                section = services.save_section(round=round, section=section, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"The section ‘{section.title}’ has been saved.")
                return redirect(_questions_url(round) + f"#section-{section.pk}")
    else:
        initial = (
            {"title": section.title, "hint": section.hint, "placement": section.placement}
            if section
            else None
        )
        form = SectionForm(initial=initial)
    return _form_page(request, form, title="Change the section" if section else "Add a section", round=round)


@officer_required
@require_http_methods(["GET", "POST"])
def section_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk)
    if request.method == "POST":
        services.remove_section(section=section)
        messages.success(request, f"The section ‘{section.title}’ has been removed.")
        return redirect(_questions_url(section.round))
    return render(
        request,
        "questions/confirm_remove.html",
        {
            "round": section.round,
            "what": f"the section ‘{section.title}’ and its questions",
            "kept": services.is_locked(section.round),
        },
    )


@officer_required
def section_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The section as a group applying for one tier will see it (every tier's questions unless one
    is chosen)."""
    section = _section(request, pk)
    tiers = list(section.round.fund.tiers.all())
    tier = next((tier for tier in tiers if str(tier.pk) == request.GET.get("tier")), None)
    questions = section.questions.current()
    if tier is not None:
        questions = questions.for_tier(tier)
    form = AnswerForm(questions=list(questions.order_by("position", "pk")))
    return render(
        request,
        "questions/preview.html",
        {
            "section": section,
            "round": section.round,
            "form": form,
            "tiers": tiers,
            "tier": tier,
            "multipart": form.is_multipart(),
        },
    )


# --- Questions -----------------------------------------------------------------------------------


@officer_required
@require_http_methods(["GET", "POST"])
def question_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """First, the kind of answer the question asks for."""
    section = _section(request, pk)
    form = KindForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return redirect("questions:question_add_kind", pk=section.pk, kind=form.cleaned_data["kind"])
    return _form_page(request, form, title=f"Add a question to ‘{section.title}’", round=section.round)


def _tiers(round: Round) -> list[Tier]:
    return list(round.fund.tiers.all())


@officer_required
@require_http_methods(["GET", "POST"])
def question_add_kind(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    section = _section(request, pk)
    if kind not in Kind.values:
        raise Http404("No such kind of question")
    form = QuestionForm(request.POST if request.method == "POST" else None, kind=kind, round=section.round)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.add_question(
                section=section, wording=form.wording(), tiers=list(form.cleaned_data["tiers"])
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The question ‘{question.label}’ has been added.")
            return redirect(_questions_url(section.round) + f"#question-{question.pk}")
    return _form_page(
        request,
        form,
        title=f"Add a question: {Kind(kind).label[0].lower()}{Kind(kind).label[1:]}",
        round=section.round,
    )


@officer_required
@require_http_methods(["GET", "POST"])
@_question_page
def question_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a question; once the round is locked, only correct its wording or hint."""
    question = _question(request, pk)
    round = question.section.round
    if services.is_locked(round):
        correction = CorrectionForm(
            request.POST if request.method == "POST" else None,
            initial={"label": question.label, "hint": question.hint},
        )
        if request.method == "POST" and correction.is_valid():
            try:
                services.correct_question(question=question, **correction.cleaned_data)
            except ValidationError as error:
                add_service_errors(correction, error)
            else:
                messages.success(request, "The question has been corrected.")
                return redirect(_questions_url(round) + f"#question-{question.pk}")
        return render(
            request,
            "questions/correct.html",
            {"form": correction, "question": question, "round": round},
            status=400 if correction.errors else 200,
        )
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        kind=question.kind,
        round=round,
        initial={**QuestionForm.initial_for(question), "tiers": list(question.tiers.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_question(
                question=question, wording=form.wording(), tiers=list(form.cleaned_data["tiers"])
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The question ‘{question.label}’ has been saved.")
            return redirect(_questions_url(round) + f"#question-{question.pk}")
    return _form_page(request, form, title="Change the question", round=round)


@officer_required
@require_http_methods(["GET", "POST"])
@_question_page
def question_new_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    round = question.section.round
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        kind=question.kind,
        round=round,
        initial={**QuestionForm.initial_for(question), "tiers": list(question.tiers.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            replacement = services.new_version(
                question=question, wording=form.wording(), tiers=list(form.cleaned_data["tiers"])
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "The new version of the question has been saved. Groups still writing answer it; "
                "sent answers keep the question as it was asked.",
            )
            return redirect(_questions_url(round) + f"#question-{replacement.pk}")
    return _form_page(
        request,
        form,
        title="Make a new version of the question",
        round=round,
        intro="Groups still writing their application will answer the new version. Applications already "
        "sent keep the question as it was asked, with their answers.",
    )


@officer_required
@posts_to("fund:officer_home")
@require_POST
@_question_page
def question_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    services.move_question(question=question, by=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(_questions_url(question.section.round) + f"#question-{question.pk}")


@officer_required
@require_http_methods(["GET", "POST"])
@_question_page
def question_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    if request.method == "POST":
        services.remove_question(question=question)
        messages.success(request, f"The question ‘{question.label}’ has been removed.")
        return redirect(_questions_url(question.section.round))
    return render(
        request,
        "questions/confirm_remove.html",
        {
            "round": question.section.round,
            "what": f"the question ‘{question.label}’",
            "kept": services.is_locked(question.section.round),
        },
    )


# --- Copies and the library ------------------------------------------------------------------------


@officer_required
@require_http_methods(["GET", "POST"])
def copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    # Rounds with a question of their own to copy (not only empty sections).
    rounds = (
        round.fund.rounds.exclude(pk=round.pk)
        .filter(pk__in=Question.objects.current().filter(section__retired_at=None).values("section__round"))
        .order_by("-opens_at")
    )
    form = CopyForm(request.POST if request.method == "POST" else None, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        try:
            copied = services.copy_questions(source=form.cleaned_data["source"], target=round)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            words = [
                f"{copied.added} question{'s' if copied.added != 1 else ''} copied from "
                f"{form.cleaned_data['source'].name}"
            ]
            if copied.already:
                verb = "were" if copied.already != 1 else "was"
                words.append(f"{copied.already} it asks already {verb} not copied again")
            opened = round.phase() == "open"
            words.append(
                "The round is open: groups writing applications see them now"
                if opened
                else "Check them before the round opens"
            )
            messages.success(request, ". ".join(words) + ".")
            return redirect(_questions_url(round))
    return _form_page(
        request,
        form,
        title="Copy questions from another round",
        round=round,
        intro="The sections and questions are added to this round's own. You can change them here "
        "afterwards.",
    )


@officer_required
@posts_to("fund:officer_home")
@require_POST
@_question_page
def question_to_library(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    replaced = services.in_library(question)
    services.save_to_library(question=question)
    messages.success(
        request,
        f"‘{question.label}’ is in {question.section.round.fund.name}'s library of questions"
        + (": the library's question of the same wording has been updated." if replaced else "."),
    )
    return redirect(_questions_url(question.section.round) + f"#question-{question.pk}")


@officer_required
@require_http_methods(["GET", "POST"])
def library_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a question from the fund's library to a section."""
    section = _section(request, pk)
    entries = section.round.fund.question_library.all()
    if request.method == "POST":
        chosen = request.POST.get("entry", "")
        entry = get_object_or_404(entries, pk=int(chosen) if chosen.isdigit() else 0)
        try:
            question = services.add_from_library(entry=entry, section=section)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("questions:library_add", pk=section.pk)
        messages.success(request, f"‘{question.label}’ has been added to ‘{section.title}’.")
        return redirect(_questions_url(section.round) + f"#question-{question.pk}")
    return render(
        request,
        "questions/library_add.html",
        {"section": section, "round": section.round, "entries": entries, "kinds": dict(Kind.choices)},
    )


@officer_required
def library(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund.objects.managed_by(request.user), slug=slug)
    return render(
        request,
        "questions/library.html",
        {"fund": fund, "entries": fund.question_library.all(), "kinds": dict(Kind.choices)},
    )


@officer_required
@posts_to("fund:officer_home")
@require_POST
def library_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        LibraryQuestion.objects.filter(fund__in=Fund.objects.managed_by(request.user)).select_related("fund"),
        pk=pk,
    )
    services.remove_from_library(entry=entry)
    messages.success(request, f"‘{entry.label}’ has been removed from the library.")
    return redirect("questions:library", slug=entry.fund.slug)
