"""Building a round's own questions: sections, questions, their order, versions, copies and the
fund's library. Every change locks the round's row first, so two officers working on the same
round at once each see the other's change (positions never collide, a lock is never missed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fund.models import Round, Tier
from kit.errors import RuleError
from questions.models import LibraryQuestion, Placement, Question, QuestionSection

# How alike a corrected question must be to the one groups answered: a typo, not a new question.
CORRECTION_LIKENESS = 0.8
LOCKED = (
    "Applications have been sent in this round, so this question can no longer be changed: "
    "make a new version of it instead. Sent answers keep the question as it was asked."
)


def is_locked(round: Round) -> bool:
    """A round's questions are locked once it has a sent application."""
    application = apps.get_model("applications", "Application")
    return application.objects.filter(round=round, submitted_at__isnull=False).exists()


def groups_writing(round: Round) -> int:
    """How many applications in the round are being written (drafts, and those sent back): a
    question added or changed now is asked of them too."""
    application = apps.get_model("applications", "Application")
    return application.objects.filter(round=round, status__in=application.EDITABLE).count()


def _lock(round: Round) -> Round:
    return Round.objects.select_for_update().get(pk=round.pk)


def _answered(**where: object) -> bool:
    """Whether any application answered the questions ``where`` picks (by their own fields)."""
    answer = apps.get_model("applications", "Answer")
    return answer.objects.filter(**{f"question__{name}": value for name, value in where.items()}).exists()


def _title_problems(round: Round, title: str, section: QuestionSection | None) -> None:
    others = round.question_sections.filter(retired_at=None, title__iexact=title)
    if section is not None:
        others = others.exclude(pk=section.pk)
    if others.exists():
        raise RuleError(
            {"title": f"This round already has a section called ‘{title}’: give it another title"}
        )


@transaction.atomic
def save_section(
    *, round: Round, section: QuestionSection | None = None, title: str, hint: str, placement: str
) -> QuestionSection:
    round = _lock(round)
    _title_problems(round, title, section)
    if section is None:
        last = round.question_sections.aggregate(last=Max("position"))["last"]
        section = QuestionSection(round=round, position=(last or 0) + 1)
    section.title, section.hint, section.placement = title, hint, Placement(placement)
    section.save()
    return section


@transaction.atomic
def remove_section(*, section: QuestionSection) -> None:
    """Gone at once while nothing in it was answered; otherwise asked no more, kept for its answers."""
    _lock(section.round)
    if not _answered(section=section):
        section.questions.update(replaces=None)  # a version chain, all unanswered, goes with it
        section.delete()
        return
    now = timezone.now()
    section.questions.filter(retired_at=None).update(retired_at=now)
    section.retired_at = now
    section.save(update_fields=["retired_at"])


def _label_problems(round: Round, label: str, *, besides: Question | None = None) -> None:
    """One wording once in a round: two questions asking the same read as one in every list and
    spreadsheet of answers."""
    same = Question.objects.current().filter(
        section__round=round, section__retired_at=None, label__iexact=label
    )
    if besides is not None:
        same = same.exclude(pk=besides.pk)
    if (other := same.select_related("section").first()) is not None:
        raise RuleError(
            {"label": [f"This round already asks ‘{label}’, in ‘{other.section.title}’: ask it once"]}
        )


def _next_position(section: QuestionSection) -> int:
    return (section.questions.aggregate(last=Max("position"))["last"] or 0) + 1


def _tiers_problems(round: Round, tiers: list[Tier]) -> None:
    if any(tier.fund_id != round.fund_id for tier in tiers):
        raise RuleError({"tiers": "Choose tiers of this round's fund"})


@transaction.atomic
def add_question(*, section: QuestionSection, wording: dict[str, Any], tiers: list[Tier]) -> Question:
    _lock(section.round)
    _tiers_problems(section.round, tiers)
    _label_problems(section.round, wording["label"])
    question = Question.objects.create(section=section, position=_next_position(section), **wording)
    question.tiers.set(tiers)
    return question


@transaction.atomic
def change_question(*, question: Question, wording: dict[str, Any], tiers: list[Tier]) -> Question:
    """Change anything about a question no group has sent an answer to."""
    round = _lock(question.section.round)
    if is_locked(round):
        raise RuleError(LOCKED)
    _tiers_problems(round, tiers)
    _label_problems(round, wording["label"], besides=question)
    for name, value in wording.items():
        setattr(question, name, value)
    question.save()
    question.tiers.set(tiers)
    return question


def _alike(old: str, new: str) -> float:
    return SequenceMatcher(None, old.casefold(), new.casefold()).ratio()


def correction_problems(question: Question, label: str) -> list[str]:
    """A locked question may have its typos put right, not its words changed: the same words, in
    the same order, each no more than a slip of the keyboard away ("Wigna" for "Wigan"), and the
    whole at least ``CORRECTION_LIKENESS`` alike. "in" becoming "outside", or a "not" added, asks
    something else, which sent answers did not answer."""
    old_words, new_words = re.findall(r"\w+", question.label), re.findall(r"\w+", label)
    slips = len(old_words) == len(new_words) and all(
        _alike(old, new) >= 0.5 for old, new in zip(old_words, new_words, strict=True)
    )
    if not slips or _alike(question.label, label) < CORRECTION_LIKENESS:
        return [
            "Applications have been sent, so only a typo in the question can be put right here: the same "
            "words, in the same order. To ask something different, make a new version of the question"
        ]
    return []


