"""Forms for the fund team (eligibility, reviewers, decisions) and the panel (interests, scores)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from assessment.models import Decision, PanelMeeting, Review
from assessment.scoring import criterion_points
from kit.fields import BoundedText, DayMonthYearField, MoneyField
from kit.forms import OneAnswerForm, PlainForm, form_field, form_helper, label_choices

if TYPE_CHECKING:
    from accounts.models import User


class EligibilityForm(PlainForm):
    outcome = forms.ChoiceField(
        label="Can this application go ahead?",
        choices=[
            ("eligible", "Yes, it is eligible"),
            ("send_back", "Not yet: the group needs to give more information"),
            ("ineligible", "No, it is not eligible"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the application can go ahead"},
    )
    message = BoundedText(
        label="Your message to the group",
        subject="your message to the group",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when it is not eligible or needs more information. The group reads this.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("message", rows=4),
            button="Save the check",
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") in ("ineligible", "send_back") and not data.get("message"):
            self.add_error(
                "message",
                "Say why it is not eligible"
                if data["outcome"] == "ineligible"
                else "Say what information is needed",
            )
        return data


class AssignReviewersForm(PlainForm):
    reviewers: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Choose reviewers",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one reviewer",
            "invalid_choice": "Choose reviewers from the list",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "reviewers", forms.ModelChoiceField).queryset = candidates
        label_choices(
            form_field(self, "reviewers", forms.ModelChoiceField), lambda person: person.get_full_name()
        )
        self.helper = form_helper(
            Field.checkboxes("reviewers", legend_size=Size.SMALL), button="Assign reviewers"
        )


class InterestForm(PlainForm):
    conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest with this application?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="For example: you are a member, trustee or employee of the group, or close to someone "
        "who is",
        error_messages={"required": "Say whether you have a conflict of interest"},
    )
    reason = BoundedText(
        label="If yes, what is the conflict?",
        subject="what the conflict is",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The fund team keeps this on record",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("conflict", legend_size=Size.MEDIUM, inline=True),
            Field.textarea("reason", rows=3),
            button="Continue",
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("conflict") and not data.get("reason"):
            self.add_error("reason", "Say what the conflict of interest is")
        return data


class ScoresForm(PlainForm):
    """One score and comment per published criterion, then an overall recommendation."""

    recommendation = forms.ChoiceField(
        label="Your recommendation",
        choices=Review.Recommendation.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose one of the recommendations"},
    )
    comment = BoundedText(
        label="Overall comment (optional)",
        subject="your overall comment",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shared with the fund team and, after they submit, the other reviewers",
    )

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.scores = list(review.scores.select_related("criterion"))
        total_weight = sum((score.criterion.weight for score in self.scores), Decimal(0))
        layout = []
        for score in self.scores:
            criterion = score.criterion
            name = f"score_{criterion.pk}"
            points = criterion_points(criterion.weight, total_weight)
            self.fields[name] = forms.TypedChoiceField(
                label=criterion.title,
                choices=[(str(value), str(value)) for value in range(criterion.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=(
                    f"{criterion.guidance} Weight {criterion.weight.normalize():f}: {points:f} of the 100 "
                    f"points. Score from 0 to {criterion.scale_max}."
                ).strip(),
                error_messages={
                    "invalid_choice": f"Score ‘{criterion.title}’ from 0 to {criterion.scale_max}"
                },
            )
            self.fields[f"comment_{criterion.pk}"] = BoundedText(
                label=f"Comment on ‘{criterion.title}’ (optional)",
                subject="your comment",
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="What led to your score",
            )
            if not self.is_bound:
                self.initial[name] = None if score.score is None else str(score.score)
                self.initial[f"comment_{criterion.pk}"] = score.comment
            layout.append(
                Fieldset(
                    Field.radios(name, legend_size=Size.SMALL, inline=True),
                    Field.textarea(f"comment_{criterion.pk}", rows=2),
                )
            )
        if not self.is_bound:
            self.initial["recommendation"] = review.recommendation
            self.initial["comment"] = review.comment
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *layout,
            Field.radios("recommendation", legend_size=Size.MEDIUM),
            Field.textarea("comment", rows=4),
            Button("submit_scores", "Submit scores"),
            Button.secondary("save_draft", "Save as a draft"),
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {
                score.criterion_id: (
                    data.get(f"score_{score.criterion_id}"),
                    data.get(f"comment_{score.criterion_id}", ""),
                )
                for score in self.scores
            },
            "recommendation": data.get("recommendation") or "",
            "comment": data.get("comment", ""),
        }


class ReopenForm(OneAnswerForm):
    answer_name = "reason"
    label = "Why are the scores being reopened?"
    subject = "why the scores are being reopened"
    hint = "Kept in the application's history"
    button = "Reopen the scores"
    max_length = 500
    rows = 0


class DecisionForm(PlainForm):
    # The decisions the group must be told why about.
    feedback_needed: tuple[str, ...] = (Decision.Outcome.DECLINE, Decision.Outcome.DEFER)

    outcome = forms.ChoiceField(
        label="Decision",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    amount = MoneyField(
        label="Amount to award",
        subject="amount to award",
        required=False,
        help_text="It may be less than the group asked for",
    )
    start_date = DayMonthYearField(
        label="Investment start date (optional)",
        subject="investment start date",
        required=False,
        help_text="Leave it empty to start on the day the decision reaches the group. For example, 1 4 2027",
    )
    conditions = BoundedText(
        label="Conditions (optional)",
        subject="the conditions",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the first payment waits until the partnership agreement is signed",
    )
    partnership_required = forms.BooleanField(label="It depends on working in partnership", required=False)
    mentor_required = forms.BooleanField(label="The group gets a named mentor", required=False)
    feedback = BoundedText(
        label="Feedback for the group",
        subject="the feedback for the group",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when you decline or defer: what the group reads in the email and on its "
        "application",
    )
    reason = BoundedText(
        label="Reason, for the record (optional)",
        subject="the reason",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Staff see this in the history; the group does not",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Fieldset(
                Field.text("amount", field_width=10),
                Field("start_date"),
                Field.textarea("conditions", rows=3),
                Field.checkbox("partnership_required"),
                Field.checkbox("mentor_required"),
                legend="If you award",
                legend_size=Size.SMALL,
            ),
            Field.textarea("feedback", rows=4),
            Field.textarea("reason", rows=3),
            button="Record the decision",
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        outcome = data.get("outcome")
        if outcome and outcome != Decision.Outcome.AWARD:
            # What is typed under "If you award" does not matter for another decision.
            for name in ("amount", "start_date"):
                self.errors.pop(name, None)
                data[name] = None
        start = data.get("start_date")
        today = timezone.localdate()
        if outcome == Decision.Outcome.AWARD and start is not None:
            if start < today - timedelta(days=365):
                self.add_error("start_date", "The investment start date can be up to a year ago at most")
            elif start > today + timedelta(days=730):
                self.add_error("start_date", "The investment start date can be up to two years ahead at most")
        if outcome == Decision.Outcome.AWARD and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Enter the amount to award")
        if outcome in self.feedback_needed and not data.get("feedback") and "feedback" not in self.errors:
            self.add_error("feedback", "Write the feedback the group will read")
        return data


class MeetingForm(PlainForm):
    held_on = DayMonthYearField(
        label="Date of the meeting", subject="date of the meeting", example="12 3 2027"
    )
    attendees = BoundedText(
        label="Who was there",
        subject="who was there",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Names and roles, for the minutes. Conflicts of interest come from the panel's "
        "declarations.",
    )
    notes = BoundedText(
        label="Other notes for the minutes (optional)",
        subject="the notes",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, button: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("held_on"),
            Field.textarea("attendees", rows=3),
            Field.textarea("notes", rows=4),
            button=button,
        )


class MeetingDecisionForm(DecisionForm):
    """The meeting's decision on one application: as an officer's alone, and a deferral names the
    later meeting that will decide it."""

    deferred_to: forms.ModelChoiceField[PanelMeeting] = forms.ModelChoiceField(
        label="Which meeting will decide it?",
        queryset=None,
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Choose one of this round's later meetings",
        },
    )

    def __init__(self, *args, later=None, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "outcome", forms.ChoiceField).choices = [
            (Decision.Outcome.AWARD, "Award (the amount may be less, with conditions)"),
            (Decision.Outcome.DECLINE, "Decline, with feedback"),
        ] + ([(Decision.Outcome.DEFER, "Defer to a later meeting")] if later.exists() else [])
        form_field(self, "deferred_to", forms.ModelChoiceField).queryset = later
        label_choices(
            form_field(self, "deferred_to", forms.ModelChoiceField),
            lambda meeting: f"{meeting.held_on:%-d %B %Y}",
        )
        self.fields[
            "feedback"
        ].help_text = "Needed when you decline: what the group reads once the decisions are released"
        self.helper = form_helper(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Fieldset(
                Field.text("amount", field_width=10),
                Field("start_date"),
                Field.textarea("conditions", rows=3),
                Field.checkbox("partnership_required"),
                Field.checkbox("mentor_required"),
                legend="If you award",
                legend_size=Size.SMALL,
            ),
            Fieldset(Field.radios("deferred_to"), legend="If you defer", legend_size=Size.SMALL)
            if later.exists()
            else HTML(
                '<p class="govuk-body">To defer an application, arrange the later meeting first: '
                "this round has none after this one.</p>"
            ),
            Field.textarea("feedback", rows=4),
            Field.textarea("reason", rows=3),
            button="Record the decision",
        )

    feedback_needed = (Decision.Outcome.DECLINE,)  # a deferral says when instead

    def clean(self):
        data = super().clean()
        deferring = data.get("outcome") == Decision.Outcome.DEFER
        if deferring and data.get("deferred_to") is None and "deferred_to" not in self.errors:
            self.add_error("deferred_to", "Choose the later meeting that will decide it")
        return data
