"""The shape of what groups type, and the messages when it is not right. Nothing here saves."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms

from applications.models import Application, BudgetLine, Document, Goal, MatchFunding, Partner
from applications.rules import MAX_GOALS
from applications.sections import IDEA_FIELDS, IDEA_QUESTIONS
from fund.models import Place, Round, Theme
from kit.fields import BoundedText, MoneyField, UploadField, number_input, upload_hint
from kit.forms import PlainForm, PlainModelForm, form_field, form_helper, label_choices
from organisations.forms import PlaceChoiceField

LONG_ANSWER = 2000
SHORT_ANSWER = 200


# --- Organisations -----------------------------------------------------------------


# --- Starting an application ---------------------------------------------------------


class StartApplicationForm(PlainForm):
    round = forms.ModelChoiceField(
        queryset=Round.objects.none(),
        label="Which funding round?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose a funding round",
            "invalid_choice": "Choose one of the open rounds",
        },
    )
    amount = MoneyField(
        label="How much are you asking for?",
        subject="amount you are asking for",
        help_text="In pounds, for example 1500. The amount decides which kind of investment you apply for.",
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        # Rounds are offered even when not open, so a closed one gets its own message.
        form_field(self, "round", forms.ModelChoiceField).queryset = rounds
        label_choices(
            form_field(self, "round", forms.ModelChoiceField),
            lambda round: f"{round.name} ({round.fund.name})",
        )
        self.helper = form_helper(
            Field.radios("round", legend_size=Size.SMALL),
            Field.text("amount", field_width=10),
            button="Continue",
        )


class AmountForm(PlainForm):
    amount = MoneyField(
        label="How much are you asking for?",
        subject="amount you are asking for",
        help_text="In pounds, for example 1500. Changing it may change the kind of investment "
        "and what we ask.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("amount", field_width=10), button="Save")


# --- Sections ---------------------------------------------------------------------------


class CompletionForm(PlainForm):
    """GOV.UK's 'Have you completed this section?' question at the end of a section."""

    completed = forms.TypedChoiceField(
        label="Have you completed this section?",
        choices=[("yes", "Yes, I’ve completed this section"), ("no", "No, I’ll come back to it later")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you have completed this section"},
    )

    def __init__(self, *args, later: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("completed", legend_size=Size.MEDIUM),
            button="Save and continue",
            secondary="Save and come back later" if later else None,
        )


def _long_answer(label: str, subject: str, hint: str) -> BoundedText:
    """A long answer that may be left empty while drafting; completing the section needs it."""
    return BoundedText(
        label=label,
        subject=subject,
        max_length=LONG_ANSWER,
        required=False,
        widget=forms.Textarea,
        help_text=hint,
    )


def _measure(subject: str, example: str) -> forms.DecimalField:
    """A goal's optional number: where it is now, or where the group wants it to be."""
    capital = subject[0].upper() + subject[1:]
    return forms.DecimalField(
        label=f"{capital} (optional)",
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        error_messages={
            "invalid": f"Enter {subject} as a number, like {example}",
            "min_value": f"{capital} cannot be less than 0",
            "max_decimal_places": f"Enter {subject} with no more than 2 decimal places",
            "max_digits": f"{capital} is too large",
            "max_whole_digits": f"{capital} is too large",
        },
    )


class IdeaForm(PlainForm):
    title = BoundedText(
        label="Project name", subject="a name for your project", max_length=120, required=False
    )
    summary = _long_answer(
        "What will you do?", "what you will do", "In plain words, as you would tell a neighbour"
    )
    who_it_helps = _long_answer(
        "Who will it help?",
        "who it will help",
        "For example: older people living alone in Leigh, young carers, families new to the area",
    )
    places = PlaceChoiceField(queryset=Place.objects.none(), label="Where will it happen?")
    why_it_matters = _long_answer(
        "Why does it matter to local people?",
        "why it matters",
        "What is hard for people now, and what difference your project will make",
    )
    how_people_involved = _long_answer(
        "How were local people involved in the idea?",
        "how local people were involved",
        "For example: a survey, a meeting, or people who will use it helping to plan it",
    )
    sustainability_plan = _long_answer(
        "How will it keep going once the investment is spent?",
        "how it will keep going",
        "This is an investment, not a grant: for example, income from sales or hire, other funders, "
        "volunteers",
    )
    completed = CompletionForm.base_fields["completed"]

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        form_field(self, "places", forms.ModelChoiceField).queryset = Place.objects.filter(
            fund=application.round.fund_id
        )
        label_choices(form_field(self, "places", forms.ModelChoiceField), lambda place: place.name)
        long = {"rows": 5, "max_characters": LONG_ANSWER}
        fields = [
            Field.text("title"),
            Field.textarea("summary", **long),
            Field.textarea("who_it_helps", **long),
            Field.checkboxes("places", legend_size=Size.SMALL),
            Field.textarea("why_it_matters", **long),
            Field.textarea("how_people_involved", **long),
        ]
        if application.tier.asks_sustainability_plan:
            fields.append(Field.textarea("sustainability_plan", **long))
        else:
            del self.fields["sustainability_plan"]
        fields.append(Field.radios("completed", legend_size=Size.MEDIUM))
        self.helper = form_helper(*fields, secondary="Save and come back later")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("completed"):
            for field, message in IDEA_QUESTIONS:
                if field not in self.errors and not data.get(field):
                    self.add_error(field, message)
            if "places" not in self.errors and not data.get("places"):
                self.add_error("places", "Choose at least one place your project will work in")
            if (
                "sustainability_plan" in self.fields
                and not data.get("sustainability_plan")
                and "sustainability_plan" not in self.errors
            ):
                self.add_error(
                    "sustainability_plan",
                    "Say how your project will keep going once the investment is spent",
                )
        return data

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        initial = {field: getattr(application, field) for field in IDEA_FIELDS}
        initial["places"] = list(application.places.all())
        if "idea" in application.completed_sections:
            initial["completed"] = "yes"
        return initial


class GoalForm(PlainModelForm):
    description = BoundedText(
        label="What will be different for local people?",
        subject="what will be different for local people",
        max_length=500,
        widget=forms.Textarea,
        help_text="In your own words. For example: fewer older people in Hindley feel lonely",
    )
    indicator = BoundedText(
        label="How will you know? (optional)",
        subject="how you will know",
        max_length=200,
        required=False,
        help_text="Something you can count or ask about. For example: people who say they feel less lonely",
    )
    baseline = _measure("where it is now", "20")
    target = _measure("where you want it to be", "60")
    unit = BoundedText(
        label="Counted in (optional)",
        subject="what it is counted in",
        max_length=50,
        required=False,
        help_text="For example: people, sessions, meals",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which of the fund's aims does it serve? (optional)",
        error_messages={
            "invalid_choice": "Choose aims from the list",
            "invalid_pk_value": "Choose aims from the list",
        },
    )

    class Meta:
        model = Goal
        fields = ["description", "indicator", "baseline", "target", "unit"]

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "themes", forms.ModelChoiceField).queryset = Theme.objects.filter(
            fund=application.round.fund_id
        )
        label_choices(form_field(self, "themes", forms.ModelChoiceField), lambda theme: theme.name)
        if self.instance.pk:
            self.initial["themes"] = list(self.instance.themes.all())
        for name in ("baseline", "target"):
            self.fields[name].widget = number_input()
        self.helper = form_helper(
            Field.textarea("description", rows=3, max_characters=500),
            Field.text("indicator"),
            Field.text("baseline", field_width=10),
            Field.text("target", field_width=10),
            Field.text("unit", field_width=20),
            Field.checkboxes("themes", legend_size=Size.SMALL),
            button="Save goal",
        )


