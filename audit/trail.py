"""The audit trail, read back: who changed what, when, from what to what.

django-simple-history keeps a copy of each tracked row on every change, written in the same
transaction as the change. This module turns those copies into entries people can read, for one
object (with the objects that belong to it) or for everything in some funds over a period.
"""

from __future__ import annotations

import functools
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from applications.models import Application
from assessment.models import Decision, Score
from fund.models import Fund, FundRole
from fund.money import pounds
from investments.models import AwardCondition, GoalChange, Investment, Payment, PaymentEntry, PaymentRun
from mentoring.models import Assignment
from questions.models import Question
from reporting.models import OutcomeRecord, ProxyVersion
from team.models import TeamInvitation

# Each tracked model, what to call it, and its path to the fund it belongs to.
TRACKED: list[tuple[type[models.Model], str, str]] = [
    (Application, "Application", "round__fund"),
    (Score, "Score", "review__application__round__fund"),
    (Decision, "Decision", "application__round__fund"),
    (Investment, "Investment", "round__fund"),
    (Payment, "Payment", "investment__round__fund"),
    (PaymentEntry, "Payment entry", "payment__investment__round__fund"),
    (Assignment, "Mentor assignment", "investment__round__fund"),
    (ProxyVersion, "Financial proxy", "proxy__fund"),
    (OutcomeRecord, "Outcome record", "investment__round__fund"),
    (FundRole, "Team role", "fund"),
    (TeamInvitation, "Team invitation", "fund"),
    (AwardCondition, "Condition of award", "investment__round__fund"),
    (GoalChange, "Change of goals", "investment__round__fund"),
    (Fund, "Fund settings", "id"),
    (Question, "Question", "section__round__fund"),
    (PaymentRun, "Payment run", "fund"),
]
# What each tracked model's name (its ``__str__``) is read from, so that naming many reads no more;
# any other model is read with its required relations two steps deep (``_joined``).
NAMED_FROM: dict[type[models.Model], tuple[str, ...]] = {
    Application: (),
    Score: ("criterion",),
    Decision: ("application",),
    Investment: ("application",),
    Payment: ("investment__application",),
    PaymentEntry: ("payment",),
    Assignment: ("mentor", "investment__application"),
    ProxyVersion: (),
    OutcomeRecord: ("investment__application",),  # and its proxy, a few shared by many: PREFETCHED
    FundRole: ("fund",),
    TeamInvitation: ("fund",),
    AwardCondition: ("investment__application",),
    GoalChange: ("investment__application",),
    Fund: (),
    Question: (),
    PaymentRun: ("fund",),
}
PREFETCHED: dict[type[models.Model], tuple[str, ...]] = {OutcomeRecord: ("proxy__versions",)}
# The only columns some names are made from, for the models named by the thousand: an
# application's other columns (its answers among them) are never read to name it. A name made of
# more than these still comes out right, a query at a time, which the query-count tests would catch.
NAME_COLUMNS: dict[type[models.Model], tuple[str, ...]] = {
    Application: ("reference", "title"),
    Investment: ("application__reference", "application__title"),
    Payment: ("number", "investment__application__reference", "investment__application__title"),
    OutcomeRecord: (
        "quantity",
        "proxy_id",
        "investment__application__reference",
        "investment__application__title",
    ),
}
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
SYSTEM = "The portal"


class Change(NamedTuple):
    """One field of one entry, before and after (named tuples: a long log makes a great many)."""

    field: str
    before: str
    after: str


class Entry(NamedTuple):
    when: datetime
    who: str
    what: str
    subject: str
    action: str
    changes: list[Change]


def _fields(historical: type[models.Model]) -> list[models.Field]:
    return [f for f in historical._meta.concrete_fields if not f.name.startswith("history_")]


Copy = Mapping[str, Any]  # one historical copy as read with ``.values()``: attname to value


@functools.cache
def _choices(field: models.Field) -> dict[Any, str]:
    return {value: str(label) for value, label in field.flatchoices}


@functools.cache
def _label(field: models.Field) -> str:
    return str(field.verbose_name)


def _shown(record: Copy, field: models.Field, labels: dict[tuple[str, Any], str]) -> str:
    """A field's value as people read it; a related object by the name ``labels`` gives it."""
    value = record[field.attname]
    if value is None or value == "":
        return "–"
    if field.choices:
        return _choices(field).get(value, str(value))
    if field.is_relation:
        return labels.get((field.name, value), f"#{value}")
    return as_read(field, value)