@transaction.atomic
def correct_question(*, question: Question, label: str, hint: str) -> Question:
    """Put right a question's wording or hint. Once the round is locked, only a small change."""
    round = _lock(question.section.round)
    if is_locked(round) and (problems := correction_problems(question, label)):
        raise RuleError({"label": problems})
    _label_problems(round, label, besides=question)
    question.label, question.hint = label, hint
    question.save(update_fields=["label", "hint"])
    return question


@transaction.atomic
def new_version(*, question: Question, wording: dict[str, Any], tiers: list[Tier]) -> Question:
    """A new question in the old one's place. Groups still writing answer the new one; the old one
    stays with the answers already given to it."""
    round = _lock(question.section.round)
    _tiers_problems(round, tiers)
    _label_problems(round, wording["label"], besides=question)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.retired_at is not None:
        raise RuleError("This question has already been replaced or removed.")
    question.retired_at = timezone.now()
    question.save(update_fields=["retired_at"])
    replacement = Question.objects.create(
        section=question.section, position=question.position, replaces=question, **wording
    )
    replacement.tiers.set(tiers)
    return replacement


@transaction.atomic
def remove_question(*, question: Question) -> None:
    """Gone at once if nobody answered it; otherwise asked no more, kept with its answers."""
    _lock(question.section.round)
    if _answered(pk=question.pk):
        question.retired_at = timezone.now()
        question.save(update_fields=["retired_at"])
    else:
        question.delete()


@transaction.atomic
def move_question(*, question: Question, by: int) -> None:
    """Move a question one place up (-1) or down (+1) among its section's current questions."""
    _lock(question.section.round)
    siblings = list(question.section.questions.current())
    index = next(number for number, sibling in enumerate(siblings) if sibling.pk == question.pk)
    target = index + by
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


@dataclass(frozen=True)
class Copied:
    added: int
    already: int


@transaction.atomic
def copy_questions(*, source: Round, target: Round) -> Copied:
    """Copy the current sections and questions of ``source`` into ``target``. A section of the same
    title takes the questions it lacks, and a question ``target`` asks already is left: copying
    twice adds nothing the second time."""
    if source.fund_id != target.fund_id:
        raise RuleError("Questions can be copied only between rounds of the same fund.")
    if source.pk == target.pk:
        raise RuleError({"source": "Choose another round to copy the questions from"})
    target = _lock(target)
    sections = {
        section.title.casefold(): section for section in target.question_sections.filter(retired_at=None)
    }
    asked = {
        label.casefold()
        for label in Question.objects.current()
        .filter(section__round=target, section__retired_at=None)
        .values_list("label", flat=True)
    }
    position = target.question_sections.aggregate(last=Max("position"))["last"] or 0
    added = already = 0
    next_position: dict[int, int] = {}  # by section copied into: each read once, then counted on
    copying = source.question_sections.filter(retired_at=None).prefetch_related("questions__tiers")
    for section in copying:
        questions = [question for question in section.questions.all() if question.retired_at is None]
        if not questions:
            continue
        copy = sections.get(section.title.casefold())
        if copy is None:
            position += 1
            copy = QuestionSection.objects.create(
                round=target,
                title=section.title,
                hint=section.hint,
                placement=section.placement,
                position=position,
            )
            sections[section.title.casefold()] = copy
        if copy.pk not in next_position:
            next_position[copy.pk] = _next_position(copy)
        for question in questions:
            if question.label.casefold() in asked:
                already += 1
                continue
            new = Question.objects.create(section=copy, position=next_position[copy.pk], **question.wording())
            next_position[copy.pk] += 1
            new.tiers.set(question.tiers.all())
            asked.add(question.label.casefold())
            added += 1
    if not added and not already:
        raise RuleError({"source": "That round asks no questions of its own to copy"})
    return Copied(added, already)


@transaction.atomic
def save_to_library(*, question: Question) -> LibraryQuestion:
    """Keep the question in its fund's library (a question of the same wording is updated)."""
    fund = question.section.round.fund
    entry, _ = LibraryQuestion.objects.update_or_create(
        fund=fund, label=question.label, defaults=question.wording()
    )
    return entry


def in_library(question: Question) -> bool:
    return LibraryQuestion.objects.filter(fund=question.section.round.fund_id, label=question.label).exists()


@transaction.atomic
def add_from_library(*, entry: LibraryQuestion, section: QuestionSection) -> Question:
    if entry.fund_id != section.round.fund_id:
        raise RuleError("That question is in another fund's library.")
    return add_question(section=section, wording=entry.wording(), tiers=[])


def remove_from_library(*, entry: LibraryQuestion) -> None:
    entry.delete()
