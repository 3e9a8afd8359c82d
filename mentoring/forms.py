"""Forms for naming mentors and for their notes and concerns."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from kit.fields import BoundedText, DayMonthYearField
from kit.forms import OneAnswerForm, PlainForm, form_field, form_helper
from mentoring.models import Note


def describe(suggestion) -> str:
    """e.g. 'Martin Mentor: 1 place and 2 themes in common, 1 of 3 investments'."""
    places = f"{suggestion.place_matches} place{'s' if suggestion.place_matches != 1 else ''}"
    themes = f"{suggestion.expertise_matches} theme{'s' if suggestion.expertise_matches != 1 else ''}"
    load = f"{suggestion.current} of {suggestion.capacity} investments" + (
        " (full)" if suggestion.full else ""
    )
    return f"{suggestion.mentor.get_full_name()}: {places} and {themes} in common, {load}"


class AssignMentorForm(PlainForm):
    mentor = forms.ChoiceField(
        label="Choose a mentor",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a mentor", "invalid_choice": "Choose one of the mentors listed"},
    )
    override_reason = BoundedText(
        label="If they are at capacity, why should they take this one? (optional)",
        subject="why they should take one more",
        max_length=1000,
        required=False,
        widget=forms.Textarea,
        help_text="Needed only for a mentor who already has as many investments as they can take",
    )

    def __init__(self, *args, suggestions, changing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = {str(s.mentor.pk): s for s in suggestions}
        form_field(self, "mentor", forms.ChoiceField).choices = [
            (str(s.mentor.pk), describe(s)) for s in suggestions
        ]
        self.helper = form_helper(
            Field.radios("mentor", legend_size=Size.SMALL),
            Field.textarea("override_reason", rows=2),
            button="Change mentor" if changing else "Assign mentor",
        )

    def clean_mentor(self):
        return self.suggestions[self.cleaned_data["mentor"]].mentor


class NoteForm(PlainForm):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=Note.Kind.choices,
        widget=forms.RadioSelect,
        initial=Note.Kind.NOTE,
        error_messages={"required": "Choose a meeting or a note"},
    )
    met_on = DayMonthYearField(label="Date of the meeting (optional)", required=False, example="12 3 2027")
    text = BoundedText(
        label="Your note",
        subject="the note",
        max_length=5000,
        widget=forms.Textarea,
        help_text="Keep it short: what was discussed, what was agreed",
    )
    visibility = forms.ChoiceField(
        label="Who can read it?",
        choices=Note.Visibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who can read the note"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field("met_on"),
            Field.textarea("text", rows=4),
            Field.radios("visibility", legend_size=Size.SMALL),
            button="Save note",
        )


class ConcernForm(OneAnswerForm):
    label = "What is the concern?"
    subject = "what the concern is"
    hint = "The fund team sees it on their dashboard until it is resolved"
    button = "Raise the concern"
    max_length = 2000


class ResolveConcernForm(OneAnswerForm):
    answer_name = "resolution"
    label = "How was it resolved?"
    subject = "how the concern was resolved"
    hint = "Kept with the concern"
    button = "Mark as resolved"
    max_length = 2000
    rows = 2
