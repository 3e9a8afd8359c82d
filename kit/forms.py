from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.core.exceptions import ValidationError

from kit.fields import BoundedText, plain_messages


class PlainEnglish(forms.BaseForm):
    """For a form: every message in the portal's words (``kit.fields.plain_messages``), made
    just before the answers are checked so fields added in ``__init__`` are covered too."""

    def full_clean(self) -> None:
        for field in self.fields.values():
            plain_messages(field)
        super().full_clean()


class PlainForm(PlainEnglish, forms.Form):
    pass


class PlainModelForm(PlainEnglish, forms.ModelForm):
    pass


def form_field[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """``form``'s own copy of the field ``name``, as the kind of field it was declared as, to set
    what is known only when the form is made (choices, a queryset)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"The field {name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def label_choices(field: forms.ModelChoiceField, label: Callable[[Any], str]) -> None:
    """Name each of ``field``'s choices with ``label``, in place of the object's ``str()``."""
    # Django's documented way is a subclass; one field's own function serves as well.
    field.label_from_instance = label  # type: ignore[method-assign,assignment]


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: beside the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for message in ValidationError(errors).messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class OneAnswerForm(PlainForm):
    """A form of one written answer and its button; subclasses say the words.

    ``rows`` of 0 asks on one line; otherwise in a text area that many rows high.
    """

    answer_name = "text"
    label = ""
    subject = ""
    hint = ""
    button = "Continue"
    max_length = 1000
    required = True
    rows = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.answer_name] = BoundedText(
            label=self.label,
            subject=self.subject,
            max_length=self.max_length,
            required=self.required,
            widget=forms.Textarea if self.rows else forms.TextInput,
            help_text=self.hint,
        )
        field = (
            Field.textarea(self.answer_name, rows=self.rows, max_characters=self.max_length)
            if self.rows
            else Field.text(self.answer_name)
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(field, Button("submit", self.button))


def form_helper(*fields: Any, button: str = "Save and continue", secondary: str | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    buttons = [Button("submit", button)]
    if secondary:
        buttons.append(Button.secondary("later", secondary))
    helper.layout = Layout(*fields, *buttons)
    return helper
