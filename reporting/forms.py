from datetime import date
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import Truncator

from applications.models import Goal
from investments.models import ProgressUpdate
from kit.fields import BoundedText, DayMonthYearField, MoneyField, number_input
from kit.forms import PlainForm, form_field, label_choices
from reporting.models import FinancialProxy, OutcomeRecord, ProxyVersion

HUNDRED = Decimal(100)


class PercentField(forms.Field):
    """A share typed as a percentage (25 or 25%) and kept as a fraction (0.25)."""

    def __init__(self, *, label: str, required: bool = True, **kwargs):
        kwargs.setdefault("widget", number_input())
        super().__init__(label=label, required=required, **kwargs)
        self.subject = label.lower()
        self.error_messages["required"] = f"Enter the {self.subject} as a percentage, like 25"

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{(value * HUNDRED).normalize():f}"
        return value

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip().removesuffix("%").strip()
        try:
            percent = Decimal(text)
        except InvalidOperation as error:
            raise ValidationError(
                f"Enter the {self.subject} as a percentage, like 25", code="invalid"
            ) from error
        if not percent.is_finite() or not Decimal(0) <= percent <= HUNDRED:
            raise ValidationError(f"The {self.subject} must be from 0% to 100%", code="range")
        exponent = percent.as_tuple().exponent  # a number, as the percentage is finite
        if isinstance(exponent, int) and exponent < -2:
            raise ValidationError(f"Give the {self.subject} to no more than 2 decimal places", code="places")
        return (percent / HUNDRED).quantize(Decimal("0.0001"))


def duration_field(required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label="Duration in years" + ("" if required else " (optional)"),
        required=required,
        min_value=1,
        max_value=50,
        widget=number_input("numeric"),
        error_messages={
            "required": "Enter how many years the outcome lasts",
            "invalid": "Enter the duration as a whole number of years, like 2",
            "min_value": "The duration must be at least 1 year",
            "max_value": "The duration must be 50 years or fewer",
        },
    )


ADJUSTMENT_HINTS = {
    "deadweight": "The share that would have happened anyway",
    "attribution": "The share owed to others, such as other services or funders",
    "displacement": "The share that only moved a problem elsewhere",
    "drop_off": "The share of the outcome lost each year after the first",
}


