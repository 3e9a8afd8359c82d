"""Fund officers build a round's own questions: sections, each kind of question, preview, order,
locking once an application is sent, versions, copies and the fund's library."""

import pytest
from django.urls import reverse

from fund.models import FundRole
from questions.models import Kind, LibraryQuestion, Placement, Question, QuestionSection
from questions.services import copy_questions
from tests.factories import (
    ApplicationFactory,
    LibraryQuestionFactory,
    QuestionFactory,
    QuestionSectionFactory,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
    question_of_each_kind,
    staff,
    submitted_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund():
    return fund_with_tiers()


@pytest.fixture
def round(fund):
    return RoundFactory(fund=fund, name="Spring 2027")


@pytest.fixture
def officer(client, fund):
    person = staff(FundRole.Role.OFFICER, fund)
    client.force_login(person)
    return person


def _add_question(client, section, kind, **answers):
    data = {"label": f"A {kind} question", "required": "yes", **answers}
    return client.post(reverse("questions:question_add_kind", args=[section.pk, kind]), data)


def test_an_officer_builds_a_section_with_a_question_of_each_kind(client, officer, round):
    response = client.post(
        reverse("questions:section_add", args=[round.pk]),
        {"title": "Your venue", "hint": "Where it happens", "placement": Placement.BUDGET},
    )
    section = QuestionSection.objects.get(round=round)
    assert response.status_code == 302 and section.placement == Placement.BUDGET
    extra = {
        Kind.LONG_TEXT: {"word_limit": "150"},
        Kind.ONE_OF: {"options": "A hall\nA park\n\nOnline "},
        Kind.SEVERAL_OF: {"options": "Older people\nFamilies"},
    }
    for kind in Kind.values:
        response = _add_question(client, section, kind, **extra.get(kind, {}))
        assert response.status_code == 302, response.content.decode()[:3000]
    questions = list(section.questions.all())
    assert [question.kind for question in questions] == list(Kind.values)
    assert questions[1].word_limit == 150
    assert questions[5].options == ["A hall", "A park", "Online"]

    page = client.get(reverse("questions:round_questions", args=[round.pk])).content.decode()
    assert "Your venue" in page and "After ‘Budget’" in page and "up to 150 words" in page

    preview = client.get(reverse("questions:section_preview", args=[section.pk])).content.decode()
    for question in questions:
        assert question.label in preview
    assert 'type="file"' in preview and 'name="question_' in preview
    assert "A hall" in preview and "Have you completed this section?" in preview


def test_a_question_a_tier_does_not_see_is_left_out_of_its_preview(client, officer, round, fund):
    section = QuestionSectionFactory(round=round)
    big = fund.tiers.get(name="Big idea")
    question = QuestionFactory(section=section, label="Who audits your accounts?")
    question.tiers.set([big])
    small = fund.tiers.get(name="Small")
    url = reverse("questions:section_preview", args=[section.pk])
    assert "Who audits your accounts?" in client.get(url, {"tier": big.pk}).content.decode()
    assert "Who audits your accounts?" not in client.get(url, {"tier": small.pk}).content.decode()


BAD_QUESTIONS = [
    (Kind.SHORT_TEXT, {"label": ""}, "label", "Enter the question"),
    (Kind.SHORT_TEXT, {"label": "Two\nlines"}, "label", "must be on one line"),
    (Kind.SHORT_TEXT, {"label": "x" * 301}, "label", "300 characters or fewer"),
    (Kind.LONG_TEXT, {"word_limit": ""}, "word_limit", "Enter a word limit"),
    (Kind.LONG_TEXT, {"word_limit": "0"}, "word_limit", "at least 1"),
    (Kind.LONG_TEXT, {"word_limit": "lots"}, "word_limit", "as a whole number"),
    (Kind.LONG_TEXT, {"word_limit": "9000"}, "word_limit", "5,000 or less"),
    (Kind.ONE_OF, {"options": "Only one"}, "options", "at least 2 answers"),
    (Kind.ONE_OF, {"options": "Yes\nyes"}, "options", "in the list twice"),
    (
        Kind.ONE_OF,
        {"options": "A\nB", "stopping_options": "C", "stop_reason": "No"},
        "stopping_options",
        "not one of",
    ),
    (
        Kind.ONE_OF,
        {"options": "A\nB", "stopping_options": "A\nB", "stop_reason": "No"},
        "stopping_options",
        "carry on",
    ),
    (
        Kind.ONE_OF,
        {"options": "A\nB", "stopping_options": "A"},
        "stop_reason",
        "Say why the application stops",
    ),
    (Kind.YES_NO, {"stops_on": "Maybe"}, "stops_on", "Choose an answer"),
    (Kind.YES_NO, {"stop_reason": "You cannot apply"}, "stops_on", "Choose the answer that stops"),
    (Kind.SEVERAL_OF, {"options": "\n".join(f"Option {n}" for n in range(31))}, "options", "no more than 30"),
]


@pytest.mark.parametrize(("kind", "answers", "field", "message"), BAD_QUESTIONS)
def test_a_question_that_will_not_work_is_refused_with_what_was_typed_kept(
    client, officer, round, kind, answers, field, message
):
    section = QuestionSectionFactory(round=round)
    data = {"label": "Is your group based in the borough?", "required": "yes", **answers}
    if kind in (Kind.ONE_OF, Kind.SEVERAL_OF):
        data.setdefault("options", "A\nB")
    response = client.post(reverse("questions:question_add_kind", args=[section.pk, kind]), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not section.questions.exists()
    if data["label"] and "\n" not in data["label"] and len(data["label"]) <= 300:
        assert data["label"] in response.content.decode()


def test_an_eligibility_question_keeps_the_answer_that_stops_and_the_reason(client, officer, round):
    section = QuestionSectionFactory(round=round, placement=Placement.START)
    response = _add_question(
        client,
        section,
        Kind.YES_NO,
        label="Is your group based in the borough?",
        stops_on="No",
        stop_reason="This fund is for groups based in Wigan.",
    )
    assert response.status_code == 302
    question = section.questions.get()
    assert question.stopping_answers == ["No"] and question.stop_reason.startswith("This fund")


def test_questions_move_up_and_down(client, officer, round):
    section = QuestionSectionFactory(round=round)
    first, _, third = (QuestionFactory(section=section, label=label) for label in "ABC")
    client.post(reverse("questions:question_move", args=[third.pk]), {"direction": "up"})
    assert [q.label for q in section.questions.current().order_by("position")] == ["A", "C", "B"]
    client.post(reverse("questions:question_move", args=[first.pk]), {"direction": "up"})
    client.post(reverse("questions:question_move", args=[first.pk]), {"direction": "down"})
    assert [q.label for q in section.questions.current().order_by("position")] == ["C", "A", "B"]


def test_once_an_application_is_sent_the_questions_are_locked(client, officer, round):
    section = QuestionSectionFactory(round=round)
    question = QuestionFactory(section=section, label="Where will you meet?", hint="")
    submitted_application(round=round)
    edit = reverse("questions:question_edit", args=[question.pk])

    page = client.get(edit).content.decode()
    assert "Correct the question" in page and "make a new version" in page

    refused = client.post(edit, {"label": "How many volunteers do you have?", "hint": ""})
    assert (
        refused.status_code == 400
        and "only a typo in the question can be put right" in refused.content.decode()
    )
    assert "How many volunteers do you have?" in refused.content.decode()

    client.post(edit, {"label": "Where will you meet ?", "hint": "A hall, a park or online"})
    question.refresh_from_db()
    assert question.label == "Where will you meet ?" and question.hint == "A hall, a park or online"


def test_a_new_version_replaces_the_question_and_keeps_the_old_one(client, officer, round):
    section = QuestionSectionFactory(round=round)
    question = QuestionFactory(section=section, label="Where will you meet?")
    submitted_application(round=round)
    response = client.post(
        reverse("questions:question_new_version", args=[question.pk]),
        {"label": "Which room will you use?", "required": "no"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    replacement = Question.objects.get(replaces=question)
    assert question.retired_at is not None and replacement.label == "Which room will you use?"
    assert not replacement.required and replacement.position == question.position


def test_removing_an_answered_question_keeps_it_for_its_answers(client, officer, round):
    from tests.factories import AnswerFactory

    section = QuestionSectionFactory(round=round)
    answered = QuestionFactory(section=section)
    unanswered = QuestionFactory(section=section)
    AnswerFactory(application=ApplicationFactory(round=round), question=answered)
    for question in (answered, unanswered):
        client.post(reverse("questions:question_remove", args=[question.pk]))
    answered.refresh_from_db()
    assert answered.retired_at is not None
    assert not Question.objects.filter(pk=unanswered.pk).exists()


def test_a_round_copies_another_rounds_questions(client, officer, round, fund):
    section = QuestionSectionFactory(round=round, title="Your venue", placement=Placement.START)
    questions = question_of_each_kind(section)
    questions[Kind.ONE_OF].tiers.set([fund.tiers.first()])
    later = RoundFactory(fund=fund, name="Autumn 2027")
    QuestionSectionFactory(round=later, title="Your venue", placement=Placement.START)

    response = client.post(reverse("questions:copy", args=[later.pk]), {"source": round.pk})
    assert response.status_code == 302
    # A section of the same title takes the questions: groups never see "Your venue (2)".
    copied = later.question_sections.get(title="Your venue")
    assert copied.placement == Placement.START
    assert [q.label for q in copied.questions.all()] == [q.label for q in questions.values()]
    assert list(copied.questions.get(kind=Kind.ONE_OF).tiers.all()) == [fund.tiers.first()]
    assert copied.questions.get(kind=Kind.LONG_TEXT).word_limit == 5


def test_questions_are_copied_only_within_a_fund(round):
    from kit.errors import RuleError

    with pytest.raises(RuleError):
        copy_questions(source=round, target=RoundFactory())


def test_the_fund_keeps_a_library_of_questions_to_ask_again(client, officer, round, fund):
    section = QuestionSectionFactory(round=round)
    question = QuestionFactory(
        section=section, label="Do you have public liability insurance?", kind=Kind.YES_NO
    )
    client.post(reverse("questions:question_to_library", args=[question.pk]))
    entry = LibraryQuestion.objects.get(fund=fund)
    assert entry.label == question.label and entry.kind == Kind.YES_NO

    later = QuestionSectionFactory(round=RoundFactory(fund=fund))
    page = client.get(reverse("questions:library_add", args=[later.pk])).content.decode()
    assert "Do you have public liability insurance?" in page
    client.post(reverse("questions:library_add", args=[later.pk]), {"entry": entry.pk})
    assert later.questions.get().label == "Do you have public liability insurance?"

    client.post(reverse("questions:library_remove", args=[entry.pk]))
    assert not LibraryQuestion.objects.exists()


def test_another_funds_officer_finds_nothing_and_others_are_refused(client, round):
    section = QuestionSectionFactory(round=round)
    question = QuestionFactory(section=section)
    entry = LibraryQuestionFactory(fund=round.fund)
    urls = [
        reverse("questions:round_questions", args=[round.pk]),
        reverse("questions:section_add", args=[round.pk]),
        reverse("questions:copy", args=[round.pk]),
        reverse("questions:section_edit", args=[section.pk]),
        reverse("questions:section_remove", args=[section.pk]),
        reverse("questions:section_preview", args=[section.pk]),
        reverse("questions:question_add", args=[section.pk]),
        reverse("questions:question_add_kind", args=[section.pk, "yes_no"]),
        reverse("questions:library_add", args=[section.pk]),
        reverse("questions:question_edit", args=[question.pk]),
        reverse("questions:question_new_version", args=[question.pk]),
        reverse("questions:question_remove", args=[question.pk]),
        reverse("questions:library", args=[round.fund.slug]),
    ]
    posts = [
        reverse("questions:question_move", args=[question.pk]),
        reverse("questions:question_to_library", args=[question.pk]),
        reverse("questions:library_remove", args=[entry.pk]),
    ]
    client.force_login(staff(FundRole.Role.OFFICER, fund_with_tiers()))
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in urls + posts:
        assert client.post(url).status_code == 404, url
    for person in (
        staff(FundRole.Role.PANEL, round.fund),
        staff(FundRole.Role.FINANCE, round.fund),
        UserFactory(),
    ):
        client.force_login(person)
        for url in urls + posts:
            assert client.post(url).status_code == 403, url
    client.logout()
    assert client.get(urls[0]).status_code == 302
    question.refresh_from_db()
    assert question.retired_at is None and LibraryQuestion.objects.filter(pk=entry.pk).exists()