class BudgetLineForm(PlainModelForm):
    item = BoundedText(
        label="What is it for?",
        subject="what the money is for",
        max_length=200,
        help_text="For example: hall hire for 40 sessions",
    )
    amount = MoneyField(label="Cost", subject="cost", help_text="In pounds and pence, for example 450.00")
    year = forms.TypedChoiceField(
        label="Which year of the project?",
        coerce=int,
        widget=forms.RadioSelect,
        initial=1,
        error_messages={"required": "Choose the year", "invalid_choice": "Choose one of the years shown"},
    )

    class Meta:
        model = BudgetLine
        fields = ["item", "amount", "year"]

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        years = application.tier.budget_years
        fields = [Field.text("item"), Field.text("amount", field_width=10)]
        if years > 1:
            form_field(self, "year", forms.ChoiceField).choices = [
                (year, f"Year {year}") for year in range(1, years + 1)
            ]
            fields.append(Field.radios("year", legend_size=Size.SMALL, inline=True))
        else:
            del self.fields["year"]  # a one-year budget: every line is year 1
        self.helper = form_helper(*fields, button="Save budget line")


# --- Goals and budget lines on one page each ------------------------------------------------------


class GoalRowForm(PlainForm):
    """One goal of the goals page, which has a row for each of up to ``MAX_GOALS``; an empty row
    adds nothing."""

    goal = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = BoundedText(
        label="What will be different for local people?",
        subject="what will be different for local people",
        max_length=500,
        widget=forms.Textarea,
        required=False,
    )
    indicator = GoalForm.base_fields["indicator"]
    themes = GoalForm.base_fields["themes"]
    remove = forms.BooleanField(label="Remove this goal", required=False)

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = form_field(self, "themes", forms.ModelChoiceField)
        chosen.queryset = themes
        label_choices(chosen, lambda theme: theme.name)
        if not self.initial.get("goal"):
            del self.fields["remove"]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        others = data.get("indicator") or data.get("themes")
        if (
            others
            and not data.get("description")
            and not data.get("remove")
            and "description" not in self.errors
        ):
            self.add_error(
                "description", "Say what will be different for local people, or clear the rest of this goal"
            )
        return data