class ProxyForm(PlainForm):
    name = BoundedText(label="Name", subject="the proxy's name", max_length=200)
    unit = BoundedText(
        label="What one unit is",
        subject="what one unit is",
        max_length=200,
        help_text="For example, person moved into full-time work, or volunteer hour",
    )
    value = MoneyField(label="Value per unit per year, in pounds", subject="value per unit")
    kind = forms.ChoiceField(
        label="Kind of value",
        choices=ProxyVersion.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the value is fiscal or social"},
    )
    source = BoundedText(
        label="Source",
        subject="the source of the value",
        max_length=300,
        help_text="For example, Greater Manchester Unit Cost Database, or HACT UK Social Value Bank",
    )
    source_url = forms.URLField(
        label="Source web address (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter the source's web address, like https://www.example.org/costs"},
    )
    source_year = forms.IntegerField(
        label="Year of the source",
        min_value=1990,
        max_value=2100,
        widget=number_input("numeric"),
        error_messages={
            "required": "Enter the year the source was published",
            "invalid": "Enter the year as 4 digits, like 2024",
            "min_value": "Enter a year from 1990",
            "max_value": "Enter the year as 4 digits, like 2024",
        },
    )
    price_base = BoundedText(
        label="Price base",
        subject="the price base",
        max_length=20,
        help_text="The year the pounds are in, for example 2023/24",
    )
    deadweight = PercentField(label="Deadweight", help_text=ADJUSTMENT_HINTS["deadweight"])
    attribution = PercentField(label="Attribution", help_text=ADJUSTMENT_HINTS["attribution"])
    displacement = PercentField(label="Displacement", help_text=ADJUSTMENT_HINTS["displacement"])
    drop_off = PercentField(label="Drop-off", help_text=ADJUSTMENT_HINTS["drop_off"])
    duration_years = duration_field(required=True)
    needs_review = forms.BooleanField(
        label="Still to be checked by finance against the source", required=False
    )
    notes = BoundedText(
        label="Notes (optional)",
        subject="the notes",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How the value was worked out, and when to use it",
    )
    change_reason = BoundedText(
        label="Why it is changing",
        subject="why the proxy is changing",
        max_length=500,
        required=False,
        help_text="Kept with the new version. Reports already made keep the values they used.",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["change_reason"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        adjustments = [
            Field.text(name, field_width=5)
            for name in ("deadweight", "attribution", "displacement", "drop_off")
        ]
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("unit"),
            Field.text("value", field_width=10),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("source"),
            Field.text("source_url"),
            Field.text("source_year", field_width=4),
            Field.text("price_base", field_width=10),
            Fieldset(
                *adjustments,
                Field.text("duration_years", field_width=3),
                legend="Default adjustments, as percentages",
                legend_size=Size.MEDIUM,
            ),
            Field.checkbox("needs_review"),
            Field.textarea("notes"),
            *([Field.text("change_reason")] if editing else []),
            Button("submit", "Save proxy"),
        )

    @staticmethod
    def initial_from(version: ProxyVersion) -> dict:
        return {name: getattr(version, name) for name in ProxyForm.base_fields if name != "change_reason"}


class OutcomeForm(PlainForm):
    proxy = forms.ModelChoiceField(
        label="Financial proxy",
        queryset=FinancialProxy.objects.none(),
        empty_label="Choose a proxy",
        error_messages={"required": "Choose the financial proxy that values this outcome"},
    )
    quantity = forms.DecimalField(
        label="Quantity",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=number_input(),
        help_text="How many units, in the first year",
        error_messages={
            "required": "Enter the quantity",
            "invalid": "Enter the quantity as a number, like 12",
            "min_value": "The quantity must not be negative",
            "max_decimal_places": "Give the quantity to no more than 2 decimal places",
            "max_digits": "The quantity is too large",
            "max_whole_digits": "The quantity is too large",
        },
    )
    period_start = DayMonthYearField(label="Start of the period", example="1 4 2026")
    period_end = DayMonthYearField(label="End of the period", example="31 3 2027")
    evidence = BoundedText(
        label="Evidence",
        subject="the evidence",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where the figure comes from: the group's update, a register, a partner's letter",
    )
    goal: "forms.ModelChoiceField[Goal]" = forms.ModelChoiceField(
        label="The group's goal it shows (optional)",
        queryset=None,
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose one of this group's goals, or None"},
    )
    update = forms.ModelChoiceField(
        label="The update it comes from (optional)",
        queryset=ProgressUpdate.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose one of this investment's updates, or None"},
    )
    deadweight = PercentField(label="Deadweight (optional)", required=False)
    attribution = PercentField(label="Attribution (optional)", required=False)
    displacement = PercentField(label="Displacement (optional)", required=False)
    drop_off = PercentField(label="Drop-off (optional)", required=False)
    duration_years = duration_field(required=False)
    override_reason = BoundedText(
        label="Why the defaults do not fit (if you changed any)",
        subject="why the defaults do not fit",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, investment, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "proxy", forms.ModelChoiceField).queryset = FinancialProxy.objects.filter(
            fund=investment.round.fund
        ).prefetch_related("versions")
        label_choices(
            form_field(self, "proxy", forms.ModelChoiceField),
            lambda proxy: f"{proxy.current.name}: £{proxy.current.value:,} per {proxy.current.unit}",
        )
        form_field(self, "goal", forms.ModelChoiceField).queryset = investment.application.goals.all()
        label_choices(
            form_field(self, "goal", forms.ModelChoiceField),
            lambda goal: Truncator(goal.description).chars(90),
        )
        form_field(self, "update", forms.ModelChoiceField).queryset = investment.updates.sent()
        label_choices(
            form_field(self, "update", forms.ModelChoiceField),
            lambda update: f"Update {update.number}, sent {update.submitted_at:%-d %B %Y}",
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("proxy"),
            Field.text("quantity", field_width=10),
            Field("period_start"),
            Field("period_end"),
            Field.textarea("evidence"),
            Field.select("goal"),
            Field.select("update"),
            Fieldset(
                Field.text("deadweight", field_width=5),
                Field.text("attribution", field_width=5),
                Field.text("displacement", field_width=5),
                Field.text("drop_off", field_width=5),
                Field.text("duration_years", field_width=3),
                Field.textarea("override_reason"),
                legend="Adjustments: leave empty to use the proxy's defaults",
                legend_size=Size.MEDIUM,
            ),
            Button("submit", "Save outcome"),
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("period_start"), data.get("period_end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        return data

    @staticmethod
    def initial_from(record: OutcomeRecord) -> dict:
        return {name: getattr(record, name) for name in OutcomeForm.base_fields}
