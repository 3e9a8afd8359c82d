"""The forms of the question builder, and the form a group answers a section of questions in."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms

from fund.models import Round, Tier
from kit.fields import BoundedText, number_input
from kit.forms import PlainForm, form_field, form_helper, label_choices
from questions.answering import answer_field, initial, layout_field, stored
from questions.models import LIST_KINDS, NO, STOPPING_KINDS, YES, Kind, Placement, Question, QuestionWording

MOST_OPTIONS = 30
OPTION_LENGTH = 200
MOST_WORDS = 5000

COMPLETED_CHOICES = [("yes", "Yes, I’ve completed this section"), ("no", "No, I’ll come back to it later")]


# --- What a group answers --------------------------------------------------------------------------


class AnswerForm(PlainForm):
    """A section of a round's own questions. Answers may be left out while drafting; saying the
    section is complete asks for every required one."""

    completed = forms.TypedChoiceField(
        label="Have you completed this section?",
        choices=COMPLETED_CHOICES,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you have completed this section"},
    )

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        saved: dict[int, Any] | None = None,
        files: dict[int, str] | None = None,
        ask_completed: bool = True,
        **kwargs: Any,
    ) -> None:
        saved = saved or {}
        self.questions = questions
        # The files already given: a file question with one is answered until it is replaced.
        self.files_given = files or {}
        kwargs.setdefault(
            "initial",
            {question.field_name: initial(question, saved.get(question.pk)) for question in questions},
        )
        super().__init__(*args, **kwargs)
        completed = self.fields.pop("completed")
        for question in questions:
            field = answer_field(question, required=False)
            if question.kind == Kind.FILE and question.pk in self.files_given:
                field.help_text = (
                    f"You have given {self.files_given[question.pk]}. Choose a file only to replace it."
                )
            self.fields[question.field_name] = field
            if question.kind == Kind.FILE and question.pk in self.files_given and not question.required:
                # An optional file can be taken back, not only replaced.
                self.fields[f"{question.field_name}_remove"] = forms.BooleanField(
                    label=f"Remove {self.files_given[question.pk]}", required=False
                )
        boxes = []
        for question in questions:
            boxes.append(layout_field(question, question.field_name))
            if f"{question.field_name}_remove" in self.fields:
                boxes.append(Field.checkbox(f"{question.field_name}_remove"))
        if ask_completed:
            self.fields["completed"] = completed
            self.helper = form_helper(
                *boxes,
                Field.radios("completed", legend_size=Size.MEDIUM),
                secondary="Save and come back later",
            )
        else:
            # The questions that decide who can apply: answering them is completing them.
            self.helper = form_helper(*boxes, button="Continue")
        self.ask_completed = ask_completed

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.ask_completed:
            data["completed"] = True
        if data.get("completed"):
            for question in self.questions:
                name = question.field_name
                given = data.get(name) not in (None, "", []) or (
                    question.pk in self.files_given and not data.get(f"{name}_remove")
                )
                if question.required and name not in self.errors and not given:
                    self.add_error(name, answer_field(question, required=True).error_messages["required"])
        return data

    def answers(self) -> dict[int, Any]:
        """Each question's answer as it is kept, by question (files aside)."""
        return {
            question.pk: stored(question, self.cleaned_data.get(question.field_name))
            for question in self.questions
            if question.kind != Kind.FILE
        }

    def removals(self) -> set[int]:
        """The optional files the group took back (a new file chosen as well wins)."""
        return {
            question.pk
            for question in self.questions
            if self.cleaned_data.get(f"{question.field_name}_remove")
            and not self.cleaned_data.get(question.field_name)
        }

    def uploads(self) -> dict[int, Any]:
        return {
            question.pk: self.cleaned_data[question.field_name]
            for question in self.questions
            if question.kind == Kind.FILE and self.cleaned_data.get(question.field_name)
        }


# --- The builder ---------------------------------------------------------------------------------


