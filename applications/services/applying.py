"""An application from first draft to submitted, withdrawn or resubmitted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications import round_questions
from applications.answers import answers
from applications.models import (
    Answer,
    Application,
    ApplicationEvent,
    ApplicationItem,
    ApplicationVersion,
    BudgetLine,
    Document,
    Goal,
    MatchFunding,
    Partner,
)
from applications.permissions import can_edit_application
from applications.rules import (
    MAX_GOALS,
    amount_problems,
    another_goal_problems,
    eligibility_problems,
    goal_count_problems,
    round_problems,
    tier_for,
)
from applications.sections import IDEA_FIELDS, section_for, unfinished
from applications.services.history import record
from fund.models import Fund, FundRole, Place, Round, Theme
from kit.errors import RuleError
from kit.uploads import upload_problems
from notifications.models import Kind
from notifications.services import fund_people, notify
from organisations.models import Organisation
from organisations.notify import email_group


def _one_application_problems(
    *, round: Round, organisation: Organisation, excluding: int | None = None
) -> list[str]:
    others = Application.objects.taking_the_groups_place().filter(round=round, organisation=organisation)
    if excluding is not None:
        others = others.exclude(pk=excluding)
    existing = others.first()
    if existing is None:
        return []
    return [
        f"{organisation.name} already has an application in {round.name} ({existing}). Each group may make "
        "one application in this round: carry on with that one from your applications page."
    ]


def rounds_open_to(organisations: Iterable[Organisation], rounds: Iterable[Round]) -> dict[int, list[Round]]:
    """For each group (by pk), which of ``rounds`` it may still start an application in: the
    one-application rule leaves out a round where the group already has one. One query."""
    organisations, rounds = list(organisations), list(rounds)
    taken = set(
        Application.objects.taking_the_groups_place()
        .filter(organisation__in=organisations, round__in=rounds)
        .values_list("organisation_id", "round_id")
    )
    return {
        organisation.pk: [round for round in rounds if (organisation.pk, round.pk) not in taken]
        for organisation in organisations
    }


def start_problems(*, round: Round, organisation: Organisation, amount: Decimal) -> list[str]:
    """Why this group cannot apply for this amount in this round now (empty when it can)."""
    if problems := round_problems(round):
        return problems
    tier = tier_for(round, amount)
    if problems := amount_problems(round, amount, tier):
        return problems
    assert tier is not None  # amount_problems refuses an amount no tier takes
    if problems := eligibility_problems(organisation=organisation, tier=tier):
        return problems
    return _one_application_problems(round=round, organisation=organisation)


@transaction.atomic
def start_application(*, round: Round, organisation: Organisation, amount: Decimal, by: User) -> Application:
    # Lock the group so two members starting at once cannot both pass the one-application rule.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    if problems := start_problems(round=round, organisation=organisation, amount=amount):
        raise RuleError({"amount": problems})
    tier = tier_for(round, amount)
    assert tier is not None  # start_problems refuses an amount no tier takes
    return Application.objects.create(
        organisation=organisation,
        round=round,
        tier=tier,
        amount_requested=amount,
        created_by=by,
    )


def _editable(application: Application) -> Application:
    """The application, locked for this transaction, if the group may still change it."""
    application = (
        Application.objects.select_for_update().select_related("round__fund", "tier").get(pk=application.pk)
    )
    if not (permission := can_edit_application(application)):
        raise RuleError(permission.reason)
    return application


def _reopen(application: Application, *slugs: str) -> None:
    """A change to a section means the group confirms it again."""
    remaining = [slug for slug in application.completed_sections if slug not in slugs]
    if remaining != application.completed_sections:
        application.completed_sections = remaining
        application.save(update_fields=["completed_sections", "updated_at"])


@transaction.atomic
def change_amount(*, application: Application, amount: Decimal, by: User) -> Application:
    application = _editable(application)
    tier = tier_for(application.round, amount)
    if problems := amount_problems(application.round, amount, tier):
        raise RuleError({"amount": problems})
    assert tier is not None  # amount_problems refuses an amount no tier takes
    if problems := eligibility_problems(organisation=application.organisation, tier=tier):
        raise RuleError({"amount": problems})
    application.amount_requested = amount
    application.tier = tier
    application.save(update_fields=["amount_requested", "tier", "updated_at"])
    _reopen(application, "idea", "budget")
    return application


@transaction.atomic
def save_idea(
    *, application: Application, places: list[Place], by: User, **answers_given: str
) -> Application:
    application = _editable(application)
    for field in IDEA_FIELDS:
        if field in answers_given:
            setattr(application, field, answers_given[field].strip())
    application.save()
    application.places.set([place for place in places if place.fund_id == application.round.fund_id])
    _reopen(application, "idea")
    return application


# --- Items added to a list: goals, budget lines, match funding, partners ---------

ITEM_SECTIONS: dict[type[models.Model], str] = {
    Goal: "goals",
    BudgetLine: "budget",
    MatchFunding: "match-funding",
    Partner: "partners",
}


def _item_problems(application: Application, item: ApplicationItem) -> dict[str, list[str]]:
    if (
        isinstance(item, Goal)
        and item.pk is None
        and (problems := another_goal_problems(application.goals.count()))
    ):
        return {"__all__": problems}
    if isinstance(item, BudgetLine) and item.year > application.tier.budget_years:
        years = application.tier.budget_years
        return {"year": [f"{application.tier.name} budgets cover {years} year{'s' if years > 1 else ''}"]}
    return {}


@transaction.atomic
def save_item[Item: ApplicationItem](
    *, application: Application, item: Item, by: User, themes: Iterable[Theme] | None = None
) -> Item:
    """Add or change one goal, budget line, match funding source or partner."""
    application = _editable(application)
    if item.pk is not None and item.application_id != application.pk:
        raise RuleError("That item belongs to another application.")
    item.application = application
    if problems := _item_problems(application, item):
        raise RuleError(problems)
    if isinstance(item, Goal) and item.pk is None:
        item.position = (application.goals.aggregate(models.Max("position"))["position__max"] or 0) + 1
    item.full_clean(exclude=["application", "letter"])
    item.save()
    if isinstance(item, Goal) and themes is not None:  # only goals have themes
        item.themes.set([theme for theme in themes if theme.fund_id == application.round.fund_id])
    if isinstance(item, MatchFunding):
        _reopen(application, "match-funding", "budget")  # cash match funding changes the budget's total
    else:
        _reopen(application, ITEM_SECTIONS[type(item)])
    return item


@dataclass(frozen=True)
class GoalRow:
    """A row of the goals page: an existing goal (``pk``) or a new one."""

    pk: int | None
    description: str
    indicator: str = ""
    themes: tuple[Theme, ...] = ()
    remove: bool = False


@transaction.atomic
def save_goals(*, application: Application, rows: Iterable[GoalRow], by: User) -> Application:
    """Keep the goals page: change the goals it shows, add those typed in empty rows, remove those
    ticked or cleared. At most ``MAX_GOALS`` remain."""
    application = _editable(application)
    goals = {goal.pk: goal for goal in application.goals.current()}
    kept: list[tuple[Goal, tuple[Theme, ...]]] = []
    for row in rows:
        goal = goals.pop(row.pk, None) if row.pk else None
        if row.pk and goal is None:
            raise RuleError(
                "A goal on this page was changed or removed elsewhere since you opened it. Reload the page "
                "and try again."
            )
        if row.remove or not row.description.strip():
            if goal is not None:
                goal.delete()
            continue
        goal = goal or Goal(application=application)
        goal.description, goal.indicator = row.description, row.indicator
        kept.append((goal, row.themes))
    kept += [(goal, tuple(goal.themes.all())) for goal in goals.values()]  # any the page did not show
    if len(kept) > MAX_GOALS:
        raise RuleError(goal_count_problems(len(kept)))
    fund_id = application.round.fund_id
    for position, (goal, themes) in enumerate(kept, start=1):
        goal.position = position
        goal.full_clean(exclude=["application", "replaces"])
        goal.save()
        goal.themes.set([theme for theme in themes if theme.fund_id == fund_id])
    _reopen(application, "goals")
    return application


@dataclass(frozen=True)
class BudgetRow:
    """A line of the budget table: an existing line (``pk``) or a new one."""

    pk: int | None
    item: str
    amount: Decimal | None
    year: int = 1
    remove: bool = False


@transaction.atomic
def save_budget(*, application: Application, rows: Iterable[BudgetRow], by: User) -> Application:
    """Keep the budget table: change the lines it shows, add those typed in empty rows, remove
    those ticked or cleared."""
    application = _editable(application)
    lines = {line.pk: line for line in application.budget_lines.all()}
    years = application.tier.budget_years
    for row in rows:
        line = lines.pop(row.pk, None) if row.pk else None
        if row.pk and line is None:
            raise RuleError(
                "A budget line on this page was changed or removed elsewhere since you opened it. Reload the "
                "page and try again."
            )
        if row.remove or (not row.item.strip() and row.amount is None):
            if line is not None:
                line.delete()
            continue
        if row.year > years:
            raise RuleError(f"{application.tier.name} budgets cover {years} year{'s' if years > 1 else ''}")
        line = line or BudgetLine(application=application)
        line.item, line.amount, line.year = row.item, row.amount, row.year
        line.full_clean(exclude=["application"])
        line.save()
    _reopen(application, "budget")
    return application


@transaction.atomic
def remove_item(*, application: Application, item: ApplicationItem, by: User) -> None:
    application = _editable(application)
    if item.application_id != application.pk:
        raise RuleError("That item belongs to another application.")
    letter = item.letter if isinstance(item, Partner) else None
    item.delete()
    if letter:
        _delete_document(letter)
    _reopen(application, ITEM_SECTIONS[type(item)], *(["budget"] if isinstance(item, MatchFunding) else []))


# --- Documents -------------------------------------------------------------------


@transaction.atomic
def upload_document(*, application: Application, kind: str, upload: UploadedFile, by: User) -> Document:
    """Store a document under an unguessable key. One of each required kind: a new one replaces the old."""
    application = _editable(application)
    content_type, problems = upload_problems(upload)
    if problems:
        raise RuleError({"file": problems})
    assert content_type is not None and upload.size is not None  # an accepted file has both
    replaced = []
    if kind not in (Document.Kind.OTHER, *Document.ATTACHED):
        replaced = list(application.documents.filter(kind=kind))
    document = Document(
        application=application,
        kind=kind,
        original_name=(upload.name or "document")[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save(upload.name or "document", upload, save=False)
    document.save()
    for old in replaced:
        _delete_document(old)
    _reopen(application, "documents")
    return document


def _delete_document(document: Document) -> None:
    name = document.file.name
    storage = document.file.storage
    document.delete()
    # Remove the stored file only once the row is gone for good.
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def remove_document(*, application: Application, document: Document, by: User) -> None:
    application = _editable(application)
    if document.application_id != application.pk:
        raise RuleError("That document belongs to another application.")
    _delete_document(document)
    _reopen(
        application, "documents", *(["partners"] if document.kind == Document.Kind.PARTNER_LETTER else [])
    )


@transaction.atomic
def attach_partner_letter(
    *, application: Application, partner: Partner, upload: UploadedFile, by: User
) -> Partner:
    if partner.application_id != application.pk:
        raise RuleError("That partner belongs to another application.")
    document = upload_document(
        application=application, kind=Document.Kind.PARTNER_LETTER, upload=upload, by=by
    )
    old = partner.letter
    partner.letter = document
    partner.save(update_fields=["letter"])
    if old:
        _delete_document(old)
    return partner


# --- The round's own questions ------------------------------------------------------


@transaction.atomic
def save_answers(
    *,
    application: Application,
    section_pk: int,
    values: dict[int, Any],
    uploads: dict[int, UploadedFile],
    by: User,
    removals: set[int] | frozenset[int] = frozenset(),
) -> Application:
    """Keep a section's answers to the round's own questions (an empty one is removed), the files
    given and those taken back; the section is to be confirmed again."""
    application = _editable(application)
    own = next(
        (own for own in round_questions.own_sections(application) if own.section.pk == section_pk), None
    )
    if own is None:
        raise RuleError("Your application is not asked that section.")
    asked = {question.pk: question for question in own.questions if question.retired_at is None}
    for question_pk, value in values.items():
        if question_pk not in asked:
            continue
        if value is None:
            Answer.objects.filter(application=application, question_id=question_pk, document=None).delete()
            Answer.objects.filter(application=application, question_id=question_pk).update(value=None)
        else:
            Answer.objects.update_or_create(
                application=application, question_id=question_pk, defaults={"value": value}
            )
    for question_pk in removals:
        answer = Answer.objects.filter(application=application, question_id=question_pk).first()
        if question_pk in asked and answer is not None and answer.document is not None:
            document = answer.document
            answer.document = None
            answer.save(update_fields=["document", "updated_at"])
            _delete_document(document)
            if answer.value is None:
                answer.delete()
    uploads = {question_pk: upload for question_pk, upload in uploads.items() if question_pk in asked}
    # Every file is checked before any is stored: a refusal leaves nothing behind in storage.
    checked = {question_pk: upload_problems(upload) for question_pk, upload in uploads.items()}
    if refused := {asked[pk].field_name: problems for pk, (_, problems) in checked.items() if problems}:
        raise RuleError(refused)
    for question_pk, upload in uploads.items():
        content_type = checked[question_pk][0]
        assert content_type is not None and upload.size is not None  # an accepted file has both
        document = Document(
            application=application,
            kind=Document.Kind.ANSWER,
            original_name=(upload.name or "document")[-200:],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
        document.file.save(upload.name or "document", upload, save=False)
        document.save()
        answer, _ = Answer.objects.get_or_create(application=application, question_id=question_pk)
        replaced = answer.document
        answer.document = document
        answer.save(update_fields=["document", "updated_at"])
        if replaced is not None:
            _delete_document(replaced)
    _reopen(application, own.slug)
    round_questions.forget(application)
    return application


# --- Sections, declaration, submission --------------------------------------------


@transaction.atomic
def mark_section(*, application: Application, slug: str, completed: bool, by: User) -> Application:
    """The group says a section is finished (checked now) or that they will come back to it."""
    application = _editable(application)
    section = section_for(application, slug)
    if completed:
        if problems := section.problems(application):
            raise RuleError({"completed": problems})
        if slug not in application.completed_sections:
            application.completed_sections = [*application.completed_sections, slug]
    else:
        application.completed_sections = [s for s in application.completed_sections if s != slug]
    application.save(update_fields=["completed_sections", "updated_at"])
    return application


@transaction.atomic
def declare(*, application: Application, name: str, by: User) -> Application:
    application = _editable(application)
    others = [task for task in unfinished(application) if task.section.slug != "declaration"]
    if others:
        raise RuleError(
            "Complete every other section before the declaration: "
            + ", ".join(task.section.title.lower() for task in others)
            + "."
        )
    application.declaration_name = name.strip()
    application.declared_at = timezone.now()
    application.declared_by = by
    application.completed_sections = [*{*application.completed_sections, "declaration"}]
    application.save(
        update_fields=["declaration_name", "declared_at", "declared_by", "completed_sections", "updated_at"]
    )
    return application


def submission_problems(application: Application) -> list[str]:
    problems = []
    if application.status == Application.Status.DRAFT:
        problems += round_problems(application.round)
    problems += [
        f"{task.section.title}: {task.status.lower()}. "
        + " ".join(f"{problem.rstrip('.')}." for problem in task.section.problems(application))
        for task in unfinished(application)
    ]
    problems += eligibility_problems(organisation=application.organisation, tier=application.tier)
    if application.status == Application.Status.DRAFT:
        problems += _one_application_problems(
            round=application.round, organisation=application.organisation, excluding=application.pk
        )
    return [problem.strip() for problem in problems]


def _next_reference(fund: Fund, when: datetime) -> str:
    """e.g. DFC-2026-00042: the fund's prefix, the year, and a number counting up within it."""
    Fund.objects.select_for_update().get(pk=fund.pk)  # one number at a time per fund
    prefix = f"{fund.reference_prefix}-{timezone.localtime(when):%Y}-"
    last = (
        Application.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
    ).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def submit_application(*, application: Application, by: User, base_url: str) -> Application:
    """Submit (or resubmit after being sent back). Submitting twice changes nothing the second time."""
    application = (
        Application.objects.select_for_update()
        .select_related("round__fund", "tier", "organisation")
        .get(pk=application.pk)
    )
    if application.status == Application.Status.SUBMITTED:
        return application  # a double click or the back button: already done
    if not (permission := can_edit_application(application)):
        raise RuleError(permission.reason)
    if problems := submission_problems(application):
        raise RuleError(problems)

    now = timezone.now()
    resubmission = application.status == Application.Status.DEFERRED
    if not application.reference:
        application.reference = _next_reference(application.round.fund, now)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now
    application.save(update_fields=["reference", "status", "submitted_at", "updated_at"])
    record(
        application=application,
        kind=ApplicationEvent.Kind.SUBMITTED,
        by=by,
        details="Resubmitted" if resubmission else "",
    )
    ApplicationVersion.objects.create(
        application=application,
        number=application.versions.count() + 1,
        answers=answers(application),
        submitted_by=by,
        declared_by=application.declared_by,
        submitted_at=now,
    )
    email_group(
        application.organisation,
        fund=application.round.fund,
        subject=f"{'Resubmitted' if resubmission else 'Application received'}: {application.reference}",
        template="applications/email/submitted.txt",
        context={
            "application": application,
            "resubmission": resubmission,
            "link": base_url + reverse("applications:application_detail", args=[application.pk]),
            "service_name": settings.SERVICE_NAME,
            "support_email": settings.SUPPORT_EMAIL,
        },
        also=[by.email],
    )
    fund = application.round.fund
    notify(
        fund_people(fund, FundRole.Role.OFFICER),
        kind=Kind.SUBMITTED,
        text=f"{application.reference} {'sent again' if resubmission else 'sent'} "
        f"by {application.organisation.name}",
        url=reverse("assessment:staff_application", args=[application.pk]),
        fund=fund,
        base_url=base_url,
        by=by,
    )
    return application


@transaction.atomic
def withdraw_application(*, application: Application, by: User) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.can_be_withdrawn:
        raise RuleError(
            f"This application can no longer be withdrawn: it is {application.get_status_display().lower()}."
        )
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    record(application=application, kind=ApplicationEvent.Kind.WITHDRAWN, by=by)
    return application
