"""An application's part in its round's own questions: which sections and questions it is asked,
the answers it has given, what is missing and which answers stop it.

Each is read once per application object (two queries however many questions a round asks), so the
task list, check your answers and the officer's page cost the same for one question or fifty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q

from applications.models import Answer, Application
from questions.answering import answer_problems, readable
from questions.answering import stopping as stopping_answer
from questions.models import Question, QuestionSection, seen_by


@dataclass(frozen=True)
class OwnSection:
    section: QuestionSection
    questions: list[Question]

    @property
    def slug(self) -> str:
        return self.section.slug


def _asked(application: Application) -> Q:
    """The questions this application answers: current ones its tier sees, and, once it has been
    sent, only those it was asked: current ones that existed when it was sent, and those it
    answered that were replaced or removed after (a question added since is not its to answer).
    An answer to a question of another tier (given before the amount changed), or to one replaced
    while the group was still writing, is kept, not shown."""
    now = Q(retired_at=None) & seen_by(application.tier_id)
    if application.is_editable or application.submitted_at is None:
        return now
    sent = application.submitted_at
    answered = Answer.objects.filter(application=application).values("question_id")
    return (now & Q(created_at__lte=sent)) | Q(retired_at__gt=sent, pk__in=answered)


def asked_of(question: Question, application: Application, tier_ids: set[int]) -> bool:
    """The rule of ``_asked`` for one question already in hand (with the ids of its tiers), as a
    spreadsheet of many applications reads it."""
    sent = None if application.is_editable else application.submitted_at
    if question.retired_at is None:
        return (not tier_ids or application.tier_id in tier_ids) and (
            sent is None or question.created_at <= sent
        )
    return sent is not None and question.retired_at > sent


def own_sections(application: Application) -> list[OwnSection]:
    """The round's sections this application is asked, in order, each with its questions."""
    cached = getattr(application, "_own_sections", None)
    if cached is not None:
        return cached
    sections = QuestionSection.objects.filter(round=application.round_id).prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.filter(_asked(application)).order_by("position", "pk"),
            to_attr="asked",
        )
    )
    found = [OwnSection(section, list(section.asked)) for section in sections if section.asked]
    application._own_sections = found  # type: ignore[attr-defined]
    return found


def answers_of(application: Application) -> dict[int, Answer]:
    """The application's answers to its round's questions, by question."""
    cached = getattr(application, "_answers_given", None)
    if cached is not None:
        return cached
    found = {answer.question_id: answer for answer in application.question_answers.select_related("document")}
    application._answers_given = found  # type: ignore[attr-defined]
    return found


def forget(application: Application) -> None:
    """After a change: the next read looks again."""
    for name in ("_own_sections", "_answers_given"):
        application.__dict__.pop(name, None)


def is_given(answer: Answer | None) -> bool:
    return answer is not None and (answer.value not in (None, "", []) or answer.document_id is not None)


def value_of(answer: Answer | None) -> Any:
    return None if answer is None else answer.value


@dataclass(frozen=True)
class Stop:
    question: Question
    answer: Any

    @property
    def reason(self) -> str:
        return self.question.stop_reason


def stopping(application: Application, section: OwnSection | None = None) -> list[Stop]:
    """Each answer that stops the application (in ``section``, or in any), with its question."""
    given = answers_of(application)
    chosen = [section] if section else own_sections(application)
    return [
        Stop(question, value_of(given.get(question.pk)))
        for own in chosen
        for question in own.questions
        if stopping_answer(question, value_of(given.get(question.pk)))
    ]


def stops(application: Application, section: OwnSection | None = None) -> list[str]:
    """What the group is told for each answer that stops its application."""
    return [stop.reason for stop in stopping(application, section)]


def problems(application: Application, own: OwnSection) -> list[str]:
    given = answers_of(application)
    found = []
    for question in own.questions:
        if question.retired_at is not None:
            continue
        answer = given.get(question.pk)
        if not is_given(answer):
            if question.required:
                found.append(f"Answer ‘{question.label}’")
            continue
        # A question changed since it was answered (its list, its word limit) asks again.
        found += answer_problems(question, value_of(answer))
    return found + stops(application, own)


def has_data(application: Application, own: OwnSection) -> bool:
    given = answers_of(application)
    return any(is_given(given.get(question.pk)) for question in own.questions)


def rows(application: Application, own: OwnSection) -> list[dict[str, Any]]:
    """Each question and its answer as people read them; ``personal`` marks what the retention
    policy removes."""
    given = answers_of(application)
    found = []
    for question in own.questions:
        answer = given.get(question.pk)
        found.append(
            {
                "question": question.label,
                "answer": readable(
                    question.kind,
                    value_of(answer),
                    answer.document.original_name if answer and answer.document else "",
                ),
                **({"personal": True} if question.personal_data else {}),
            }
        )
    return found
