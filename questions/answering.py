"""A question of a round's own as a form field, the answer as it is kept, and as people read it.

One place says, for each kind of question, what a group may type, what it is told when the answer
will not do, how the answer is stored (plain JSON: text, a whole number, pounds and pence as text,
an ISO date, a list of options) and how it reads on check your answers, to the panel and in a CSV.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError

from fund.money import pounds
from kit.fields import (
    BoundedText,
    DayMonthYearField,
    MoneyField,
    UploadField,
    WholeNumberField,
    number_input,
    upload_hint,
)
from questions.models import Kind, QuestionWording

SHORT_TEXT_LIMIT = 300
LONG_TEXT_LIMIT = 20_000
LARGEST_NUMBER = 1_000_000_000


def words_in(text: str) -> int:
    return len(text.split())


class WordLimit:
    def __init__(self, limit: int, question: str) -> None:
        self.limit = limit
        self.question = question

    def __call__(self, value: str) -> None:
        count = words_in(value or "")
        if count > self.limit:
            raise ValidationError(
                f"Your answer to {self.question} must be {self.limit:,} words or fewer: it has {count:,}",
                code="too_many_words",
            )


def _quoted(question: QuestionWording) -> str:
    return f"‘{question.label}’"


def answer_field(question: QuestionWording, *, required: bool) -> forms.Field:
    """The form field a group answers ``question`` in; ``required`` false while drafting."""
    quoted = _quoted(question)
    label = question.label if question.required else f"{question.label} (optional)"
    common: dict[str, Any] = {"label": label, "required": required, "help_text": question.hint}
    match question.kind:
        case Kind.SHORT_TEXT:
            return BoundedText(subject=f"your answer to {quoted}", max_length=SHORT_TEXT_LIMIT, **common)
        case Kind.LONG_TEXT:
            if question.word_limit and not question.hint:
                # GOV.UK's word count reads the hint's id: a question without a hint says the limit.
                common["help_text"] = f"Up to {question.word_limit:,} words"
            long = BoundedText(
                subject=f"your answer to {quoted}",
                max_length=LONG_TEXT_LIMIT,
                widget=forms.Textarea,
                **common,
            )
            if question.word_limit:
                long.validators.append(WordLimit(question.word_limit, quoted))
            return long
        case Kind.WHOLE_NUMBER:
            return WholeNumberField(
                widget=number_input("numeric"),
                min_value=0,
                max_value=LARGEST_NUMBER,
                error_messages={
                    "required": f"Enter a number for {quoted}",
                    "invalid": f"Enter the answer to {quoted} as a whole number, like 12 or 1,000",
                    "min_value": f"The answer to {quoted} cannot be less than 0",
                    "max_value": f"The answer to {quoted} must be {LARGEST_NUMBER:,} or less",
                },
                **common,
            )
        case Kind.MONEY:
            money = MoneyField(subject=f"amount for {quoted}", min_value=Decimal("0"), **common)
            money.error_messages["min_value"] = f"The amount for {quoted} cannot be less than £0"
            return money
        case Kind.YES_NO | Kind.ONE_OF:
            return forms.ChoiceField(
                choices=[(choice, choice) for choice in question.choices],
                widget=forms.RadioSelect,
                error_messages={
                    "required": (
                        f"Select yes or no for {quoted}"
                        if question.kind == Kind.YES_NO
                        else f"Select an answer to {quoted}"
                    ),
                    "invalid_choice": f"Select one of the answers given for {quoted}",
                },
                **common,
            )
        case Kind.SEVERAL_OF:
            return forms.MultipleChoiceField(
                choices=[(choice, choice) for choice in question.choices],
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": f"Select at least one answer to {quoted}",
                    "invalid_choice": f"Select only answers given for {quoted}",
                    "invalid_list": f"Select only answers given for {quoted}",
                },
                **common,
            )
        case Kind.DATE:
            return DayMonthYearField(subject=f"date for {quoted}", **common)
        case Kind.FILE:
            common["help_text"] = " ".join(part for part in (question.hint, upload_hint()) if part)
            upload = UploadField(**common)
            upload.error_messages["required"] = f"Select a file for {quoted}"
            return upload
    raise ValueError(f"No field for a question of kind {question.kind!r}")


def layout_field(question: QuestionWording, name: str) -> Field:
    """How crispy-forms-gds lays out the field: GOV.UK's component for the kind."""
    match question.kind:
        case Kind.SHORT_TEXT:
            return Field.text(name)
        case Kind.LONG_TEXT:
            if question.word_limit:
                return Field.textarea(name, rows=6, max_words=question.word_limit)
            return Field.textarea(name, rows=6)
        case Kind.WHOLE_NUMBER | Kind.MONEY:
            return Field.text(name, field_width=10)
        case Kind.YES_NO:
            return Field.radios(name, legend_size=Size.SMALL, inline=True)
        case Kind.ONE_OF:
            return Field.radios(name, legend_size=Size.SMALL)
        case Kind.SEVERAL_OF:
            return Field.checkboxes(name, legend_size=Size.SMALL)
        case Kind.DATE:
            return Field(name, legend_size=Size.SMALL)
    return Field(name)


def stored(question: QuestionWording, value: Any) -> Any:
    """The cleaned answer as it is kept (None when nothing was given)."""
    if value in (None, "", []):
        return None
    match question.kind:
        case Kind.MONEY:
            return f"{value:.2f}"
        case Kind.DATE:
            return value.isoformat()
        case Kind.SEVERAL_OF:
            return list(value)
        case Kind.FILE:
            return None  # the file is kept as a document; the answer row points at it
    return value


def initial(question: QuestionWording, value: Any) -> Any:
    """A kept answer put back in its form field."""
    if value is None:
        return None
    match question.kind:
        case Kind.MONEY:
            return Decimal(value)
        case Kind.DATE:
            return date.fromisoformat(value)
    return value


def readable(kind: str, value: Any, file_name: str = "") -> str:
    """The answer as people read it."""
    if kind == Kind.FILE:
        return file_name or "Not answered"
    if value is None or value == "" or value == []:
        return "Not answered"
    try:
        match kind:
            case Kind.MONEY:
                return pounds(Decimal(value))
            case Kind.WHOLE_NUMBER:
                return f"{value:,}"
            case Kind.DATE:
                return f"{date.fromisoformat(value):%-d %B %Y}"
            case Kind.SEVERAL_OF if isinstance(value, list):
                return "\n".join(value)
    except (ValueError, TypeError, ArithmeticError):
        pass  # an answer the retention policy replaced with words saying so
    return str(value)


def stopping(question: QuestionWording, value: Any) -> bool:
    """Whether this answer stops an application."""
    return value is not None and value in question.stopping_answers


def answer_problems(question: QuestionWording, value: Any) -> list[str]:
    """What no longer holds of an answer kept from before the question changed (its list of
    answers, its word limit), worded for the group to put right."""
    quoted = _quoted(question)
    match question.kind:
        case Kind.YES_NO | Kind.ONE_OF if value not in question.choices:
            return [f"Answer {quoted} again: ‘{value}’ is no longer one of the answers"]
        case Kind.SEVERAL_OF if isinstance(value, list):
            gone = [choice for choice in value if choice not in question.choices]
            if gone:
                return [f"Answer {quoted} again: ‘{gone[0]}’ is no longer one of the answers"]
        case Kind.LONG_TEXT if question.word_limit and isinstance(value, str):
            count = words_in(value)
            if count > question.word_limit:
                return [
                    f"Shorten your answer to {quoted} to {question.word_limit:,} words or fewer: "
                    f"it has {count:,}"
                ]
    return []