class BudgetRowForm(PlainForm):
    """One line of the budget table; an empty row adds nothing."""

    line = forms.IntegerField(widget=forms.HiddenInput, required=False)
    item = BoundedText(
        label="What it is for", subject="what the money is for", max_length=200, required=False
    )
    amount = MoneyField(label="Cost", subject="cost", required=False)
    year = forms.TypedChoiceField(
        label="Year",
        coerce=int,
        initial=1,
        required=False,
        error_messages={"invalid_choice": "Choose one of the years shown"},
    )
    remove = forms.BooleanField(label="Remove", required=False)

    def __init__(self, *args, years: int, **kwargs):
        super().__init__(*args, **kwargs)
        if years > 1:
            form_field(self, "year", forms.ChoiceField).choices = [
                (year, f"Year {year}") for year in range(1, years + 1)
            ]
        else:
            del self.fields["year"]
        if not self.initial.get("line"):
            del self.fields["remove"]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("remove"):
            return data
        if data.get("amount") is not None and not data.get("item") and "item" not in self.errors:
            self.add_error("item", "Say what this cost is for")
        if data.get("item") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", f"Enter the cost of ‘{data['item'][:60]}’")
        return data


MISSING_ROWS = "The page was not sent whole. Reload it and try again"


class GoalRowSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": (
            f"An application can have up to {MAX_GOALS} goals. Keep the {MAX_GOALS} that matter most"
        ),
        "missing_management_form": MISSING_ROWS,
    }


# A budget of more lines than this belongs in a spreadsheet: put smaller costs together.
MOST_BUDGET_LINES = 60


class BudgetRowSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": f"A budget can have up to {MOST_BUDGET_LINES} lines here. Put smaller costs "
        "together, for example ‘Materials’",
        "missing_management_form": MISSING_ROWS,
    }