def _joined(model: type[models.Model], depth: int = 2) -> list[str]:
    """The required relations a model's name may be made from, two steps deep (a payment is named
    by its investment, named by its application), to read with it."""
    paths = []
    for relation in model._meta.concrete_fields:
        if relation.is_relation and not relation.null and relation.related_model is not None:
            paths.append(relation.name)
            if depth > 1:
                deeper = _joined(relation.related_model, depth - 1)
                paths += [f"{relation.name}__{path}" for path in deeper]
    return paths


def _named_with(model: type[models.Model], joined: list[str]) -> list[str]:
    """The collections the names of ``model`` and of the relations it is named with are read from
    (a model's ``NAMED_WITH``), to prefetch."""
    paths = list(getattr(model, "NAMED_WITH", ()))
    for path in joined:
        related: Any = model
        for part in path.split("__"):
            related = related._meta.get_field(part).related_model
        paths += [f"{path}__{each}" for each in getattr(related, "NAMED_WITH", ())]
    return paths


def names_of(model: type[models.Model], ids: set[Any]) -> dict[Any, str]:
    """How people name each of ``model``'s objects ``ids``, read in a query or two whatever their
    number (with the rows each name is made from); an object since deleted is left out."""
    if not ids:
        return {}
    objects = model._default_manager.all()
    joined = list(NAMED_FROM[model]) if model in NAMED_FROM else _joined(model)
    if joined:
        objects = objects.select_related(*joined)
    if prefetched := PREFETCHED.get(model) or _named_with(model, joined):
        objects = objects.prefetch_related(*prefetched)
    if columns := NAME_COLUMNS.get(model):
        objects = objects.only(*columns)
    found = objects.in_bulk(list(ids))
    return {pk: str(obj) for pk, obj in found.items()}


class Names:
    """The names read so far, so that each object is read once however many chunks name it."""

    def __init__(self) -> None:
        self.known: dict[type[models.Model], dict[Any, str]] = defaultdict(dict)
        self.gone: dict[type[models.Model], set[Any]] = defaultdict(set)

    def of(self, model: type[models.Model], ids: set[Any]) -> dict[Any, str]:
        known, gone = self.known[model], self.gone[model]
        if missing := ids - known.keys() - gone:
            found = names_of(model, missing)
            known.update(found)
            gone |= missing - found.keys()
        return {pk: known[pk] for pk in ids if pk in known}


def _labels(rows: list[Copy], fields: list[models.Field], names: Names) -> dict[tuple[str, Any], str]:
    """The names of every object the rows' relations point to: one query per relation, however
    many rows there are."""
    labels: dict[tuple[str, Any], str] = {}
    for relation in fields:
        if not relation.is_relation or relation.related_model is None:
            continue
        ids = {row[relation.attname] for row in rows} - {None, ""}
        for pk, name in names.of(relation.related_model, ids).items():
            labels[relation.name, pk] = name
    return labels


