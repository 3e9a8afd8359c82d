"""The sections of an application's task list: which a tier asks for and when each is done.

A section is *completed* when the group has said so and nothing is missing; *in
progress* once anything in it is saved; otherwise *not started*. The declaration
cannot start until every other section is completed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from applications.models import Application, Document
from applications.rules import BudgetFigures, budget_problems, eligibility_problems, goal_count_problems

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
        has_data=lambda a: a.documents.exclude(kind=Document.Kind.PARTNER_LETTER).exists(),
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


def sections_for(application: Application) -> list[Section]:
    return [section for section in SECTIONS if section.applies(application)]


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
    """Each section with its status; each section's checks run once."""
    tasks = [
        Task(section, _own_status(application, section))
        for section in sections_for(application)
        if section.slug != "declaration"
    ]
    ready = all(task.status == COMPLETED for task in tasks)
    declaration = BY_SLUG["declaration"]
    tasks.append(Task(declaration, _own_status(application, declaration) if ready else CANNOT_START))
    return tasks


def unfinished(application: Application) -> list[Task]:
    return [task for task in task_list(application) if task.status != COMPLETED]
