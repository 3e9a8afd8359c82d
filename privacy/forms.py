from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from kit.fields import BoundedText
from kit.forms import PlainForm


class FindPersonForm(PlainForm):
    email = forms.EmailField(
        label="Their email address",
        help_text="The address they sign in with or gave as their group's contact.",
        error_messages={
            "required": "Enter the email address of the person who asked",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field.text("email", field_width=20), Button("find", "Find the person"))


class ErasureForm(PlainForm):
    reference = BoundedText(
        label="Request reference",
        subject="the request reference",
        max_length=50,
        help_text="The council's case reference, for example DP-2026-0042. Not the person's name.",
    )
    confirm = forms.BooleanField(
        label="I have checked who asked, and this person's data should be erased. This cannot be undone.",
        error_messages={"required": "Confirm that this person's data should be erased"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("reference", field_width=20),
            Field("confirm"),
            Button("erase", "Erase their personal data"),
        )


class CloseAccountForm(PlainForm):
    confirm = forms.BooleanField(
        label="I understand that closing my account erases my personal data and cannot be undone.",
        error_messages={"required": "Confirm that you want to close your account"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field("confirm"), Button.warning("close", "Close my account"))