GoalRows = forms.formset_factory(
    GoalRowForm, formset=GoalRowSet, extra=0, max_num=MAX_GOALS, absolute_max=MAX_GOALS
)
BudgetRows = forms.formset_factory(
    BudgetRowForm, formset=BudgetRowSet, extra=0, max_num=MOST_BUDGET_LINES, absolute_max=MOST_BUDGET_LINES
)


class MatchFundingForm(PlainModelForm):
    source = BoundedText(
        label="Who is it from?",
        subject="who it is from",
        max_length=200,
        help_text="For example: National Lottery Awards for All, or our own fundraising",
    )
    amount = MoneyField(
        label="Amount or value",
        subject="amount or value",
        help_text="For support in kind, what it would cost to buy",
    )
    in_kind = forms.TypedChoiceField(
        label="Is it money or support in kind?",
        choices=[("money", "Money"), ("in_kind", "Support in kind: goods, rooms or volunteers' time")],
        coerce=lambda value: value == "in_kind",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is money or support in kind"},
    )
    status = forms.ChoiceField(
        label="Is it confirmed?",
        choices=MatchFunding.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is confirmed"},
    )

    class Meta:
        model = MatchFunding
        fields = ["source", "amount", "in_kind", "status"]

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["in_kind"] = "in_kind" if self.instance.in_kind else "money"
        self.helper = form_helper(
            Field.text("source"),
            Field.text("amount", field_width=10),
            Field.radios("in_kind", legend_size=Size.SMALL),
            Field.radios("status", legend_size=Size.SMALL),
            button="Save match funding",
        )


class PartnerForm(PlainModelForm):
    name = BoundedText(
        label="Partner organisation's name", subject="the partner organisation's name", max_length=200
    )
    role = BoundedText(
        label="What will they do?",
        subject="what the partner will do",
        max_length=1000,
        widget=forms.Textarea,
        help_text="For example: lend a room, refer people, run sessions with you",
    )
    letter = UploadField(label="Letter of support (optional)", required=False)

    class Meta:
        model = Partner
        fields = ["name", "role"]

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letter"].help_text = upload_hint()
        if self.instance.pk and self.instance.letter:
            self.fields["letter"].help_text = (
                f"You uploaded {self.instance.letter.original_name}. Choose a file only to replace it. "
                + upload_hint()
            )
        self.helper = form_helper(
            Field.text("name"),
            Field.textarea("role", rows=4, max_characters=1000),
            Field("letter"),
            button="Save partner",
        )


class DocumentForm(PlainForm):
    kind = forms.ChoiceField(
        label="What is it?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what the document is",
            "invalid_choice": "Choose one of the documents listed",
        },
    )
    file = UploadField(label="Choose the file")

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(kind, Document.Kind(kind).label) for kind in kinds] + [
            (Document.Kind.OTHER.value, Document.Kind.OTHER.label)
        ]
        form_field(self, "kind", forms.ChoiceField).choices = choices
        self.fields["file"].help_text = upload_hint()
        self.helper = form_helper(
            Field.radios("kind", legend_size=Size.SMALL), Field("file"), button="Upload"
        )


class DeclarationForm(PlainForm):
    confirm = forms.BooleanField(
        label="I confirm that the information in this application is true and complete, and that I am "
        "allowed to apply on behalf of the group",
        error_messages={"required": "Confirm the declaration to continue"},
    )
    name = BoundedText(label="Your full name", subject="your full name", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.checkbox("confirm"), Field.text("name"), button="Save and continue")


class ConfirmForm(PlainForm):
    """A yes/no question before something that cannot be undone."""

    confirm = forms.TypedChoiceField(
        label="Are you sure?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )

    def __init__(self, *args, label: str, button: str = "Continue", is_page_heading: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = label
        # The question is the page's heading, unless the page has one of its own.
        radios = (
            Field.radios("confirm", legend_size=Size.LARGE, legend_tag="h1", inline=True)
            if is_page_heading
            else Field.radios("confirm", legend_size=Size.MEDIUM, inline=True)
        )
        self.helper = form_helper(radios, button=button)
