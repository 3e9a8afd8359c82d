"""Form fields shared by every app, with messages that say what to type."""

import unicodedata
from datetime import date
from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core import validators
from django.core.exceptions import ValidationError

# Characters nobody means to type, refused in every text box: control characters (NUL, escape,
# and the rest), lone surrogates, and the invisible marks that reverse or reorder text so it
# reads differently on screen from what is stored. Zero-width joiners and the left-to-right and
# right-to-left marks stay: emoji and some scripts need them.
HIDDEN_FORMATTING = {chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x2070), 0xFEFF)}
LINE_BREAKS = {"\n", "\r", "\t", "\u2028", "\u2029"}


def _hidden(character: str) -> bool:
    return unicodedata.category(character) in {"Cc", "Cs"} or character in HIDDEN_FORMATTING


class PlainTextValidator:
    """Refuses characters that cannot be seen. On one line: line breaks and tabs too.

    A line break in a group's name once went into every invitation e-mail's subject, where e-mail
    cannot carry one, and every invitation failed in the worker.
    """

    def __init__(self, subject: str, *, multiline: bool):
        self.subject = subject[0].upper() + subject[1:]
        self.multiline = multiline

    def __call__(self, value: str) -> None:
        if not isinstance(value, str):
            return
        if not self.multiline and any(character in LINE_BREAKS for character in value):
            raise ValidationError(
                f"{self.subject} must be on one line, with no line breaks or tabs", code="multiple_lines"
            )
        allowed = LINE_BREAKS if self.multiline else set()
        if any(_hidden(character) and character not in allowed for character in value):
            raise ValidationError(
                f"{self.subject} contains a hidden character that cannot be used, perhaps copied from "
                "another program. Type it again",
                code="hidden_character",
            )


class DayMonthYearField(DateInputField):
    """GOV.UK's date input (day, month, year boxes) with messages naming the date asked for."""

    def __init__(self, *, label: str, example: str = "27 3 2027", **kwargs):
        kwargs.setdefault("help_text", f"For example, {example}")
        # Each missing box gets its own message, as the Design System asks.
        kwargs.setdefault("require_all_fields", False)
        super().__init__(label=label, **kwargs)
        name = label.lower()
        self.example = example
        self.error_messages.update(
            required=f"Enter the {name}",
            incomplete=f"Enter the {name} as a day, month and year",
        )
        day, month, year = self.fields
        day.error_messages["incomplete"] = f"The {name} must include a day"
        month.error_messages["incomplete"] = f"The {name} must include a month"
        year.error_messages["incomplete"] = f"The {name} must include a year"
        self.real_date_message = f"The {name} must be a real date, for example {example}"
        for field in self.fields:
            for validator in field.validators:
                validator.message = self.real_date_message

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = date(day=int(day), month=int(month), year=int(year))
        except ValueError as error:
            raise ValidationError(self.real_date_message, code="invalid") from error
        if value.year < 1900:
            raise ValidationError(f"Enter the year in full, for example {self.example[-4:]}", code="invalid")
        return value


def number_input(inputmode: str = "decimal") -> forms.TextInput:
    """A text box for a number, as GOV.UK asks (never type=number): the right phone keyboard,
    no spinners, and the govuk-input style crispy-forms-gds gives text boxes."""
    return forms.TextInput(attrs={"inputmode": inputmode, "spellcheck": "false"})


class MoneyField(forms.DecimalField):
    """Pounds and pence, with messages that say what to type."""

    def __init__(self, *, label: str, required: bool = True, subject: str | None = None, **kwargs):
        subject = subject or label.lower()
        kwargs.setdefault("widget", number_input())
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.01"))
        super().__init__(
            label=label,
            required=required,
            error_messages={
                "required": f"Enter the {subject}",
                "invalid": f"Enter the {subject} as a number of pounds, like 1500 or 1500.50",
                "max_decimal_places": (
                    f"Enter the {subject} in pounds and pence, with no more than 2 decimal places"
                ),
                "max_digits": f"The {subject} is too large: enter an amount under £10,000,000,000",
                "max_whole_digits": f"The {subject} is too large: enter an amount under £10,000,000,000",
                "min_value": f"The {subject} must be at least £0.01",
            },
            **kwargs,
        )

    def to_python(self, value):
        # People write money as they see it: "£1,500.50" means 1500.50.
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").strip()
        return super().to_python(value)


class BoundedText(forms.CharField):
    """Text with a limit, and messages naming the question.

    A text box (the default) takes one line; a ``forms.Textarea`` keeps the lines people type.
    Neither takes characters that cannot be seen.
    """

    def __init__(
        self,
        *,
        label: str,
        subject: str,
        max_length: int,
        required: bool = True,
        required_message: str | None = None,
        **kwargs,
    ):
        super().__init__(
            label=label,
            max_length=max_length,
            required=required,
            error_messages={
                "required": required_message or f"Enter {subject}",
                "max_length": f"{subject[0].upper()}{subject[1:]} must be {max_length:,} characters or fewer",
            },
            **kwargs,
        )
        multiline = isinstance(self.widget, forms.Textarea)
        # Django's own NUL check says "Null characters are not allowed."; this one names the question.
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, validators.ProhibitNullCharactersValidator)
        ]
        self.validators.append(PlainTextValidator(subject, multiline=multiline))
