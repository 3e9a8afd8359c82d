"""The team pages' forms: inviting someone, and the roles a person holds."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from fund.models import Fund, FundRole, Place, Theme
from kit.fields import invited_email
from kit.forms import PlainForm, form_field, form_helper

ROLE_HINTS = {
    FundRole.Role.OFFICER: "Runs rounds, checks and decides applications, manages the team",
    FundRole.Role.FINANCE: "Records payments, values outcomes, makes board packs",
    FundRole.Role.PANEL: "Scores the applications they are given",
    FundRole.Role.MENTOR: "Supports the groups they are named for, and keeps a light record",
}


class InviteForm(PlainForm):
    email = invited_email("They will get an email with a link to join the fund's team, valid for 14 days")
    role = forms.ChoiceField(
        label="Which role?",
        choices=FundRole.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the role they will have"},
    )
    capacity = forms.IntegerField(
        label="How many investments can they mentor at once?",
        required=False,
        min_value=1,
        max_value=50,
        error_messages={
            "invalid": "Enter the number of investments as a whole number, like 3",
            "min_value": "A mentor takes at least 1 investment",
            "max_value": "A mentor can take no more than 50 investments at once",
        },
    )
    places = forms.ModelMultipleChoiceField(
        label="Places they cover (mentors)",
        queryset=Place.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label="What they know about (mentors)",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "places", forms.ModelMultipleChoiceField).queryset = fund.places.all()
        form_field(self, "themes", forms.ModelMultipleChoiceField).queryset = fund.themes.all()
        self.helper = form_helper(
            Field.text("email"),
            Field.radios("role", legend_size=Size.SMALL),
            Fieldset(
                Field.text("capacity", field_width=3),
                Field.checkboxes("places", legend_size=Size.SMALL),
                Field.checkboxes("themes", legend_size=Size.SMALL),
                legend="If they will be a mentor",
                legend_size=Size.MEDIUM,
            ),
            button="Send invitation",
        )

    def clean(self):
        data = super().clean() or {}
        if (
            data.get("role") == FundRole.Role.MENTOR
            and not data.get("capacity")
            and "capacity" not in self.errors
        ):
            self.add_error("capacity", "Enter how many investments they can mentor at once")
        return data


class RolesForm(PlainForm):
    roles = forms.MultipleChoiceField(
        label="Their roles in the fund",
        help_text="Untick every role to remove them from the fund's team",
        choices=FundRole.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.checkboxes("roles", legend_size=Size.MEDIUM), button="Save roles")
