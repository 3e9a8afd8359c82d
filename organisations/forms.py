"""A group's details and an invitation to join it."""

from __future__ import annotations

import re

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from fund.models import Place
from kit.fields import BoundedText, PlainTextValidator, invited_email, number_input
from kit.forms import PlainForm, form_field, form_helper, label_choices
from organisations.models import Membership, Organisation


class PlaceChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *, queryset, label: str, required: bool = False, help_text: str = ""):
        super().__init__(
            queryset=queryset,
            label=label,
            required=required,
            help_text=help_text,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Choose at least one place",
                "invalid_choice": "Choose places from the list",
                "invalid_pk_value": "Choose places from the list",
            },
        )


class OrganisationForm(PlainForm):
    name = BoundedText(label="Name of your group", subject="the name of your group", max_length=200)
    legal_form = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=Organisation.LegalForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of organisation your group is"},
    )
    legal_form_other = BoundedText(
        label="If other, what kind", subject="what kind of organisation it is", max_length=200, required=False
    )
    charity_number = BoundedText(
        label="Charity number",
        subject="the charity number",
        required=False,
        max_length=12,
        help_text="Registered charities and CIOs only. For example, 1123456",
    )
    company_number = BoundedText(
        label="Company number",
        subject="the company number",
        required=False,
        max_length=12,
        help_text="Companies and CICs only: 8 characters, for example 01234567 or SC123456",
    )
    address_line_1 = BoundedText(
        label="Address line 1", subject="the first line of the address", max_length=200
    )
    address_line_2 = BoundedText(
        label="Address line 2 (optional)",
        subject="the second line of the address",
        max_length=200,
        required=False,
    )
    town = BoundedText(label="Town or city", subject="the town or city", max_length=100)
    postcode = BoundedText(label="Postcode", subject="the postcode", max_length=10)
    places = PlaceChoiceField(
        queryset=Place.objects.none(), label="Which areas does your group work in? (optional)"
    )
    contact_name = BoundedText(label="Contact's full name", subject="the contact's full name", max_length=200)
    contact_email = forms.EmailField(
        label="Contact's email address",
        help_text="We will send news about your applications here",
        error_messages={
            "required": "Enter the contact's email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    contact_phone = BoundedText(
        label="Contact's phone number (optional)",
        subject="the contact's phone number",
        max_length=30,
        required=False,
    )

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        offered = places if places is not None else Place.objects.select_related("fund")
        form_field(self, "places", forms.ModelChoiceField).queryset = offered
        # Two funds may each have a "Leigh": name the fund too when the list holds more than one.
        several = offered.order_by().values("fund").distinct().count() > 1
        label_choices(
            form_field(self, "places", forms.ModelChoiceField),
            ((lambda place: f"{place.name} ({place.fund.name})") if several else (lambda place: place.name)),
        )
        self.helper = form_helper(
            Field.text("name"),
            Field.radios("legal_form", legend_size=Size.SMALL),
            Field.text("legal_form_other"),
            Field.text("charity_number", field_width=10),
            Field.text("company_number", field_width=10),
            Fieldset(
                Field.text("address_line_1"),
                Field.text("address_line_2"),
                Field.text("town", field_width=20),
                Field.text("postcode", field_width=10),
                legend="Address",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("places", legend_size=Size.SMALL),
            Fieldset(
                Field.text("contact_name"),
                Field.text("contact_email"),
                Field.text("contact_phone", field_width=20),
                legend="Main contact",
                legend_size=Size.MEDIUM,
            ),
            button="Save",
        )

    def clean_contact_email(self) -> str:
        # Addresses are kept in lower case, as people's sign-in addresses are, so one person's
        # address always matches itself.
        return self.cleaned_data["contact_email"].strip().lower()

    def clean_postcode(self) -> str:
        value = re.sub(r"\s+", "", self.cleaned_data["postcode"].upper())
        if not POSTCODE.match(value):
            raise forms.ValidationError("Enter a real UK postcode, like WN1 1YN")
        return f"{value[:-3]} {value[-3:]}"

    def clean_charity_number(self) -> str:
        value = re.sub(r"\s+", "", self.cleaned_data["charity_number"].upper())
        if value and not CHARITY_NUMBER.match(value):
            raise forms.ValidationError(
                "Enter the charity number as it appears on the register: 6 or 7 numbers, like 1123456"
            )
        return value

    def clean_company_number(self) -> str:
        value = re.sub(r"\s+", "", self.cleaned_data["company_number"].upper())
        if value.isdigit() and len(value) < 8:
            value = value.zfill(8)  # Companies House numbers keep their leading zeros
        if value and not COMPANY_NUMBER.match(value):
            raise forms.ValidationError("Enter the company number as 8 characters, like 01234567 or SC123456")
        return value

    def clean(self):
        super().clean()
        data = self.cleaned_data
        legal_form = data.get("legal_form")
        if (
            legal_form in NEEDS_CHARITY_NUMBER
            and not data.get("charity_number")
            and "charity_number" not in self.errors
        ):
            self.add_error(
                "charity_number", "Enter the charity number: registered charities and CIOs have one"
            )
        if (
            legal_form in NEEDS_COMPANY_NUMBER
            and not data.get("company_number")
            and "company_number" not in self.errors
        ):
            self.add_error("company_number", "Enter the company number: companies and CICs have one")
        if legal_form == Organisation.LegalForm.OTHER and not data.get("legal_form_other"):
            self.add_error("legal_form_other", "Say what kind of organisation your group is")
        return data

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict:
        initial = {field: getattr(organisation, field) for field in cls.base_fields if field != "places"}
        initial["places"] = list(organisation.places.all())
        return initial


class InvitationForm(PlainForm):
    email = invited_email("They will get an email with a link to join")
    role = forms.ChoiceField(
        label="What can they do?",
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they can do"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("email"), Field.radios("role", legend_size=Size.SMALL), button="Send invitation"
        )


POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")


CHARITY_NUMBER = re.compile(r"^([0-9]{6,7}|SC[0-9]{6}|NIC[0-9]{6})$")


COMPANY_NUMBER = re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$")


NEEDS_CHARITY_NUMBER = {Organisation.LegalForm.CHARITY, Organisation.LegalForm.CIO}


NEEDS_COMPANY_NUMBER = {Organisation.LegalForm.CIC, Organisation.LegalForm.CLG}


class BankDetailsForm(PlainForm):
    """The account a group is paid into. The shape of each number is checked by the service
    (``organisations.bank``), which keeps what was typed when it refuses."""

    account_name = BoundedText(
        label="Name on the account",
        subject="the name on the account",
        max_length=200,
        help_text="As your bank writes it, for example Leigh Knit and Natter",
    )
    sort_code = forms.CharField(
        label="Sort code",
        max_length=20,
        widget=number_input("numeric"),
        help_text="6 numbers, for example 30-90-89",
        validators=[PlainTextValidator("the sort code", multiline=False)],
        error_messages={
            "required": "Enter the sort code, like 30-90-89",
            "max_length": "A sort code has 6 numbers: enter it like 30-90-89",
        },
    )
    account_number = forms.CharField(
        label="Account number",
        max_length=20,
        widget=number_input("numeric"),
        help_text="8 numbers, for example 00733445",
        validators=[PlainTextValidator("the account number", multiline=False)],
        error_messages={
            "required": "Enter the account number, like 00733445",
            "max_length": "An account number has 8 numbers: enter it like 00733445",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sort_code", "account_number"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.helper = form_helper(
            Field.text("account_name"),
            Field.text("sort_code", field_width=5),
            Field.text("account_number", field_width=10),
            button="Save bank details",
        )
