"""The apps form a ladder: each imports only from the floors below it, so there are no cycles,
and no app reaches into another's views or private helpers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. An app may import from any app on a lower floor, never from its own floor or above.
LADDER = [
    ["kit"],  # shared parts: fields, forms, words, downloads, upload checks, Permission
    ["accounts"],  # people and sign-in
    ["fund"],  # configuration: funds, tiers, rounds, criteria, places, themes, roles
    ["questions"],  # each round's own questions, the builder and the fund's library
    ["notifications"],  # what each person is told, in the portal and by e-mail
    ["organisations"],  # community groups, members, invitations
    ["applications"],  # applications and what they hold
    ["conversations"],  # each sent application's messages and the fund team's notes
    ["assessment"],  # eligibility, reviews, scores, panel summary, decisions
    ["investments"],  # investments, payments, progress updates, reminders, closing
    ["mentoring"],
    ["team"],  # the fund's people: invitations, roles, work left in hand
    ["reporting"],
    ["audit", "public"],  # cross-cutting readers
    ["work"],  # what needs each person: the landing page's to-do lists, read from every app
    ["privacy"],  # reads everything a person left, including the audit trail
    ["portal"],  # the shell: start page, navigation, demo data, health
]
FLOOR = {app: floor for floor, apps in enumerate(LADDER) for app in apps}


def _imports(app: str):
    """(file, line, imported module, imported names) for every import of another app in ``app``."""
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found = [(node.module, [alias.name for alias in node.names])]
            elif isinstance(node, ast.Import):
                found = [(alias.name, []) for alias in node.names]
            else:
                continue
            for module, names in found:
                if module.split(".")[0] in FLOOR and module.split(".")[0] != app:
                    yield path.relative_to(ROOT), node.lineno, module, names


def test_every_app_is_on_the_ladder():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(FLOOR), "Put each app on a floor of the ladder (and say so in the README)"


@pytest.mark.parametrize("app", list(FLOOR))
def test_an_app_imports_only_from_the_floors_below(app):
    upward = [
        f"{path}:{line} imports {module}"
        for path, line, module, _ in _imports(app)
        if FLOOR[module.split(".")[0]] >= FLOOR[app]
    ]
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize("app", list(FLOOR))
def test_no_app_reaches_into_another_apps_views_or_private_helpers(app):
    reaching = [
        f"{path}:{line} imports {module} {', '.join(names)}"
        for path, line, module, names in _imports(app)
        if ".views" in module or any(name.startswith("_") for name in names)
    ]
    assert not reaching, "\n".join(reaching)


def test_the_app_graph_has_no_cycles():
    graph = {app: {module.split(".")[0] for _, _, module, _ in _imports(app)} for app in FLOOR}
    visiting: set[str] = set()
    done: set[str] = set()

    def visit(app: str, trail: list[str]) -> None:
        assert app not in visiting, "A cycle: " + " -> ".join([*trail, app])
        if app in done:
            return
        visiting.add(app)
        for other in graph[app]:
            visit(other, [*trail, app])
        visiting.discard(app)
        done.add(app)

    for app in graph:
        visit(app, [])