def as_read(field: models.Field, value) -> str:
    """A stored value as people read it: money in pounds, numbers with separators, UK times."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%-d %b %Y, %H:%M}"
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    if isinstance(value, Decimal):
        if "(£)" in _label(field):
            return pounds(value)
        return f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value:,f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "–"
    return str(value)


def _entry(
    record: Copy, before: Copy | None, fields: list[models.Field], labels, names, what: str
) -> Entry | None:
    """One copy of an object as an entry: what changed since ``before``, the copy before it (None
    when there is none to compare with). None for a save that changed nothing."""
    kind = record["history_type"]
    if kind == "~" and before is not None:
        changes = [
            Change(_label(f), _shown(before, f, labels), _shown(record, f, labels))
            for f in fields
            if f.name != "id" and before[f.attname] != record[f.attname]
        ]
        if not changes:
            return None  # saved with nothing different
    elif kind == "+" or before is None:
        changes = [
            Change(_label(f), "" if kind == "+" else "?", _shown(record, f, labels))
            for f in fields
            if f.name != "id" and record[f.attname] not in (None, "", [], {})
        ]
    else:
        changes = []
    return Entry(
        when=record["history_date"],
        who=record["history_user__full_name"] or record["history_user__email"] or SYSTEM,
        what=what,
        subject=names.get(record["id"], f"{what} {record['id']}"),
        action=ACTIONS[kind],
        changes=changes,
    )


def _copies(historical: QuerySet, *also: str) -> QuerySet:
    """The copies as plain values (no model made for each): every field, and who made the copy."""
    attnames = [f.attname for f in historical.model._meta.concrete_fields]
    return historical.values(*attnames, "history_user__full_name", "history_user__email", *also)


def _named(
    model: type[models.Model], rows: list[Copy], befores: Iterable[Copy], names: Names
) -> tuple[list[models.Field], dict, dict[Any, str]]:
    """The fields of the copies of ``model``, the names of what their relations point to (in the
    rows and the copies they are compared with), and each object's own name: a query per relation
    and one for the objects, however many rows there are."""
    fields = _fields(model.history.model)  # type: ignore[attr-defined]
    labels = _labels([*rows, *befores], fields, names)
    # Each object by the name it has now; one since deleted by its kind and number.
    return fields, labels, names.of(model, {row["id"] for row in rows})


def entries(model: type[models.Model], historical: QuerySet, what: str) -> list[Entry]:
    """Entries for the copies (all the history of some objects, ordered by object then time), each
    compared with the copy before it of the same object."""
    rows = list(_copies(historical))
    if not rows:
        return []
    fields, labels, names = _named(model, rows, (), Names())
    previous: dict[object, Copy] = {}
    result = []
    for record in rows:
        entry = _entry(record, previous.get(record["id"]), fields, labels, names, what)
        previous[record["id"]] = record
        if entry:
            result.append(entry)
    return result


def _history(model, **filters) -> QuerySet:
    return model.history.filter(**filters).order_by("id", "history_date", "history_id")


def for_objects(parts: list[tuple[type[models.Model], str, dict]]) -> list[Entry]:
    """The entries of several models' objects together, newest first: (model, label, filters)."""
    found = []
    for model, label, filters in parts:
        found.extend(entries(model, _history(model, **filters), label))
    return sorted(found, key=lambda entry: entry.when, reverse=True)


# How many copies are read at a time for a period's log: memory and queries grow by the chunk.
CHUNK = 2_000


def _in_period(
    model: type[models.Model], path: str, funds, start: datetime, end: datetime
) -> Iterator[Entry]:
    """One model's entries for the period, oldest first, read a chunk at a time. Each copy is
    compared with the copy of the same object just before it, found in the same query."""
    copies = model.history.filter(**{f"{path}__in": funds})  # type: ignore[attr-defined]
    if model is Application:
        # As on every staff page, an application the group never sent is not the fund's to see.
        copies = copies.filter(id__in=Application.objects.sent().values("pk"))
    earlier = (
        model.history.filter(id=OuterRef("id"))  # type: ignore[attr-defined]
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    rows = _copies(
        copies.filter(history_date__gte=start, history_date__lt=end)
        .annotate(before_id=Subquery(earlier))
        .order_by("history_date", "history_id"),
        "before_id",
    )
    label = dict((tracked, what) for tracked, what, _ in TRACKED)[model]
    known = Names()
    after = Q()
    while chunk := list(rows.filter(after)[:CHUNK]):
        wanted = [row["before_id"] for row in chunk if row["before_id"]]
        befores = {
            copy["history_id"]: copy
            for copy in _copies(model.history.filter(history_id__in=wanted))  # type: ignore[attr-defined]
        }
        fields, labels, names = _named(model, chunk, befores.values(), known)
        for record in chunk:
            if entry := _entry(record, befores.get(record["before_id"]), fields, labels, names, label):
                yield entry
        last = chunk[-1]
        after = Q(history_date__gt=last["history_date"]) | Q(
            history_date=last["history_date"], history_id__gt=last["history_id"]
        )


def for_funds(funds, start: datetime, end: datetime) -> Iterator[Entry]:
    """Everything changed in ``funds`` from ``start`` up to ``end``, oldest first, as it is read:
    each model's entries a chunk at a time, merged by time, so a long period neither fills memory
    nor makes a query per row."""
    return heapq.merge(
        *(_in_period(model, path, funds, start, end) for model, _, path in TRACKED),
        key=lambda entry: entry.when,
    )
