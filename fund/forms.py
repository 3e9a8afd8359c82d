from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.conf import settings

from fund.models import Criterion, Round, Tier, TierAllocation
from kit.fields import BoundedText, DayMonthYearField, MoneyField, number_input
from kit.forms import PlainForm


def _time_field(label: str, initial: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        initial=initial,
        input_formats=["%H:%M", "%H.%M", "%H"],
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        help_text="Use the 24-hour clock, for example 09:00 or 17:30 (UK time)",
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as hours and minutes, like 09:00",
        },
    )


def london_datetime(day, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


class RoundForm(PlainForm):
    name = BoundedText(
        label="Round name",
        subject="the round's name",
        required_message="Enter a name for the round",
        max_length=200,
    )
    description = BoundedText(
        label="Description (optional)",
        subject="the description",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to applicants: what this round is looking for.",
    )
    opens_on = DayMonthYearField(label="Opening date", example="27 3 2027")
    opens_time = _time_field("Opening time", "09:00")
    closes_on = DayMonthYearField(label="Closing date", example="30 6 2027")
    closes_time = _time_field("Closing time", "17:00")
    budget = MoneyField(label="Budget")
    review_deadline = DayMonthYearField(
        label="Panel reviews due by (optional)",
        example="31 7 2027",
        required=False,
        help_text="Panel members are reminded before this date, and their reviews count as late after it.",
    )
    status = forms.ChoiceField(
        label="Who can see it",
        choices=Round.Status.choices,
        widget=forms.RadioSelect,
        initial=Round.Status.DRAFT,
        error_messages={"required": "Choose who can see the round"},
    )

    def __init__(self, *args, tiers: list[Tier], **kwargs):
        super().__init__(*args, **kwargs)
        self.tiers = tiers
        for tier in tiers:
            self.fields[self.allocation_field(tier)] = MoneyField(
                label=f"{tier.name} allocation",
                required=False,
                help_text=f"{tier.band_label}. Leave empty if this tier draws on the whole budget.",
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("name"),
            Field.textarea("description"),
            Fieldset(
                Field("opens_on"),
                Field.text("opens_time", field_width=5),
                legend="When it opens",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("closes_on"),
                Field.text("closes_time", field_width=5),
                legend="When it closes",
                legend_size=Size.MEDIUM,
            ),
            Field.text("budget", field_width=10),
            Field("review_deadline"),
            Fieldset(
                *[Field.text(self.allocation_field(t), field_width=10) for t in tiers],
                legend="Budget set aside for each tier (optional)",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("status", legend_size=Size.MEDIUM),
            Button("submit", "Save round"),
        )

    @staticmethod
    def allocation_field(tier: Tier) -> str:
        return TierAllocation.key_for(tier)

    @classmethod
    def initial_for(cls, round: Round) -> dict:
        opens = round.opens_at.astimezone(ZoneInfo(settings.TIME_ZONE))
        closes = round.closes_at.astimezone(ZoneInfo(settings.TIME_ZONE))
        initial = {
            "name": round.name,
            "description": round.description,
            "opens_on": opens.date(),
            "opens_time": opens.time().strftime("%H:%M"),
            "closes_on": closes.date(),
            "closes_time": closes.time().strftime("%H:%M"),
            "budget": round.budget,
            "review_deadline": round.review_deadline,
            "status": round.status,
        }
        for allocation in round.allocations.select_related("tier"):
            initial[TierAllocation.key_for(allocation.tier)] = allocation.amount
        return initial

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if all(data.get(key) for key in ("opens_on", "opens_time", "closes_on", "closes_time")):
            data["opens_at"] = london_datetime(data["opens_on"], data["opens_time"])
            data["closes_at"] = london_datetime(data["closes_on"], data["closes_time"])
            if data["closes_at"] <= data["opens_at"]:
                self.add_error("closes_on", "The closing date must be after the opening date")
            elif (due := data.get("review_deadline")) and due <= data["closes_on"]:
                self.add_error(
                    "review_deadline", "The date panel reviews are due must be after the closing date"
                )
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data["description"],
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "budget": data["budget"],
            "review_deadline": data.get("review_deadline"),
            "status": data["status"],
            "allocations": {tier: data.get(self.allocation_field(tier)) for tier in self.tiers},
        }


class CriterionForm(PlainForm):
    title = BoundedText(label="Criterion", subject="the criterion", max_length=200)
    guidance = BoundedText(
        label="Guidance for panel members (optional)",
        subject="the guidance",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What a high score looks like. Applicants see this too.",
    )
    weight = forms.DecimalField(
        label="Weight",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=1,
        help_text="How much this criterion counts: 1 is normal, 2 counts double.",
        error_messages={
            "required": "Enter the weight, like 1 or 2",
            "invalid": "Enter the weight as a number, like 1 or 1.5",
            "min_value": "The weight must be more than 0",
            "max_decimal_places": "Enter the weight with no more than 2 decimal places",
            "max_digits": "The weight is too large",
            "max_whole_digits": "The weight is too large",
        },
    )
    scale_max = forms.IntegerField(
        label="Highest score",
        min_value=1,
        max_value=100,
        initial=5,
        help_text="Panel members score from 0 to this number.",
        error_messages={
            "required": "Enter the highest score, like 5",
            "invalid": "Enter the highest score as a whole number, like 5",
            "min_value": "The highest score must be at least 1",
            "max_value": "The highest score must be 100 or less",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weight"].widget = number_input()
        self.fields["scale_max"].widget = number_input("numeric")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("title"),
            Field.textarea("guidance"),
            Field.text("weight", field_width=4),
            Field.text("scale_max", field_width=3),
            Button("submit", "Save criterion"),
        )

    @classmethod
    def initial_for(cls, criterion: Criterion) -> dict:
        return {
            "title": criterion.title,
            "guidance": criterion.guidance,
            "weight": criterion.weight,
            "scale_max": criterion.scale_max,
        }


class FundSettingsForm(PlainForm):
    """What a fund's officers set for the fund as a whole."""

    goal_change_days = forms.IntegerField(
        label="Days a group's change of goals waits",
        min_value=1,
        max_value=90,
        help_text="From 1 to 90. A change takes effect when an officer agrees, or after this many days if "
        "nobody objects. Changes already waiting keep the date they were given.",
        error_messages={
            "required": "Enter how many days a change of goals waits, like 14",
            "invalid": "Enter the days as a whole number, like 14",
            "min_value": "A change of goals must wait at least 1 day",
            "max_value": "A change of goals can wait 90 days at most",
        },
    )

    signoff_limit = MoneyField(
        label="Awards above this amount need a second officer's approval (optional)",
        subject="sign-off limit",
        required=False,
        help_text="In pounds, like 10000. Another fund officer approves such an award at the panel "
        "meeting before it is released. Leave empty if no award needs one.",
    )
    offer_days = forms.IntegerField(
        label="Days a group has to accept an offer",
        min_value=7,
        max_value=90,
        help_text="From 7 to 90. The group is reminded a week before; an offer not accepted by then lapses "
        "and its money returns to the round. Offers already made keep their date.",
        error_messages={
            "required": "Enter how many days a group has to accept an offer, like 28",
            "invalid": "Enter the days as a whole number, like 28",
            "min_value": "Give a group at least 7 days to accept an offer",
            "max_value": "An offer can wait 90 days at most",
        },
    )
    offer_terms = BoundedText(
        label="The terms of an offer",
        subject="the terms of an offer",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="One term a line: each is printed as a numbered paragraph in the offer letter, and the "
        "group accepts them. Offers already made keep the terms they were made with.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_change_days"].widget = number_input("numeric")
        self.fields["offer_days"].widget = number_input("numeric")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("goal_change_days", field_width=3),
            Field.text("signoff_limit", field_width=10),
            Field.text("offer_days", field_width=3),
            Field.textarea("offer_terms", rows=10),
            Button("submit", "Save"),
        )
