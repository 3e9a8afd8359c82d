"""The sections of an application's task list: which a tier asks for and when each is done.

A section is *completed* when the group has said so and nothing is missing; *in
progress* once anything in it is saved; otherwise *not started*. The declaration
cannot start until every other section is completed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from applications import round_questions
from applications.models import Application, Document
from applications.rules import BudgetFigures, budget_problems, eligibility_problems, goal_count_problems
from questions.models import Placement

NOT_STARTED = "Not started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
CANNOT_START = "Cannot start yet"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    hint: str
    applies: Callable[[Application], bool]
    has_data: Callable[[Application], bool]
    problems: Callable[[Application], list[str]]
    # A section of the round's own questions (``questions.QuestionSection``), else a built-in one.
    own: round_questions.OwnSection | None = None

    @property
    def at_start(self) -> bool:
        """Comes before anything else: the rest cannot start until it is complete."""
        return self.own is not None and self.own.section.at_start


def _organisation_problems(application: Application) -> list[str]:
    return eligibility_problems(organisation=application.organisation, tier=application.tier)


IDEA_QUESTIONS = [
    ("title", "Enter a name for your project"),
    ("summary", "Say what you will do"),
    ("who_it_helps", "Say who your project will help"),
    ("why_it_matters", "Say why it matters to local people"),
    ("how_people_involved", "Say how local people were involved in the idea"),
]
# Every answer the idea section holds: the questions above and, for the larger tiers, the plan.
IDEA_FIELDS = (*(field for field, _ in IDEA_QUESTIONS), "sustainability_plan")


def _idea_problems(application: Application) -> list[str]:
    problems = [message for field, message in IDEA_QUESTIONS if not getattr(application, field).strip()]
    if not application.places.exists():
        problems.append("Choose at least one place your project will work in")
    if application.tier.asks_sustainability_plan and not application.sustainability_plan.strip():
        problems.append("Say how your project will keep going once the investment is spent")
    return problems


def _goal_problems(application: Application) -> list[str]:
    return goal_count_problems(application.goals.current().count())


def budget_figures(application: Application) -> BudgetFigures:
    return BudgetFigures.of(
        amount_requested=application.amount_requested,
        lines=application.budget_lines.values_list("amount", flat=True),
        cash_match_funding=application.match_funding.filter(in_kind=False).values_list("amount", flat=True),
    )


def _budget_problems(application: Application) -> list[str]:
    return budget_problems(budget_figures(application))


def _partner_problems(application: Application) -> list[str]:
    if application.tier.partners_required and not application.partners.exists():
        return [f"{application.tier.name} investments need at least one partner organisation. Add a partner"]
    return []


def required_documents(application: Application) -> list[str]:
    tier = application.tier
    kinds: list[str] = []
    if tier.needs_constitution:
        kinds.append(Document.Kind.CONSTITUTION)
    if tier.needs_accounts:
        kinds.append(Document.Kind.ACCOUNTS)
    if tier.needs_safeguarding_policy:
        kinds.append(Document.Kind.SAFEGUARDING)
    return kinds


def _document_problems(application: Application) -> list[str]:
    present = set(application.documents.values_list("kind", flat=True))
    return [
        f"Upload your {Document.Kind(kind).label[0].lower()}{Document.Kind(kind).label[1:]}"
        for kind in required_documents(application)
        if kind not in present
    ]


def _declaration_problems(application: Application) -> list[str]:
    return [] if application.declared_at else ["Confirm the declaration"]


SECTIONS: list[Section] = [
    Section(
        "organisation",
        "About your group",
        "Check your group's details are right",
        applies=lambda a: True,
        # The details come from the group's profile: nothing is "in progress" until confirmed.
        has_data=lambda a: False,
        problems=_organisation_problems,
    ),
    Section(
        "idea",
        "Your idea",
        "What you will do, who it helps and where",
        applies=lambda a: True,
        has_data=lambda a: bool(a.title or a.summary or a.who_it_helps),
        problems=_idea_problems,
    ),
    Section(
        "goals",
        "Your goals",
        "Up to 5 things that will be different for local people",
        applies=lambda a: True,
        has_data=lambda a: a.goals.exists(),
        problems=_goal_problems,
    ),
    Section(
        "budget",
        "Budget",
        "What the money will be spent on",
        applies=lambda a: True,
        has_data=lambda a: a.budget_lines.exists(),
        problems=_budget_problems,
    ),
    Section(
        "match-funding",
        "Match funding and support in kind",
        "Money, rooms, goods or volunteers' time from elsewhere",
        applies=lambda a: a.tier.asks_match_funding,
        has_data=lambda a: a.match_funding.exists(),
        problems=lambda a: [],
    ),
    Section(
        "partners",
        "Partners",
        "Other organisations you will work with",
        applies=lambda a: a.tier.asks_partners or a.tier.partners_required,
        has_data=lambda a: a.partners.exists(),
        problems=_partner_problems,
    ),
    Section(
        "documents",
        "Documents",
        "Your group's constitution, accounts and policies",
        applies=lambda a: bool(required_documents(a)),
        has_data=lambda a: a.documents.exclude(kind__in=Document.ATTACHED).exists(),
        problems=_document_problems,
    ),
    Section(
        "declaration",
        "Declaration",
        "Confirm what you have told us is true",
        applies=lambda a: True,
        has_data=lambda a: bool(a.declared_at),
        problems=_declaration_problems,
    ),
]

BY_SLUG = {section.slug: section for section in SECTIONS}
# Each built-in section a section of the round's own can be placed after (or at the start).
assert {placement.value for placement in Placement} - {Placement.START} <= set(BY_SLUG)


def _own(own: round_questions.OwnSection) -> Section:
    return Section(
        own.slug,
        own.section.title,
        own.section.hint,
        applies=lambda a: True,
        has_data=lambda a: round_questions.has_data(a, own),
        problems=lambda a: round_questions.problems(a, own),
        own=own,
    )


def sections_for(application: Application) -> list[Section]:
    """The sections the application asks, in order: the built-in ones its tier asks for, with the
    round's own placed among them."""
    placed: dict[str, list[Section]] = {}
    for own in round_questions.own_sections(application):
        placed.setdefault(own.section.placement, []).append(_own(own))
    found = list(placed.get(Placement.START, []))
    for section in SECTIONS:
        if section.applies(application):
            found.append(section)
        found.extend(placed.get(section.slug, []))
    return found


