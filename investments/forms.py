"""Forms for after an award: the group's update and changing tack; the officer's replies."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from applications.forms import GoalForm
from fund.money import pounds
from investments.models import GoalProgress, Investment, ProgressUpdate
from investments.services.monitoring import GoalAnswer
from kit.fields import BoundedText, DayMonthYearField, MoneyField, UploadField, number_input, upload_hint
from kit.forms import OneAnswerForm, PlainForm, form_field, form_helper
from kit.uploads import photo_problems


class PhotoField(UploadField):
    def validate(self, value):
        forms.FileField.validate(self, value)
        if value and (problems := photo_problems(value)):
            raise forms.ValidationError(problems)


class UpdateForm(PlainForm):
    """The whole update on one page: each goal, then a story, a photo and two numbers."""

    story = BoundedText(
        label="A story of someone you helped (optional)",
        subject="the story",
        max_length=3000,
        required=False,
        widget=forms.Textarea,
        help_text="In a few sentences: who they are (no need for names), what changed for them",
    )
    story_consent = forms.BooleanField(label="They agreed to their story being shared", required=False)
    story_anonymous = forms.BooleanField(
        label="Leave out names if we publish it", required=False, initial=True
    )
    photo = PhotoField(label="A photo (optional)", required=False)
    photo_description = BoundedText(
        label="Describe the photo (optional)",
        subject="the description of the photo",
        max_length=200,
        required=False,
        help_text="For people who cannot see it, for example ‘Members planting the community garden’",
    )
    photo_consent = forms.BooleanField(
        label="The people in the photo agreed to it being published",
        required=False,
        help_text="Leave this unticked to keep the photo for the fund team. "
        "The fund team decides whether to publish it with your story",
    )
    people_reached = forms.IntegerField(
        label="People reached since the last update (optional)",
        required=False,
        min_value=0,
        max_value=10_000_000,
        error_messages={
            "invalid": "Enter the number of people as a whole number, like 40",
            "min_value": "The number of people cannot be less than 0",
            "max_value": "The number of people is too large",
        },
    )
    volunteer_hours = forms.DecimalField(
        label="Volunteer hours since the last update (optional)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=1,
        error_messages={
            "invalid": "Enter the hours as a number, like 120 or 12.5",
            "min_value": "Volunteer hours cannot be less than 0",
            "max_decimal_places": "Enter the hours with no more than 1 decimal place",
            "max_digits": "The number of hours is too large",
            "max_whole_digits": "The number of hours is too large",
        },
    )

    def __init__(self, *args, update: ProgressUpdate, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(update.investment.application.goals.current().order_by("position", "pk"))
        saved = {progress.goal_id: progress for progress in update.progress.all()}
        layout = []
        for goal in self.goals:
            prefix = f"goal_{goal.pk}"
            self.fields[f"{prefix}_status"] = forms.ChoiceField(
                label=goal.description,
                choices=GoalProgress.Status.choices,
                widget=forms.RadioSelect,
                required=False,
                help_text="How is it going?",
                error_messages={"invalid_choice": "Choose how the goal is going"},
            )
            fields = [Field.radios(f"{prefix}_status", legend_size=Size.SMALL)]
            if goal.indicator:
                unit = f" ({goal.unit})" if goal.unit else ""
                self.fields[f"{prefix}_value"] = forms.DecimalField(
                    label=f"{goal.indicator}{unit}: where it is now (optional)",
                    required=False,
                    max_digits=12,
                    decimal_places=2,
                    min_value=0,
                    error_messages={
                        "invalid": "Enter a number, like 25",
                        "min_value": "The number cannot be less than 0",
                        "max_decimal_places": "Enter the number with no more than 2 decimal places",
                        "max_digits": "The number is too large",
                        "max_whole_digits": "The number is too large",
                    },
                )
                self.fields[f"{prefix}_value"].widget = number_input()
                fields.append(Field.text(f"{prefix}_value", field_width=10))
            self.fields[f"{prefix}_note"] = BoundedText(
                label="A few words (optional)",
                subject="the few words",
                max_length=1000,
                required=False,
                widget=forms.Textarea,
                help_text="What happened, and anything you are doing differently",
            )
            fields.append(Field.textarea(f"{prefix}_note", rows=2))
            layout.append(Fieldset(*fields))
            if not self.is_bound and goal.pk in saved:
                progress = saved[goal.pk]
                self.initial[f"{prefix}_status"] = progress.status
                self.initial[f"{prefix}_value"] = progress.value
                self.initial[f"{prefix}_note"] = progress.note
        # What was spent on each line of the approved budget since the last update: optional.
        self.budget_lines = list(update.investment.application.budget_lines.all())
        spent = {report.budget_line_id: report.amount for report in update.spend.all()}
        spend_fields = []
        for line in self.budget_lines:
            name = f"spent_{line.pk}"
            self.fields[name] = MoneyField(
                label=f"{line.item} (budget {pounds(line.amount)})",
                subject=f"amount spent on ‘{line.item[:60]}’",
                required=False,
                min_value=Decimal("0"),
            )
            self.fields[name].error_messages["min_value"] = (
                f"The amount spent on ‘{line.item[:60]}’ cannot be less than £0"
            )
            if not self.is_bound and line.pk in spent:
                self.initial[name] = spent[line.pk]
            spend_fields.append(Field.text(name, field_width=10))
        if not self.is_bound:
            self.initial.update(
                story=update.story,
                story_consent=update.story_consent,
                story_anonymous=update.story_anonymous
                if update.status != ProgressUpdate.Status.DUE
                else True,
                photo_description=update.photo_description,
                photo_consent=update.photo_consent,
                people_reached=update.people_reached,
                volunteer_hours=update.volunteer_hours,
            )
        if update.photo:
            self.fields[
                "photo"
            ].help_text = "You added a photo. Choose another only to replace it. JPG or PNG"
        else:
            self.fields[
                "photo"
            ].help_text = "A JPG or PNG of your project. Ask people before you photograph them"
        self.fields["volunteer_hours"].widget = number_input()
        self.fields["people_reached"].widget = number_input("numeric")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *layout,
            Fieldset(
                Field.textarea("story", rows=4, max_characters=3000),
                Field.checkbox("story_consent"),
                Field.checkbox("story_anonymous"),
                legend="A story",
                legend_size=Size.MEDIUM,
            ),
            Field("photo"),
            Field.text("photo_description"),
            Field.checkbox("photo_consent"),
            Field.text("people_reached", field_width=10),
            Field.text("volunteer_hours", field_width=10),
            *(
                [
                    Fieldset(
                        HTML(
                            '<p class="govuk-hint">Optional. In pounds, for each line of your budget, '
                            "what you spent since your last update.</p>"
                        ),
                        *spend_fields,
                        legend="What you spent (optional)",
                        legend_size=Size.MEDIUM,
                    )
                ]
                if spend_fields
                else []
            ),
            Button("submit", "Continue"),
            Button.secondary("later", "Save and come back later"),
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "goals": {
                goal.pk: GoalAnswer(
                    status=data.get(f"goal_{goal.pk}_status") or "",
                    value=data.get(f"goal_{goal.pk}_value"),
                    note=data.get(f"goal_{goal.pk}_note") or "",
                )
                for goal in self.goals
            },
            "story": data["story"],
            "story_consent": data["story_consent"],
            "story_anonymous": data["story_anonymous"],
            "photo": data.get("photo"),
            "photo_description": data.get("photo_description") or "",
            "photo_consent": data.get("photo_consent", False),
            "people_reached": data.get("people_reached"),
            "volunteer_hours": data.get("volunteer_hours"),
            "spend": {line.pk: data.get(f"spent_{line.pk}") for line in self.budget_lines},
        }


class ChangeGoalForm(GoalForm):
    """A goal as it will be from now on, with why it changed."""

    reason = BoundedText(
        label="Why are you changing tack?",
        subject="why you are changing tack",
        max_length=1000,
        widget=forms.Textarea,
        help_text="A sentence or two is enough: what you learned, what you will do instead",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.insert(
            len(self.helper.layout) - 1, Field.textarea("reason", rows=3, max_characters=1000)
        )
        # Nothing changes yet: the fund team sees it first.
        self.helper.layout[-1] = Button("submit", "Send to the fund team")


class RetireGoalForm(OneAnswerForm):
    answer_name = "reason"
    label = "Why are you stopping this goal?"
    subject = "why you are stopping this goal"
    hint = "What you reported on it is kept. The fund team sees this first: the goal stops when they agree"
    button = "Stop this goal"


class ObjectGoalChangeForm(OneAnswerForm):
    answer_name = "objection"
    label = "Why can the change not be agreed?"
    subject = "why the change cannot be agreed"
    hint = "The group reads this in its conversation with the fund team, and can answer there"
    button = "Do not agree"


class AcknowledgeForm(OneAnswerForm):
    answer_name = "comment"
    label = "A short comment back to the group (optional)"
    subject = "the comment"
    hint = "They see it on their investment page"
    button = "Mark as read"
    required = False
    rows = 2


class WithholdStoryForm(OneAnswerForm):
    answer_name = "reason"
    label = "Why is the story not to be published?"
    subject = "why the story is not to be published"
    hint = "The group reads this on its investment page"
    button = "Do not publish the story"
    rows = 2


class CloseForm(PlainForm):
    how = forms.ChoiceField(
        label="How is the investment ending?",
        choices=[*Investment.Outcome.choices, ("early", "It ended early")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the investment is ending"},
    )
    end_reason = BoundedText(
        label="If it ended early, why?",
        subject="why it ended early",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
        help_text="For the record",
    )
    lessons = BoundedText(
        label="Lessons learned (optional)",
        subject="the lessons learned",
        max_length=3000,
        required=False,
        widget=forms.Textarea,
        help_text="What the fund, or the next group, can learn from this one",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("how", legend_size=Size.SMALL),
            Field.textarea("end_reason", rows=2),
            Field.textarea("lessons", rows=3),
            button="Close the investment",
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("how") == "early" and not data.get("end_reason"):
            self.add_error("end_reason", "Say why the investment is ending early")
        return data


class PaymentForm(PlainForm):
    """Money paid against one tranche. When the award has conditions, finance confirms them."""

    paid_on = DayMonthYearField(label="Date paid", example="3 4 2027")
    amount = MoneyField(label="Amount paid", subject="amount paid")
    reference = BoundedText(
        label="Payment reference",
        subject="the payment reference",
        required_message="Enter the payment reference from the finance system",
        max_length=100,
        help_text="From the finance system, so the payment can be traced",
    )
    conditions_met = forms.BooleanField(
        label="The award's conditions for this payment are met", required=False
    )
    conditions_note = BoundedText(
        label="How do you know?",
        subject="how you know",
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        help_text="For example: the landowner's letter of 2 May, seen by the fund team",
    )

    def __init__(self, *args, conditions: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field("paid_on"),
            Field.text("amount", field_width=10),
            Field.text("reference", field_width=20),
        ]
        if conditions.strip():
            fields += [Field.checkbox("conditions_met"), Field.textarea("conditions_note", rows=2)]
        else:
            del self.fields["conditions_met"], self.fields["conditions_note"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields, Button("submit", "Record payment"))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "paid_on": data["paid_on"],
            "amount": data["amount"],
            "reference": data["reference"],
            "conditions_met": data.get("conditions_met", False),
            "conditions_note": data.get("conditions_note", ""),
        }


class ReverseEntryForm(OneAnswerForm):
    answer_name = "reason"
    label = "Why is this payment being reversed?"
    subject = "why the payment is being reversed"
    hint = "For example: typed £0.01 instead of £1,950. The entry stays in the ledger with its reversal"
    button = "Reverse the payment"
    rows = 2


class EvidenceForm(PlainForm):
    """The group's evidence that a condition of its award is met."""

    note = BoundedText(
        label="How is the condition met?",
        subject="how the condition is met",
        required_message="Say how the condition is met",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence = UploadField(label="A file that shows it (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = upload_hint()
        self.helper = form_helper(Field.textarea("note", rows=4), Field("evidence"), button="Send")


class AskAgainForm(OneAnswerForm):
    answer_name = "reason"
    label = "What more does the group need to send?"
    subject = "what more the group needs to send"
    hint = "The group reads this on its investment page"
    button = "Ask the group again"
    max_length = 2000


class ConditionForm(PlainForm):
    """An officer's new condition, holding back a tranche not yet paid."""

    text = BoundedText(
        label="The condition",
        subject="the condition",
        required_message="Write the condition the group must meet",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    payment = forms.TypedChoiceField(
        label="Which payment does it hold back?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the payment it holds back"},
    )

    def __init__(self, *args, payments, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "payment", forms.TypedChoiceField).choices = [
            (
                payment.number,
                f"Payment {payment.number}: {pounds(payment.amount)}, planned {payment.due_date:%-d %B %Y}",
            )
            for payment in payments
        ]
        self.helper = form_helper(
            Field.textarea("text", rows=3),
            Field.radios("payment", legend_size=Size.SMALL),
            button="Add the condition",
        )


class BankCheckForm(PlainForm):
    """Finance's check of a group's bank details by a second channel."""

    how = BoundedText(
        label="How did you check them?",
        subject="how you checked the bank details",
        max_length=500,
        widget=forms.Textarea,
        help_text="Not by replying to an email or calling a number the group has just given. For example: "
        "phoned the treasurer on the number in our records and read the details back",
    )
    confirm = forms.BooleanField(
        label="The details match what the group told me through that second channel",
        error_messages={"required": "Confirm the details match what the group told you"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("how", rows=3, max_characters=500),
            Field.checkbox("confirm"),
            button="Mark as checked",
        )


class MarkRunPaidForm(PlainForm):
    """Finance's word that the run left the council's bank, checked against its total."""

    paid_on = DayMonthYearField(label="Date paid", example=f"{timezone.localdate():%-d %-m %Y}")
    total = MoneyField(
        label="The run's total, as the finance system shows it",
        subject="run's total",
        help_text="Type it from the finance system, not from this page: it checks the file was paid whole",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("paid_on", legend_size=Size.SMALL),
            Field.text("total", field_width=10),
            button="Mark the run as paid",
        )


class AcceptOfferForm(PlainForm):
    signed_name = BoundedText(label="Your full name", subject="your full name", max_length=200)
    signed_position = BoundedText(
        label="Your position in the group",
        subject="your position in the group",
        max_length=100,
        help_text="For example, chair, secretary or treasurer",
    )
    agreed = forms.BooleanField(
        label="I accept the offer and its terms on behalf of the group",
        error_messages={"required": "Confirm that you accept the terms for the group"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_name"].error_messages["required"] = "Enter your full name, as you would sign it"
        self.fields["signed_position"].error_messages["required"] = (
            "Enter your position in the group, like chair or treasurer"
        )
        self.fields["signed_name"].widget.attrs["autocomplete"] = "name"
        self.fields["signed_position"].widget.attrs["autocomplete"] = "organization-title"
        self.helper = form_helper(
            Field.text("signed_name", field_width=20),
            Field.text("signed_position", field_width=20),
            Field.checkbox("agreed"),
            button="Accept the offer",
        )


class DeclineOfferForm(PlainForm):
    reason = BoundedText(
        label="Why is the group declining?",
        subject="why the group is declining",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The fund team reads this. The money goes back to the round for other groups.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = (
            "Say why the group is declining, so the fund can learn from it"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("reason", rows=3), Button.warning("decline", "Decline the offer")
        )
