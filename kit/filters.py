"""What the staff lists' filters share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_filters
from django_filters.fields import ModelChoiceField, ModelChoiceIterator


class ChoicesReadOnce(ModelChoiceIterator):
    """A select's rows read in one query and kept for the form.

    Django's iterator counts the rows in one query and reads them through a server-side cursor in
    another (four round trips on PostgreSQL) each time the select is drawn: made for selects of
    thousands. A filter's rounds, tiers, places, themes and mentors are a few dozen.
    """

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:  # the queryset keeps its rows once read
            yield self.choice(obj)

    def __len__(self) -> int:
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(self.queryset) + extra


class ShortModelChoiceField(ModelChoiceField):
    iterator = ChoicesReadOnce


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's, for a short list of choices (see ``ChoicesReadOnce``)."""

    field_class = ShortModelChoiceField
