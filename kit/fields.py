"""Form fields shared by every app, with messages that say what to type."""

import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import ValidationError

from kit.uploads import ACCEPTED_NAMES, megabytes, upload_problems

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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

    def __init__(self, subject: str, *, multiline: bool) -> None:
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


# Each month by its name and its first three letters ("sept" too), in lower case.
MONTHS = {
    name: str(number)
    for number, month in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
    for name in (month, month[:3], *(["sept"] if month == "september" else []))
}


class DayMonthYearField(DateInputField):
    """GOV.UK's date input (day, month, year boxes) with messages naming the date asked for."""

    def __init__(
        self, *, label: str, example: str = "27 3 2027", subject: str | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("help_text", f"For example, {example}")
        # Each missing box gets its own message, as the Design System asks.
        kwargs.setdefault("require_all_fields", False)
        super().__init__(label=label, **kwargs)
        # What the messages call it: "the {subject}" (the label in lower case unless given).
        name = subject or label.lower()
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

    def clean(self, value: Any) -> date | None:
        # People write a month as a word as often as a number: "3 April 2027", "3 apr 2027".
        if isinstance(value, list | tuple) and len(value) == 3:
            day, month, year = (str(part or "").strip() for part in value)
            value = [day, MONTHS.get(month.casefold(), month), year]
        try:
            return super().clean(value)
        except ValidationError as error:
            # Three boxes of letters give one message, not the same one three times.
            unique = list(dict.fromkeys(error.messages))
            raise ValidationError(unique, code="invalid") from error

    def compress(self, data_list: list[str]) -> date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as error:  # 31 2 2027, or a year of 30 digits
            raise ValidationError(self.real_date_message, code="invalid") from error
        if value.year < 1900:
            raise ValidationError(f"Enter the year in full, for example {self.example[-4:]}", code="invalid")
        return value


NOT_HOW_PEOPLE_WRITE_NUMBERS = re.compile(r"[eE_+]")


class WholeNumberField(forms.IntegerField):
    """A count, written as people write it: "1,000" is a thousand; "1e3" and "1_000" are not."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.strip().replace(",", "")
            if NOT_HOW_PEOPLE_WRITE_NUMBERS.search(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def number_input(inputmode: str = "decimal") -> forms.TextInput:
    """A text box for a number, as GOV.UK asks (never type=number): the right phone keyboard,
    no spinners, and the govuk-input style crispy-forms-gds gives text boxes."""
    return forms.TextInput(attrs={"inputmode": inputmode, "spellcheck": "false"})


class MoneyField(forms.DecimalField):
    """Pounds and pence, with messages that say what to type."""

    def __init__(
        self, *, label: str, required: bool = True, subject: str | None = None, **kwargs: Any
    ) -> None:
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

    # The stubs, like Django, make DecimalField an IntegerField, whose to_python gives an int.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        # People write money as they see it: "£1,500.50" means 1500.50. Python's other ways of
        # writing a number ("1e5", "1_000", "+120") are not how anyone writes money.
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").strip()
            if NOT_HOW_PEOPLE_WRITE_NUMBERS.search(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        amount = super().to_python(value)
        return amount + 0 if amount is not None else None  # -0 is 0


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
        **kwargs: Any,
    ) -> None:
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

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # A browser stops a box at ``maxlength`` without a word, and what is pasted past it is lost:
        # the form says instead how long it may be, and keeps every word.
        attrs.pop("maxlength", None)
        return attrs

    def bound_data(self, data: Any, initial: Any) -> Any:
        """What was typed, shown back after a mistake without the characters nobody can see: a
        browser shows a NUL as a replacement character, which would then be sent as if typed."""
        data = super().bound_data(data, initial)
        if isinstance(data, str):
            allowed = LINE_BREAKS if isinstance(self.widget, forms.Textarea) else set()
            return "".join(character for character in data if not _hidden(character) or character in allowed)
        return data


# --- Django's stock messages, replaced by ones made from the question ---------------------------

CHOICE_FIELDS = (forms.ChoiceField, forms.ModelChoiceField, forms.ModelMultipleChoiceField)


def _question(field: forms.Field) -> str:
    label = str(field.label or "this question").removesuffix(" (optional)").strip()
    return f"‘{label}’"


def _django_default(field: forms.Field, key: str) -> str | None:
    for klass in type(field).__mro__:
        defaults = getattr(klass, "default_error_messages", {})
        if key in defaults:
            return defaults[key]
    return None


def _is_stock(field: forms.Field, key: str) -> bool:
    message = field.error_messages.get(key)
    return message is None or message == _django_default(field, key)


def plain_messages(field: forms.Field) -> None:
    """Give ``field`` a message of the portal's own wherever it still has one of Django's.

    Messages written for a field stay as they are; this fills the gaps ("This field is required.",
    "Select a valid choice.", "Ensure this value has at most 320 characters (it has 400).") with
    sentences that name the question. Forms built on ``kit.forms.PlainForm`` do this for every
    field just before they check an answer.
    """
    question = _question(field)
    messages = field.error_messages
    if isinstance(field, CHOICE_FIELDS):
        if _is_stock(field, "required"):
            messages["required"] = f"Choose an answer to {question}"
        for key in ("invalid_choice", "invalid_pk_value", "invalid_list", "list"):
            if _is_stock(field, key):
                messages[key] = messages["required"]  # an answer not offered: say what to choose
        chosen = messages["invalid_choice"]
        if isinstance(field, forms.ModelChoiceField):

            def refuse_null_characters(value: object, message: "StrOrPromise" = chosen) -> None:
                if "\x00" in str(value):
                    raise ValidationError(message, code="invalid_choice")

            # This field's own check, naming the question, in place of Django's method.
            field.validate_no_null_characters = refuse_null_characters  # type: ignore[method-assign]
        messages["null_characters_not_allowed"] = chosen
        return
    if _is_stock(field, "required"):
        messages["required"] = (
            "Select a file to upload"
            if isinstance(field, forms.FileField)
            else f"Enter an answer to {question}"
        )
    if isinstance(field, forms.EmailField) and _is_stock(field, "invalid"):
        messages["invalid"] = "Enter an email address in the correct format, like name@example.com"
    elif isinstance(field, forms.URLField) and _is_stock(field, "invalid"):
        messages["invalid"] = f"Enter {question} as a web address, like https://www.example.org"
    elif _is_stock(field, "invalid") and "invalid" in messages:
        messages["invalid"] = f"Check your answer to {question}: it is not in a form we can read"
    if isinstance(field, forms.FileField):
        for key in ("invalid", "missing", "contradiction"):
            if _is_stock(field, key):
                messages[key] = "The selected file could not be read. Choose it again"
    for key, limit, words in (
        ("min_value", getattr(field, "min_value", None), "{} or more"),
        ("max_value", getattr(field, "max_value", None), "{} or less"),
    ):
        if limit is not None and key not in messages:
            messages[key] = f"The answer to {question} must be {words.format(limit)}"
    if isinstance(field, forms.DecimalField):
        for key in ("max_digits", "max_whole_digits"):
            messages.setdefault(key, f"The answer to {question} is too large")
        messages.setdefault(
            "max_decimal_places",
            f"Give the answer to {question} with no more than {field.decimal_places} decimal places",
        )
    max_length = getattr(field, "max_length", None)
    if max_length and "max_length" not in messages:
        messages["max_length"] = f"The answer to {question} must be {max_length:,} characters or fewer"
    if "null_characters_not_allowed" not in messages:
        messages["null_characters_not_allowed"] = messages.get("invalid") or (
            f"The answer to {question} contains a hidden character that cannot be used. Type it again"
        )


def invited_email(help_text: str) -> forms.EmailField:
    """The address an invitation is sent to, with the messages every invitation form gives."""
    return forms.EmailField(
        label="Email address",
        help_text=help_text,
        error_messages={
            "required": "Enter the email address of the person to invite",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


class UploadField(forms.FileField):
    """A file checked against the portal's upload rules (``kit.uploads``)."""

    def __init__(self, *, label: str, required: bool = True, **kwargs: Any) -> None:
        super().__init__(
            label=label,
            required=required,
            error_messages={
                "required": "Select a file to upload",
                "empty": "The selected file is empty. Choose a file with something in it",
                "invalid": "The selected file could not be read. Choose it again",
                "max_length": (
                    "The file name must be 200 characters or fewer. Rename the file and choose it again"
                ),
            },
            max_length=200,
            **kwargs,
        )

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            _, problems = upload_problems(value)
            if problems:
                raise forms.ValidationError(problems)


def upload_hint() -> str:
    return f"{ACCEPTED_NAMES}, smaller than {megabytes(settings.UPLOAD_MAX_BYTES)}"
