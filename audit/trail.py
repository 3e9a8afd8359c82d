"""The audit trail, read back: who changed what, when, from what to what.

django-simple-history keeps a copy of each tracked row on every change, written in the same
transaction as the change. This module turns those copies into entries people can read, for one
object (with the objects that belong to it) or for everything in some funds over a period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from applications.models import Application
from assessment.models import Decision, Score
from fund.money import pounds
from investments.models import Investment, Payment, PaymentEntry
from mentoring.models import Assignment
from reporting.models import OutcomeRecord, ProxyVersion

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
]
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
SYSTEM = "The portal"


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    when: datetime
    who: str
    what: str
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)


def _fields(historical: type[models.Model]) -> list[models.Field]:
    return [f for f in historical._meta.concrete_fields if not f.name.startswith("history_")]


def _shown(record: Any, field: models.Field, labels: dict[tuple[str, Any], str]) -> str:
    """A field's value as people read it; a related object by the name ``labels`` gives it."""
    value = getattr(record, field.attname)
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
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


def names_of(model: type[models.Model], ids: set[Any]) -> dict[Any, str]:
    """How people name each of ``model``'s objects ``ids``, read in one query (with the rows each
    name is made from); an object since deleted is left out."""
    if not ids:
        return {}
    objects = model._default_manager.all()
    if joined := _joined(model):
        objects = objects.select_related(*joined)
    found = objects.in_bulk(list(ids))
    return {pk: str(obj) for pk, obj in found.items()}


def _labels(rows: list[Any], fields: list[models.Field]) -> dict[tuple[str, Any], str]:
    """The names of every object the rows' relations point to: one query per relation, however
    many rows there are."""
    labels: dict[tuple[str, Any], str] = {}
    for relation in fields:
        if not relation.is_relation or relation.related_model is None:
            continue
        ids = {getattr(row, relation.attname) for row in rows} - {None, ""}
        for pk, name in names_of(relation.related_model, ids).items():
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
        if "(£)" in str(field.verbose_name):
            return pounds(value)
        return f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value:,f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "–"
    return str(value)


def entries(historical_rows: Iterable[Any], what: str, since: datetime | None = None) -> list[Entry]:
    """Entries for the rows (all the history of some objects, oldest first), each compared with
    the row before it for the same object. Rows before ``since`` only serve as the 'before'.

    Names are read in bulk: the objects themselves once, and each relation's targets once, so
    the queries do not grow with the rows."""
    rows = list(historical_rows)
    if not rows:
        return []
    fields = _fields(type(rows[0]))
    labels = _labels(rows, fields)
    model = type(rows[0]).instance_type  # the tracked model behind simple_history's copies
    # Each object by the name it has now; one since deleted by its kind and number.
    names = names_of(model, {row.id for row in rows})
    previous: dict[object, object] = {}
    result = []
    for record in rows:
        before = previous.get(record.id)
        previous[record.id] = record
        if since and record.history_date < since:
            continue
        if record.history_type == "~" and before is not None:
            changes = [
                Change(str(f.verbose_name), _shown(before, f, labels), _shown(record, f, labels))
                for f in fields
                if f.name != "id" and getattr(before, f.attname) != getattr(record, f.attname)
            ]
            if not changes:
                continue  # saved with nothing different
        elif record.history_type == "+" or before is None:
            changes = [
                Change(
                    str(f.verbose_name), "" if record.history_type == "+" else "?", _shown(record, f, labels)
                )
                for f in fields
                if f.name != "id" and getattr(record, f.attname) not in (None, "", [], {})
            ]
        else:
            changes = []
        user = record.history_user
        result.append(
            Entry(
                when=record.history_date,
                who=(user.get_full_name() or user.email) if user else SYSTEM,
                what=what,
                subject=names.get(record.id, f"{what} {record.id}"),
                action=ACTIONS[record.history_type],
                changes=changes,
            )
        )
    return result


def _history(model, **filters):
    return (
        model.history.filter(**filters)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )


def for_objects(parts: list[tuple[type[models.Model], str, dict]]) -> list[Entry]:
    """The entries of several models' objects together, newest first: (model, label, filters)."""
    found = []
    for model, label, filters in parts:
        found.extend(entries(_history(model, **filters), label))
    return sorted(found, key=lambda entry: entry.when, reverse=True)


def for_funds(funds, start: datetime, end: datetime) -> list[Entry]:
    """Everything changed in ``funds`` from ``start`` up to ``end``, oldest first."""
    found = []
    for model, label, path in TRACKED:
        rows = _history(model, **{f"{path}__in": funds, "history_date__lt": end})
        if model is Application:
            # As on every staff page, an application the group never sent is not the fund's to see.
            rows = rows.filter(id__in=Application.objects.sent().values("pk"))
        touched = rows.filter(history_date__gte=start).values("id")
        found.extend(entries(rows.filter(id__in=touched), label, since=start))
    return sorted(found, key=lambda entry: entry.when)