class SectionForm(PlainForm):
    title = BoundedText(
        label="Section title",
        subject="the section's title",
        max_length=100,
        help_text="Groups see it in their task list, for example ‘About your venue’",
    )
    hint = BoundedText(
        label="What the section is about (optional)",
        subject="what the section is about",
        max_length=200,
        required=False,
        help_text="Shown under the title in the task list",
    )
    placement = forms.ChoiceField(
        label="Where does it come in the application?",
        choices=Placement.choices,
        widget=forms.RadioSelect,
        initial=Placement.IDEA,
        error_messages={"required": "Choose where the section comes in the application"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("title"),
            Field.text("hint"),
            Field.radios("placement", legend_size=Size.SMALL),
            button="Save",
        )


class KindForm(PlainForm):
    kind = forms.ChoiceField(
        label="What kind of answer does the question ask for?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of answer the question asks for"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.radios("kind", legend_size=Size.MEDIUM), button="Continue")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class WordingForm(PlainForm):
    """What a question asks, for one kind of question: only the settings that kind has."""

    label = BoundedText(label="Question", subject="the question", max_length=300)
    hint = BoundedText(
        label="Hint (optional)",
        subject="the hint",
        max_length=500,
        required=False,
        help_text="Help to answer it, shown under the question",
    )
    required = forms.TypedChoiceField(
        label="Must groups answer it?",
        choices=[("yes", "Yes, it must be answered"), ("no", "No, it is optional")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": "Choose whether groups must answer the question"},
    )
    word_limit = forms.IntegerField(
        label="Word limit",
        min_value=1,
        max_value=MOST_WORDS,
        widget=number_input("numeric"),
        help_text="The most words an answer may have, for example 250",
        error_messages={
            "required": "Enter a word limit, like 250",
            "invalid": "Enter the word limit as a whole number, like 250",
            "min_value": "The word limit must be at least 1",
            "max_value": f"The word limit must be {MOST_WORDS:,} or less",
        },
    )
    options = BoundedText(
        label="The answers to choose from",
        subject="the answers to choose from",
        max_length=MOST_OPTIONS * (OPTION_LENGTH + 2),
        widget=forms.Textarea,
        help_text="One on each line, in the order groups will see them",
        required_message="Enter the answers to choose from, one on each line",
    )
    stops_on = forms.ChoiceField(
        label="Does an answer stop the application?",
        choices=[("", "No, neither answer stops it"), (YES, "Yes stops it"), (NO, "No stops it")],
        widget=forms.RadioSelect,
        required=False,
        help_text="Use this to check, at the start, that a group can apply",
    )
    stopping_options = BoundedText(
        label="Answers that stop the application (optional)",
        subject="the answers that stop the application",
        max_length=MOST_OPTIONS * (OPTION_LENGTH + 2),
        widget=forms.Textarea,
        required=False,
        help_text="Copy them from the list above, one on each line. Leave it empty if no answer stops it",
    )
    stop_reason = BoundedText(
        label="What the group is told when its answer stops it",
        subject="what the group is told",
        max_length=1000,
        required=False,
        widget=forms.Textarea,
        help_text="For example: This fund is for groups based in Wigan.",
    )
    personal_data = forms.BooleanField(
        label="The answer is personal data (a name, a date of birth, contact details)",
        required=False,
        help_text=(
            "Removed with the group's other personal data when an unsuccessful application is no longer kept"
        ),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != Kind.LONG_TEXT:
            del self.fields["word_limit"]
        if kind not in LIST_KINDS:
            del self.fields["options"]
        if kind != Kind.YES_NO:
            del self.fields["stops_on"]
        if kind != Kind.ONE_OF:
            del self.fields["stopping_options"]
        if kind not in STOPPING_KINDS:
            del self.fields["stop_reason"]
        layout = {
            "label": Field.text("label"),
            "hint": Field.text("hint"),
            "required": Field.radios("required", legend_size=Size.SMALL, inline=True),
            "word_limit": Field.text("word_limit", field_width=5),
            "options": Field.textarea("options", rows=6),
            "stops_on": Field.radios("stops_on", legend_size=Size.SMALL),
            "stopping_options": Field.textarea("stopping_options", rows=3),
            "stop_reason": Field.textarea("stop_reason", rows=3),
            "personal_data": Field.checkbox("personal_data"),
        }
        self.layout_names = [name for name in layout if name in self.fields]
        self.helper = form_helper(*(layout[name] for name in self.layout_names), button="Save")

    @classmethod
    def initial_for(cls, question: QuestionWording) -> dict[str, Any]:
        return {
            "label": question.label,
            "hint": question.hint,
            "required": "yes" if question.required else "no",
            "word_limit": question.word_limit,
            "options": "\n".join(question.options),
            "stops_on": question.stopping_answers[0]
            if question.kind == Kind.YES_NO and question.stopping_answers
            else "",
            "stopping_options": "\n".join(question.stopping_answers),
            "stop_reason": question.stop_reason,
            "personal_data": question.personal_data,
        }

    def clean_options(self) -> list[str]:
        options = _lines(self.cleaned_data["options"])
        if len(options) < 2:
            raise forms.ValidationError("Give at least 2 answers to choose from, one on each line")
        if len(options) > MOST_OPTIONS:
            raise forms.ValidationError(f"Give no more than {MOST_OPTIONS} answers to choose from")
        for option in options:
            if len(option) > OPTION_LENGTH:
                raise forms.ValidationError(
                    f"Each answer to choose from must be {OPTION_LENGTH} characters or fewer: "
                    f"‘{option[:40]}…’ is longer"
                )
        seen: set[str] = set()
        for option in options:
            if option.casefold() in seen:
                raise forms.ValidationError(f"‘{option}’ is in the list twice: give each answer once")
            seen.add(option.casefold())
        return options

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        stopping: list[str] = []
        if self.kind == Kind.YES_NO and data.get("stops_on"):
            stopping = [data["stops_on"]]
        if self.kind == Kind.ONE_OF:
            stopping = _lines(data.get("stopping_options", ""))
            options = data.get("options")
            if options is not None:
                for answer in stopping:
                    if answer not in options:
                        self.add_error(
                            "stopping_options",
                            f"‘{answer}’ is not one of the answers to choose from: "
                            "copy it from the list exactly",
                        )
                if stopping and not set(options) - set(stopping):
                    self.add_error(
                        "stopping_options",
                        "At least one answer must let a group carry on with its application",
                    )
        if self.kind in STOPPING_KINDS:
            if stopping and not data.get("stop_reason") and "stop_reason" not in self.errors:
                self.add_error("stop_reason", "Say why the application stops, in words the group will read")
            if stopping and data.get("required") is False:
                self.add_error(
                    "required",
                    "A question whose answer stops an application must be answered: choose ‘Yes, it must be "
                    "answered’",
                )
            if (
                data.get("stop_reason")
                and not stopping
                and not {"stopping_options", "stops_on"} & set(self.errors)
            ):
                field = "stops_on" if self.kind == Kind.YES_NO else "stopping_options"
                self.add_error(
                    field, "Choose the answer that stops an application, or leave the reason empty"
                )
        data["stopping_answers"] = stopping
        return data

    def wording(self) -> dict[str, Any]:
        """The question's settings, from the answers, as the services take them."""
        data = self.cleaned_data
        return {
            "kind": self.kind,
            "label": data["label"],
            "hint": data.get("hint", ""),
            "required": data["required"],
            "word_limit": data.get("word_limit"),
            "options": data.get("options", []),
            "stopping_answers": data.get("stopping_answers", []),
            "stop_reason": data.get("stop_reason", "") if data.get("stopping_answers") else "",
            "personal_data": data.get("personal_data", False),
        }


class QuestionForm(WordingForm):
    """A round's question: its wording and the tiers that see it."""

    tiers = forms.ModelMultipleChoiceField(
        queryset=Tier.objects.none(),
        label="Which kinds of investment does it ask? (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked to ask every kind",
    )

    def __init__(self, *args: Any, kind: str, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, kind=kind, **kwargs)
        tiers = form_field(self, "tiers", forms.ModelMultipleChoiceField)
        tiers.queryset = round.fund.tiers.all()
        label_choices(tiers, lambda tier: f"{tier.name} ({tier.band_label.lower()})")
        self.helper = form_helper(
            *(self.helper.layout.fields[: len(self.layout_names)]),
            Field.checkboxes("tiers", legend_size=Size.SMALL),
            button="Save",
        )


class CorrectionForm(PlainForm):
    """A locked question: the wording and hint may be put right, nothing more."""

    label = WordingForm.base_fields["label"]
    hint = WordingForm.base_fields["hint"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("label"), Field.text("hint"), button="Save the correction")


class CopyForm(PlainForm):
    source = forms.ModelChoiceField(
        queryset=Round.objects.none(),
        label="Which round's questions do you want to copy?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the round to copy the questions from",
            "invalid_choice": "Choose one of the rounds listed",
        },
    )

    def __init__(self, *args: Any, rounds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = form_field(self, "source", forms.ModelChoiceField)
        source.queryset = rounds
        label_choices(source, lambda round: round.name)
        self.helper = form_helper(Field.radios("source", legend_size=Size.SMALL), button="Copy the questions")
