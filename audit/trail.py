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


def _shown(record, field: models.Field, labels: dict) -> str:
    """A field's value as people read it; ``labels`` remembers related objects already named."""
    value = getattr(record, field.attname)
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        if (field.name, value) not in labels:
            related = getattr(record, field.name, None)
            labels[field.name, value] = str(related) if related is not None else f"#{value}"
        return labels[field.name, value]
    return as_read(field, value)


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


def subject(record, what: str) -> str:
    """What a historical row is about, as people name it; a deleted object by its kind and number."""
    return str(record.instance) if record.history_type != "-" else f"{what} {record.id}"


def entries(historical_rows: Iterable, what: str, since: datetime | None = None) -> list[Entry]:
    """Entries for the rows (all the history of some objects, oldest first), each compared with
    the row before it for the same object. Rows before ``since`` only serve as the 'before'."""
    previous: dict[object, object] = {}
    subjects: dict[object, str] = {}  # each object named once, however many entries it has
    labels: dict = {}
    result = []
    for record in historical_rows:
        fields = _fields(type(record))
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
        if record.id not in subjects:
            subjects[record.id] = subject(record, what)
        user = record.history_user
        result.append(
            Entry(
                when=record.history_date,
                who=(user.get_full_name() or user.email) if user else SYSTEM,
                what=what,
                subject=subjects[record.id],
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
