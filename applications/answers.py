"""An application's answers as the group and the panel read them: sections of questions
and answers in plain text. Check your answers shows them; each submitted version keeps them."""

from __future__ import annotations

from applications import round_questions
from applications.models import Application, Document
from applications.sections import sections_for
from fund.money import pounds


def _money(amount) -> str:
    return pounds(amount)


def answers(application: Application) -> list[dict]:
    """[{"slug", "title", "rows": [{"question", "answer"}]}] for each section the tier asks."""
    organisation = application.organisation
    tier = application.tier
    built: dict[str, list[tuple[str, str]]] = {
        "organisation": [
            ("Group name", organisation.name),
            ("Legal form", organisation.legal_form_other or organisation.get_legal_form_display()),
            ("Charity number", organisation.charity_number or "None"),
            ("Company number", organisation.company_number or "None"),
            (
                "Address",
                "\n".join(
                    part
                    for part in (
                        organisation.address_line_1,
                        organisation.address_line_2,
                        organisation.town,
                        organisation.postcode,
                    )
                    if part
                ),
            ),
            (
                "Contact",
                f"{organisation.contact_name}\n{organisation.contact_email}\n{organisation.contact_phone}".strip(),
            ),
        ],
        "idea": [
            ("Amount asked for", f"{_money(application.amount_requested)} ({tier.name} investment)"),
            ("Project name", application.title),
            ("What you will do", application.summary),
            ("Who it helps", application.who_it_helps),
            ("Where", ", ".join(place.name for place in application.places.all())),
            ("Why it matters", application.why_it_matters),
            ("How local people were involved", application.how_people_involved),
        ]
        + (
            [("How it will keep going", application.sustainability_plan)]
            if tier.asks_sustainability_plan
            else []
        ),
        "goals": [
            (
                f"Goal {number}",
                "\n".join(
                    line
                    for line in (
                        goal.description,
                        f"How you will know: {goal.indicator}" if goal.indicator else "",
                        _measure(goal),
                        "Themes: " + ", ".join(theme.name for theme in goal.themes.all())
                        if goal.themes.all()
                        else "",
                    )
                    if line
                ),
            )
            for number, goal in enumerate(application.goals.current(), start=1)
        ],
        "budget": [
            (f"{line.item}" + (f" (year {line.year})" if tier.budget_years > 1 else ""), _money(line.amount))
            for line in application.budget_lines.all()
        ]
        + [("Total cost", _money(sum((line.amount for line in application.budget_lines.all()), 0)))],
        "match-funding": [
            (
                match.source,
                f"{_money(match.amount)}{' in kind' if match.in_kind else ''}, "
                f"{match.get_status_display().lower()}",
            )
            for match in application.match_funding.all()
        ]
        or [("Match funding", "None")],
        "partners": [
            (
                partner.name,
                partner.role
                + (f"\nLetter of support: {partner.letter.original_name}" if partner.letter else ""),
            )
            for partner in application.partners.all()
        ]
        or [("Partners", "None")],
        "documents": [
            (document.get_kind_display(), document.original_name)
            for document in application.documents.all()
            if document.kind not in Document.ATTACHED
        ],
        "declaration": [("Declared by", application.declaration_name)],
    }
    return [
        {
            "slug": section.slug,
            "title": section.title,
            "rows": round_questions.rows(application, section.own)
            if section.own
            else [{"question": question, "answer": answer} for question, answer in built[section.slug]],
        }
        for section in sections_for(application)
    ]


def _measure(goal) -> str:
    if goal.baseline is None and goal.target is None:
        return ""
    unit = f" {goal.unit}" if goal.unit else ""
    start = f"from {goal.baseline.normalize():f}{unit} " if goal.baseline is not None else ""
    end = f"to {goal.target.normalize():f}{unit}" if goal.target is not None else ""
    return f"Measure: {start}{end}".strip()


def _keyed(section: dict) -> list[tuple[tuple, dict]]:
    """Each row of a section with its key: the section, the question, and which of the rows of
    that name it is (two budget lines may both be called "Tea")."""
    seen: dict[str, int] = {}
    keyed = []
    for row in section["rows"]:
        seen[row["question"]] = seen.get(row["question"], 0) + 1
        keyed.append(((section.get("slug"), row["question"], seen[row["question"]]), row))
    return keyed


def changes_since(earlier: list[dict], later: list[dict]) -> list[dict]:
    """``later``'s sections and rows, each row marked with how it differs from ``earlier`` (two
    sent versions' answers): "new", or "changed" with the answer ``before``; rows ``earlier`` had
    and ``later`` has not come last in their section, marked "removed"."""
    before = {key: row["answer"] for section in earlier for key, row in _keyed(section)}
    marked = []
    for section in later:
        rows = []
        seen = set()
        for key, row in _keyed(section):
            seen.add(key)
            if key not in before:
                rows.append({**row, "change": "new"})
            elif before[key] != row["answer"]:
                rows.append({**row, "change": "changed", "before": before[key]})
            else:
                rows.append(row)
        for earlier_section in earlier:
            if earlier_section.get("slug") == section.get("slug"):
                rows += [
                    {**row, "change": "removed"} for key, row in _keyed(earlier_section) if key not in seen
                ]
        marked.append({**section, "rows": rows})
    return marked
