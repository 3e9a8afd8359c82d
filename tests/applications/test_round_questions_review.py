"""What a review of the round's own questions found, each kept from coming back: answers a group
never sent, answers made stale by a change, a start section that only the task list obeyed,
corrections that change a question's meaning, and the edges of the goals and budget pages."""

import re

import pytest
from django.urls import reverse

from applications import round_questions
from applications.answers import changes_since
from applications.models import Answer, Application
from applications.sections import COMPLETED, task_list
from applications.services.applying import submission_problems, submit_application
from fund.models import FundRole
from questions import services as builder
from questions.models import Kind, Placement
from tests.factories import (
    ApplicationFactory,
    LibraryQuestionFactory,
    OrganisationFactory,
    QuestionFactory,
    QuestionSectionFactory,
    UserFactory,
    ready_to_submit,
    staff,
    submitted_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    person = UserFactory()
    client.force_login(person)
    return person


@pytest.fixture
def application(member):
    return ApplicationFactory(organisation=OrganisationFactory(members=[member]))


def test_an_answer_to_a_question_replaced_or_removed_before_sending_is_not_shown_to_staff(
    client, member, application
):
    section = QuestionSectionFactory(round=application.round, title="Venue")
    replaced = QuestionFactory(section=section, label="Where will you meet?")
    removed = QuestionFactory(section=section, label="A question taken away")
    Answer.objects.create(application=application, question=replaced, value="Draft answer")
    Answer.objects.create(application=application, question=removed, value="Another draft answer")
    builder.new_version(question=replaced, wording={**replaced.wording(), "label": "Which room?"}, tiers=[])
    builder.remove_question(question=removed)
    sent = submit_application(
        application=ready_to_submit(application), by=member, base_url="http://testserver"
    )
    client.force_login(staff(FundRole.Role.OFFICER, application.round.fund))
    page = client.get(reverse("assessment:staff_application", args=[sent.pk])).content.decode()
    assert "Which room?" in page
    assert "Draft answer" not in page and "Another draft answer" not in page
    csv = b"".join(client.get(reverse("assessment:queue"), {"format": "csv"}).streaming_content).decode()
    assert "Draft answer" not in csv and "Another draft answer" not in csv
    assert "A question taken away (removed)" in csv and "Where will you meet? (replaced)" in csv


def test_a_question_replaced_after_sending_stays_with_its_answer(client, application):
    section = QuestionSectionFactory(round=application.round, title="Venue")
    question = QuestionFactory(section=section, label="Where will you meet?")
    sent = submitted_application(round=application.round)
    builder.new_version(question=question, wording={**question.wording(), "label": "Which room?"}, tiers=[])
    sent = Application.objects.get(pk=sent.pk)
    asked = [q.label for own in round_questions.own_sections(sent) for q in own.questions]
    assert asked == ["Where will you meet?"]


def test_an_answer_a_changed_question_no_longer_takes_is_asked_again(member, application):
    section = QuestionSectionFactory(round=application.round, title="Venue")
    where = QuestionFactory(section=section, kind=Kind.ONE_OF, label="Where?", options=["A hall", "A park"])
    story = QuestionFactory(section=section, kind=Kind.LONG_TEXT, label="Tell us", word_limit=100)
    Answer.objects.create(application=application, question=where, value="A park")
    Answer.objects.create(application=application, question=story, value="word " * 80)
    ready_to_submit(application)
    assert not submission_problems(application)
    builder.change_question(
        question=where, wording={**where.wording(), "options": ["A hall", "Online"]}, tiers=[]
    )
    builder.change_question(question=story, wording={**story.wording(), "word_limit": 10}, tiers=[])
    application = Application.objects.get(pk=application.pk)
    status = {task.section.slug: task.status for task in task_list(application)}
    assert status[section.slug] != COMPLETED
    problems = " ".join(submission_problems(application))
    assert "Answer ‘Where?’ again: ‘A park’ is no longer one of the answers" in problems
    assert "Shorten your answer to ‘Tell us’ to 10 words or fewer: it has 80" in problems


def test_a_section_whose_question_has_a_new_version_can_be_removed(application):
    section = QuestionSectionFactory(round=application.round)
    question = QuestionFactory(section=section)
    builder.new_version(question=question, wording={**question.wording(), "label": "Again"}, tiers=[])
    builder.remove_section(section=section)
    assert not application.round.question_sections.exists()


@pytest.mark.parametrize(
    ("new", "allowed"),
    [
        ("Is your group based in Wigna?", True),
        ("Is your group based in Wigan ?", True),
        ("is your group based in wigan?", True),
        ("Is your group based outside Wigan?", False),
        ("Is your group not based in Wigan?", False),
        ("Is your group based in Bolton?", False),
    ],
)
def test_a_locked_question_takes_a_typo_but_not_a_change_of_meaning(new, allowed):
    question = QuestionFactory(label="Is your group based in Wigan?")
    assert (not builder.correction_problems(question, new)) is allowed


def test_the_start_section_comes_first_on_every_section_page(client, member, application):
    start = QuestionSectionFactory(round=application.round, title="Can you apply?", placement=Placement.START)
    question = QuestionFactory(
        section=start, kind=Kind.YES_NO, label="In Wigan?", stopping_answers=["No"], stop_reason="Wigan only."
    )
    later = QuestionSectionFactory(round=application.round, title="Venue")
    QuestionFactory(section=later)
    start_url = reverse("applications:section_questions", args=[application.pk, start.pk])
    for name in (
        "section_idea",
        "section_goals",
        "section_budget",
        "section_organisation",
        "section_declaration",
    ):
        response = client.get(reverse(f"applications:{name}", args=[application.pk]))
        assert response.status_code == 302 and response.url == start_url, name
    response = client.post(reverse("applications:section_idea", args=[application.pk]), {"title": "Sneaky"})
    assert response.url == start_url
    application.refresh_from_db()
    assert application.title != "Sneaky"
    assert (
        client.get(reverse("applications:section_questions", args=[application.pk, later.pk])).url
        == start_url
    )
    assert client.get(reverse("applications:change_amount", args=[application.pk])).status_code == 200
    assert client.get(start_url).status_code == 200

    client.post(start_url, {question.field_name: "No", "completed": "yes"})
    stopped = reverse("applications:stopped", args=[application.pk])
    assert client.get(reverse("applications:section_idea", args=[application.pk])).url == stopped
    client.post(start_url, {question.field_name: "Yes", "completed": "yes"})
    assert client.get(reverse("applications:section_idea", args=[application.pk])).status_code == 200


def test_every_error_summary_link_goes_to_a_box_on_the_page(client, application):
    section = QuestionSectionFactory(round=application.round)
    QuestionFactory(section=section, kind=Kind.YES_NO)
    pages = [
        (
            reverse("applications:section_goals", args=[application.pk]),
            {"goals-TOTAL_FORMS": "0", "goals-INITIAL_FORMS": "0"},
        ),
        (
            reverse("applications:section_budget", args=[application.pk]),
            {"budget-TOTAL_FORMS": "0", "budget-INITIAL_FORMS": "0"},
        ),
        (reverse("applications:section_questions", args=[application.pk, section.pk]), {"completed": "yes"}),
        (reverse("applications:section_idea", args=[application.pk]), {}),
    ]
    for url, data in pages:
        page = client.post(url, data).content.decode()
        links = re.findall(
            r'<a href="#([^"]+)">', page[page.index("govuk-error-summary__list") :].split("</ul>")[0]
        )
        assert links, url
        for anchor in links:
            assert f'id="{anchor}"' in page, f"{url}: #{anchor} is on no element"


def test_tampered_rows_and_library_choices_get_an_answer_not_a_crash(client, member, application):
    budget = reverse("applications:section_budget", args=[application.pk])
    assert client.post(budget, {"budget-TOTAL_FORMS": "abc", "add_line": "1"}).status_code == 200
    assert client.post(budget, {"budget-TOTAL_FORMS": "-4", "add_line": "1"}).status_code == 200
    response = client.post(
        budget, {"budget-TOTAL_FORMS": "1000", "budget-INITIAL_FORMS": "0", "completed": "yes"}
    )
    assert "A budget can have up to 60 lines here" in response.content.decode()
    goals = reverse("applications:section_goals", args=[application.pk])
    response = client.post(goals, {"goals-TOTAL_FORMS": "9", "goals-INITIAL_FORMS": "0", "completed": "yes"})
    assert "An application can have up to 5 goals" in response.content.decode()
    response = client.post(
        goals,
        {
            "goals-TOTAL_FORMS": "1",
            "goals-INITIAL_FORMS": "1",
            "goals-0-goal": "abc",
            "goals-0-description": "Hi",
            "completed": "yes",
        },
    )
    assert response.status_code == 400 and "There is a problem" in response.content.decode()

    section = QuestionSectionFactory(round=application.round)
    LibraryQuestionFactory(fund=application.round.fund)
    client.force_login(staff(FundRole.Role.OFFICER, application.round.fund))
    assert (
        client.post(reverse("questions:library_add", args=[section.pk]), {"entry": "abc"}).status_code == 404
    )


def test_adding_a_line_checks_nothing_until_the_group_saves(client, application):
    budget = reverse("applications:section_budget", args=[application.pk])
    response = client.post(
        budget,
        {
            "budget-TOTAL_FORMS": "1",
            "budget-INITIAL_FORMS": "1",
            "budget-0-item": "Room hire",
            "add_line": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" not in page
    assert 'value="Room hire"' in page and "What it is for, line 2" in page


def test_rows_of_the_same_name_are_compared_one_for_one():
    earlier = [
        {
            "slug": "budget",
            "rows": [{"question": "Tea", "answer": "£10"}, {"question": "Tea", "answer": "£20"}],
        }
    ]
    rows = changes_since(earlier, earlier)[0]["rows"]
    assert not any("change" in row for row in rows)


# --- From trying it as an officer and a group ------------------------------------------------------


def test_a_question_added_after_sending_is_not_shown_as_unanswered(client, application):
    section = QuestionSectionFactory(round=application.round, title="Venue")
    QuestionFactory(section=section, label="Asked when it was sent")
    sent = submitted_application(round=application.round)
    QuestionFactory(section=section, label="Added after it was sent")
    QuestionFactory(
        section=QuestionSectionFactory(round=application.round, title="A new section"), label="New"
    )
    client.force_login(staff(FundRole.Role.OFFICER, application.round.fund))
    page = client.get(reverse("assessment:staff_application", args=[sent.pk])).content.decode()
    assert "Asked when it was sent" in page
    assert "Added after it was sent" not in page and "A new section" not in page
    csv = b"".join(client.get(reverse("assessment:queue"), {"format": "csv"}).streaming_content).decode()
    header, row = csv.splitlines()[:2]
    assert "Added after it was sent" in header  # asked of groups still writing
    assert row.endswith(",")  # ...but not of this one


def test_the_start_section_is_answered_without_a_completion_question_and_says_what_stopped_it(
    client, member, application
):
    start = QuestionSectionFactory(round=application.round, title="Can you apply?", placement=Placement.START)
    question = QuestionFactory(
        section=start, kind=Kind.YES_NO, label="In Wigan?", stopping_answers=["No"], stop_reason="Wigan only."
    )
    url = reverse("applications:section_questions", args=[application.pk, start.pk])
    page = client.get(url).content.decode()
    assert "Have you completed this section?" not in page and "Continue" in page
    stopped = client.post(url, {question.field_name: "No"})
    page = client.get(stopped.url).content.decode()
    assert "You answered ‘No’ to ‘In Wigan?’." in page and "Wigan only." in page
    assert client.post(url, {question.field_name: "Yes"}).status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert {task.section.slug: task.status for task in task_list(application)}[start.slug] == COMPLETED
    refused = client.post(url, {})
    assert "Select yes or no for ‘In Wigan?’" in refused.content.decode()


def test_an_answer_that_stops_an_application_must_be_required(client, application):
    section = QuestionSectionFactory(round=application.round)
    client.force_login(staff(FundRole.Role.OFFICER, application.round.fund))
    response = client.post(
        reverse("questions:question_add_kind", args=[section.pk, "yes_no"]),
        {"label": "A charity?", "required": "no", "stops_on": "No", "stop_reason": "Charities only"},
    )
    assert response.status_code == 400 and "must be answered" in " ".join(
        response.context["form"].errors["required"]
    )


def test_a_round_asks_each_wording_once_and_copying_twice_adds_nothing(client, application):
    fund = application.round.fund
    section = QuestionSectionFactory(round=application.round, title="Venue")
    QuestionFactory(section=section, label="Where will you meet?")
    client.force_login(staff(FundRole.Role.OFFICER, fund))
    response = client.post(
        reverse("questions:question_add_kind", args=[section.pk, "short_text"]),
        {"label": "where will you meet?", "required": "yes"},
    )
    assert response.status_code == 400 and "already asks" in response.content.decode()

    from tests.factories import RoundFactory

    later, empty = RoundFactory(fund=fund), RoundFactory(fund=fund, name="Nothing asked")
    QuestionSectionFactory(round=empty)
    copy = reverse("questions:copy", args=[later.pk])
    assert "Nothing asked" not in client.get(copy).content.decode()
    client.post(copy, {"source": application.round.pk})
    response = client.post(copy, {"source": application.round.pk}, follow=True)
    assert (
        "0 questions copied" in response.content.decode() and "not copied again" in response.content.decode()
    )
    assert [s.title for s in later.question_sections.all()] == ["Venue"]
    assert later.question_sections.get().questions.count() == 1


MONEY_AND_NUMBERS = [
    (Kind.MONEY, "1e5", None),
    (Kind.MONEY, "1_000", None),
    (Kind.MONEY, "+120", None),
    (Kind.MONEY, "-0", "0.00"),
    (Kind.MONEY, "£1,000", "1000.00"),
    (Kind.WHOLE_NUMBER, "1,000", 1000),
    (Kind.WHOLE_NUMBER, "1_000", None),
    (Kind.WHOLE_NUMBER, "1e3", None),
]


@pytest.mark.parametrize(("kind", "typed", "kept"), MONEY_AND_NUMBERS)
def test_numbers_are_read_as_people_write_them(client, member, application, kind, typed, kept):
    section = QuestionSectionFactory(round=application.round)
    question = QuestionFactory(section=section, kind=kind, label="How much?")
    url = reverse("applications:section_questions", args=[application.pk, section.pk])
    response = client.post(url, {question.field_name: typed, "completed": "yes"})
    answer = Answer.objects.filter(question=question).first()
    if kept is None:
        assert response.status_code == 400 and answer is None
    else:
        assert response.status_code == 302 and answer.value == kept


def test_a_hidden_character_is_not_shown_back_to_be_sent_again(client, member, application):
    section = QuestionSectionFactory(round=application.round)
    question = QuestionFactory(section=section, label="Where?")
    url = reverse("applications:section_questions", args=[application.pk, section.pk])
    page = client.post(url, {question.field_name: "Room\x00 hire", "completed": "yes"}).content.decode()
    assert "hidden character" in page and 'value="Room hire"' in page


def test_a_rows_message_says_which_row(client, member, application):
    budget = reverse("applications:section_budget", args=[application.pk])
    page = client.post(
        budget,
        {
            "budget-TOTAL_FORMS": "2",
            "budget-INITIAL_FORMS": "2",
            "budget-0-item": "Tea",
            "budget-0-amount": "5",
            "budget-1-amount": "lots",
            "completed": "yes",
        },
    ).content.decode()
    assert "Line 2: Enter the cost as a number of pounds" in page
    goals = reverse("applications:section_goals", args=[application.pk])
    page = client.post(
        goals,
        {
            "goals-TOTAL_FORMS": "2",
            "goals-INITIAL_FORMS": "2",
            "goals-1-indicator": "Smiles",
            "completed": "yes",
        },
    ).content.decode()
    assert "Goal 2: Say what will be different for local people" in page


def test_the_builder_says_when_groups_are_writing_in_an_open_round(client, application):
    client.force_login(staff(FundRole.Role.OFFICER, application.round.fund))
    page = client.get(reverse("questions:round_questions", args=[application.round.pk])).content.decode()
    assert "This round is open: 1 group is writing an application in it" in page


def test_an_optional_file_can_be_taken_back(client, member, application):
    from tests.factories import DocumentFactory

    section = QuestionSectionFactory(round=application.round)
    question = QuestionFactory(section=section, kind=Kind.FILE, label="A plan of the room", required=False)
    document = DocumentFactory(application=application, kind="answer", original_name="plan.pdf")
    Answer.objects.create(application=application, question=question, document=document)
    url = reverse("applications:section_questions", args=[application.pk, section.pk])
    assert "Remove plan.pdf" in client.get(url).content.decode()
    assert client.post(url, {f"{question.field_name}_remove": "on", "completed": "yes"}).status_code == 302
    assert not Answer.objects.filter(question=question).exists()
    assert not application.documents.filter(kind="answer").exists()


def test_a_month_is_read_as_a_word_too_and_letters_get_one_message(client, member, application):
    section = QuestionSectionFactory(round=application.round)
    question = QuestionFactory(section=section, kind=Kind.DATE, label="When do you start?")
    url = reverse("applications:section_questions", args=[application.pk, section.pk])
    name = question.field_name
    client.post(url, {f"{name}_0": "3", f"{name}_1": "April", f"{name}_2": "2027", "completed": "yes"})
    assert Answer.objects.get(question=question).value == "2027-04-03"
    client.post(url, {f"{name}_0": "3", f"{name}_1": "sept", f"{name}_2": "2027", "completed": "yes"})
    assert Answer.objects.get(question=question).value == "2027-09-03"
    response = client.post(url, {f"{name}_0": "a", f"{name}_1": "b", f"{name}_2": "c", "completed": "yes"})
    assert len(response.context["form"].errors[name]) == 1


def test_a_question_replaced_since_the_page_was_opened_sends_the_officer_back_with_word(client, application):
    section = QuestionSectionFactory(round=application.round)
    question = QuestionFactory(section=section, label="Where will you meet?")
    client.force_login(staff(FundRole.Role.OFFICER, application.round.fund))
    client.post(
        reverse("questions:question_new_version", args=[question.pk]),
        {"label": "Which room will you use?", "required": "yes"},
    )
    response = client.get(reverse("questions:question_new_version", args=[question.pk]), follow=True)
    assert "‘Where will you meet?’ has been replaced by a new version." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("questions:round_questions", args=[application.round.pk])