def section_for(application: Application, slug: str) -> Section:
    """The application's section called ``slug`` (KeyError if it asks no such section)."""
    if slug in BY_SLUG:
        return BY_SLUG[slug]
    return next(section for section in sections_for(application) if section.slug == slug)


def _own_status(application: Application, section: Section) -> str:
    if section.slug in application.completed_sections and not section.problems(application):
        return COMPLETED
    if section.has_data(application):
        return IN_PROGRESS
    return NOT_STARTED


@dataclass(frozen=True)
class Task:
    section: Section
    status: str


def task_list(application: Application) -> list[Task]:
    """Each section with its status; each section's checks run once. While a section at the start
    (questions that decide who can apply) is not complete, nothing after it can start."""
    tasks: list[Task] = []
    for section in sections_for(application):
        if section.slug == "declaration":
            continue
        blocked = any(task.section.at_start and task.status != COMPLETED for task in tasks)
        tasks.append(Task(section, CANNOT_START if blocked else _own_status(application, section)))
    ready = all(task.status == COMPLETED for task in tasks)
    declaration = BY_SLUG["declaration"]
    tasks.append(Task(declaration, _own_status(application, declaration) if ready else CANNOT_START))
    return tasks


def start_unfinished(application: Application) -> Section | None:
    """The first section at the start (questions that decide who can apply) not yet complete: until
    it is, nothing after it can start."""
    for section in sections_for(application):
        if not section.at_start:
            return None
        if _own_status(application, section) != COMPLETED:
            return section
    return None


def unfinished(application: Application) -> list[Task]:
    return [task for task in task_list(application) if task.status != COMPLETED]
