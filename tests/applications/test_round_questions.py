"""A group answers its round's own questions: each kind's checks, eligibility questions that stop
an application at once, the task list, check your answers, what staff read, the versions sent,
the queue's CSV, a person's data export, erasure and retention."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import round_questions
from applications.models import Answer, Application
from applications.sections import CANNOT_START, task_list
from applications.services.applying import submit_application
from fund.models import FundRole
from privacy import retention
from privacy.personal_data import export
from questions import services as builder
from questions.models import Kind, Placement
from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    QuestionFactory,
    QuestionSectionFactory,
    UserFactory,
    question_of_each_kind,
    ready_to_submit,
    staff,
    submitted_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory(full_name="Sam Hughes")


@pytest.fixture
def application(member):
    return ApplicationFactory(organisation=OrganisationFactory(members=[member]))


@pytest.fixture
def section(application):
    return QuestionSectionFactory(round=application.round, title="Your venue", placement=Placement.BUDGET)


@pytest.fixture
def questions(section):
    return question_of_each_kind(section)


def _url(application, section):
    return reverse("applications:section_questions", args=[application.pk, section.pk])


GOOD = {
    Kind.SHORT_TEXT: "The church hall",
    Kind.LONG_TEXT: "Warm, dry and free",
    Kind.WHOLE_NUMBER: "12",
    Kind.MONEY: "£1,250.50",
    Kind.YES_NO: "Yes",
    Kind.ONE_OF: "A park",
    Kind.SEVERAL_OF: ["Older people", "Families"],
}


def _answers(questions, **changes):
    data = {"completed": "yes"}
    for kind, question in questions.items():
        name = question.field_name
        value = changes.get(kind, GOOD.get(kind))
        if kind == Kind.DATE:
            day, month, year = changes.get(kind, ("27", "3", "2027"))
            data.update({f"{name}_0": day, f"{name}_1": month, f"{name}_2": year})
        elif kind != Kind.FILE and value is not None:
            data[name] = value
    return data


def _upload(name="quote.pdf", content=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_group_answers_a_section_of_every_kind(client, member, application, section, questions):
    client.force_login(member)
    page = client.get(reverse("applications:application_detail", args=[application.pk])).content.decode()
    assert "Your venue" in page and page.index("Budget") < page.index("Your venue")

    data = _answers(questions)
    data[questions[Kind.FILE].field_name] = _upload()
    response = client.post(_url(application, section), data)
    assert response.status_code == 302, response.context["form"].errors
    given = {answer.question.kind: answer for answer in Answer.objects.filter(application=application)}
    assert given[Kind.MONEY].value == "1250.50"
    assert given[Kind.WHOLE_NUMBER].value == 12
    assert given[Kind.DATE].value == "2027-03-27"
    assert given[Kind.SEVERAL_OF].value == ["Older people", "Families"]
    assert given[Kind.FILE].document.original_name == "quote.pdf"
    application.refresh_from_db()
    assert section.slug in application.completed_sections

    check = client.get(reverse("applications:check_answers", args=[application.pk])).content.decode()
    for text in ("£1,250.50", "27 March 2027", "Older people", "quote.pdf", "The church hall"):
        assert text in check


BAD_ANSWERS = [
    (Kind.SHORT_TEXT, "", "Enter your answer to ‘The short_text question’"),
    (Kind.SHORT_TEXT, "x" * 301, "300 characters or fewer"),
    (Kind.SHORT_TEXT, "Two\nlines", "must be on one line"),
    (Kind.SHORT_TEXT, "A\x00B", "hidden character"),
    (Kind.LONG_TEXT, "", "Enter your answer to ‘The long_text question’"),
    (Kind.LONG_TEXT, "one two three four five six", "5 words or fewer: it has 6"),
    (Kind.LONG_TEXT, "A\x1bB", "hidden character"),
    (Kind.WHOLE_NUMBER, "", "Enter a number for ‘The whole_number question’"),
    (Kind.WHOLE_NUMBER, "twelve", "as a whole number, like 12"),
    (Kind.WHOLE_NUMBER, "1.5", "as a whole number, like 12"),
    (Kind.WHOLE_NUMBER, "-3", "cannot be less than 0"),
    (Kind.WHOLE_NUMBER, "9" * 12, "1,000,000,000 or less"),
    (Kind.MONEY, "", "Enter the amount for ‘The money question’"),
    (Kind.MONEY, "lots", "as a number of pounds"),
    (Kind.MONEY, "12.345", "no more than 2 decimal places"),
    (Kind.MONEY, "-5", "cannot be less than £0"),
    (Kind.YES_NO, "", "Select yes or no for ‘The yes_no question’"),
    (Kind.YES_NO, "Perhaps", "Select one of the answers given"),
    (Kind.ONE_OF, "", "Select an answer to ‘The one_of question’"),
    (Kind.ONE_OF, "A castle", "Select one of the answers given"),
    (Kind.SEVERAL_OF, [], "Select at least one answer"),
    (Kind.SEVERAL_OF, ["Older people", "Pets"], "Select only answers given"),
    (Kind.DATE, ("", "", ""), "Enter the date for ‘The date question’"),
    (Kind.DATE, ("31", "2", "2027"), "must be a real date"),
    (Kind.DATE, ("27", "", "2027"), "must include a month"),
    (Kind.DATE, ("1", "1", "27"), "Enter the year in full"),
]


@pytest.mark.parametrize(("kind", "value", "message"), BAD_ANSWERS)
def test_each_kind_refuses_a_bad_answer_clearly_and_keeps_what_was_typed(
    client, member, application, section, questions, kind, value, message
):
    client.force_login(member)
    data = _answers(questions, **{kind: value})
    response = client.post(_url(application, section), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    errors = response.context["form"].errors[questions[kind].field_name]
    assert message in " ".join(errors), errors
    assert not Answer.objects.filter(application=application).exists()
    # Every other answer typed is still in the form.
    assert 'value="The church hall"' in page or kind == Kind.SHORT_TEXT
    assert "Warm, dry and free" in page or kind == Kind.LONG_TEXT
    assert 'value="£1,250.50"' in page or kind == Kind.MONEY


def test_a_file_that_breaks_the_upload_rules_is_refused(client, member, application, section, questions):
    client.force_login(member)
    data = _answers(questions)
    data[questions[Kind.FILE].field_name] = _upload("virus.exe", b"MZ\x90\x00 not a document")
    response = client.post(_url(application, section), data)
    assert response.status_code == 400
    assert "PDF, DOCX" in " ".join(response.context["form"].errors[questions[Kind.FILE].field_name])
    data[questions[Kind.FILE].field_name] = _upload("empty.pdf", b"")
    response = client.post(_url(application, section), data)
    assert "empty" in " ".join(response.context["form"].errors[questions[Kind.FILE].field_name])


def test_a_required_file_is_asked_for_only_until_one_is_given(
    client, member, application, section, questions
):
    client.force_login(member)
    response = client.post(_url(application, section), _answers(questions))
    assert "Select a file for ‘The file question’" in response.content.decode()
    data = _answers(questions)
    data[questions[Kind.FILE].field_name] = _upload()
    assert client.post(_url(application, section), data).status_code == 302
    again = client.post(_url(application, section), _answers(questions, **{Kind.SHORT_TEXT: "The library"}))
    assert again.status_code == 302
    assert Answer.objects.get(question=questions[Kind.FILE]).document.original_name == "quote.pdf"


def test_answers_can_be_saved_unfinished_and_come_back_to(client, member, application, section, questions):
    client.force_login(member)
    response = client.post(
        _url(application, section), {questions[Kind.SHORT_TEXT].field_name: "The church hall", "later": ""}
    )
    assert response.status_code == 302
    tasks = {task.section.slug: task.status for task in task_list(Application.objects.get(pk=application.pk))}
    assert tasks[section.slug] == "In progress"
    page = client.get(_url(application, section)).content.decode()
    assert 'value="The church hall"' in page


@pytest.fixture
def eligibility(application):
    section = QuestionSectionFactory(
        round=application.round, title="Can you apply?", placement=Placement.START
    )
    question = QuestionFactory(
        section=section,
        kind=Kind.YES_NO,
        label="Is your group based in the borough?",
        stopping_answers=["No"],
        stop_reason="This fund is for groups based in Wigan.",
    )
    return section, question


def test_an_eligibility_answer_stops_the_application_at_once_with_the_reason(
    client, member, application, eligibility
):
    section, question = eligibility
    client.force_login(member)
    tasks = task_list(application)
    assert tasks[0].section.slug == section.slug
    assert all(task.status == CANNOT_START for task in tasks[1:])

    response = client.post(_url(application, section), {question.field_name: "No", "completed": "yes"})
    assert response.url == reverse("applications:stopped", args=[application.pk])
    page = client.get(response.url).content.decode()
    assert "This application cannot go ahead" in page and "This fund is for groups based in Wigan." in page
    home = client.get(reverse("applications:application_detail", args=[application.pk])).content.decode()
    assert "This fund is for groups based in Wigan." in home
    application.refresh_from_db()
    assert section.slug not in application.completed_sections
    with pytest.raises(Exception, match="based in Wigan"):
        submit_application(application=ready_to_submit(application), by=member, base_url="http://testserver")

    # A wrong answer put right lets the group carry on.
    response = client.post(_url(application, section), {question.field_name: "Yes", "completed": "yes"})
    assert response.status_code == 302
    assert client.get(reverse("applications:stopped", args=[application.pk])).status_code == 302
    assert task_list(Application.objects.get(pk=application.pk))[1].status != CANNOT_START


def test_a_tier_is_asked_only_its_questions(application, section, member):
    mine = QuestionFactory(section=section, label="For every tier")
    theirs = QuestionFactory(section=section, label="For big ideas")
    theirs.tiers.set([application.round.fund.tiers.get(name="Big idea")])
    asked = [question.pk for own in round_questions.own_sections(application) for question in own.questions]
    assert mine.pk in asked and theirs.pk not in asked


def test_a_sent_version_keeps_the_question_as_it_was_asked(client, member, application, section):
    question = QuestionFactory(section=section, label="Where will you meet?")
    sent = submitted_application(round=application.round)
    replacement = builder.new_version(
        question=question, wording={**question.wording(), "label": "Which room will you use?"}, tiers=[]
    )
    rows = [row for part in sent.versions.get().answers for row in part["rows"]]
    assert {"question": "Where will you meet?", "answer": "The church hall"} in rows

    officer = staff(FundRole.Role.OFFICER, application.round.fund)
    client.force_login(officer)
    page = client.get(reverse("assessment:staff_application", args=[sent.pk])).content.decode()
    assert "Where will you meet?" in page and "The church hall" in page
    assert "Which room will you use?" not in page  # asked since, not of this application

    # A group still writing answers the new version.
    asked = [q.label for own in round_questions.own_sections(application) for q in own.questions]
    assert asked == ["Which room will you use?"] and replacement.pk


def test_a_panel_member_reads_the_answers(client, application, section):
    QuestionFactory(section=section, label="Where will you meet?")
    sent = submitted_application(round=application.round)
    reviewer = staff(FundRole.Role.PANEL, application.round.fund)
    from assessment.models import Review

    review = Review.objects.create(
        application=sent, reviewer=reviewer, status=Review.Status.IN_PROGRESS, declared_at=timezone.now()
    )
    client.force_login(reviewer)
    page = client.get(reverse("assessment:review", args=[review.pk])).content.decode()
    assert "Where will you meet?" in page and "The church hall" in page


def test_the_queue_csv_has_a_column_for_each_question(client, application, section):
    questions = question_of_each_kind(section)
    sent = submitted_application(round=application.round)
    client.force_login(staff(FundRole.Role.OFFICER, application.round.fund))
    response = client.get(reverse("assessment:queue"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert row[0] == sent.reference
    answers = dict(zip(header, row, strict=True))
    assert answers["The money question"] == "£250"
    assert answers["The date question"] == "27 March 2027"
    assert answers["The several_of question"] == "Older people"
    assert answers["The file question"] == "constitution.pdf"
    assert len(header) == 8 + len(questions)


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_cost_the_same_for_one_question_or_many(client, member, application):
    section = QuestionSectionFactory(round=application.round)
    QuestionFactory(section=section)
    client.force_login(member)
    task_url = reverse("applications:application_detail", args=[application.pk])
    section_url = _url(application, section)
    few = (_count_queries(client, task_url), _count_queries(client, section_url))
    for _ in range(3):
        more = QuestionSectionFactory(round=application.round)
        question_of_each_kind(more)
    question_of_each_kind(section)
    many = (_count_queries(client, task_url), _count_queries(client, section_url))
    assert many == few

    officer = staff(FundRole.Role.OFFICER, application.round.fund)
    ready_to_submit(application)
    sent = submit_application(application=application, by=member, base_url="http://testserver")
    client.force_login(officer)
    staff_url = reverse("assessment:staff_application", args=[sent.pk])
    queue = reverse("assessment:queue")
    before = (
        _count_queries(client, staff_url),
        _count_queries(client, queue),
        _count_queries(client, queue + "?format=csv"),
    )
    question_of_each_kind(QuestionSectionFactory(round=application.round))
    after = (
        _count_queries(client, staff_url),
        _count_queries(client, queue),
        _count_queries(client, queue + "?format=csv"),
    )
    assert after == before


def test_a_persons_data_export_holds_their_answers(member, application, section):
    QuestionFactory(section=section, label="Your treasurer's name", personal_data=True)
    ready_to_submit(application)
    application.created_by = member
    application.save()
    exported = export(member)
    answers = exported["applications"][0]["answers"]
    assert {"question": "Your treasurer's name", "answer": "The church hall"} in answers


def test_retention_removes_answers_that_are_personal_data(application, section, member):
    QuestionFactory(section=section, label="Your treasurer's name", personal_data=True)
    QuestionFactory(section=section, label="Where will you meet?")
    sent = submit_application(
        application=ready_to_submit(application), by=member, base_url="http://testserver"
    )
    sent.status = Application.Status.DECLINED
    sent.save()
    sent.events.create(kind="declined")
    sent.events.update(at=timezone.now() - timedelta(days=365 * 10))
    retention.apply()
    values = {answer.question.label: answer.value for answer in Answer.objects.filter(application=sent)}
    assert values["Your treasurer's name"] == retention.REMOVED
    assert values["Where will you meet?"] == "The church hall"
    rows = {row["question"]: row["answer"] for part in sent.versions.get().answers for row in part["rows"]}
    assert (
        rows["Your treasurer's name"] == retention.REMOVED
        and rows["Where will you meet?"] == "The church hall"
    )


def test_erasure_removes_the_persons_name_from_answers(member, application, section):
    from privacy.erasure import erase

    QuestionFactory(section=section, label="Who will run it?")
    ready_to_submit(application)
    application.created_by = member
    application.save()
    Answer.objects.filter(application=application).update(value="Sam Hughes runs it")
    administrator = UserFactory(is_superuser=True, is_staff=True)
    erase(person=member, by=administrator, reference="ER-1")
    assert "Sam Hughes" not in Answer.objects.get(application=application).value


def test_a_resubmission_marks_the_answers_that_changed():
    from applications.answers import changes_since

    earlier = [
        {
            "slug": "questions-1",
            "title": "Venue",
            "rows": [
                {"question": "Where?", "answer": "The hall"},
                {"question": "How many?", "answer": "12"},
                {"question": "Dropped", "answer": "Gone"},
            ],
        }
    ]
    later = [
        {
            "slug": "questions-1",
            "title": "Venue",
            "rows": [
                {"question": "Where?", "answer": "The library"},
                {"question": "How many?", "answer": "12"},
                {"question": "Which room?", "answer": "Room 2"},
            ],
        }
    ]
    rows = changes_since(earlier, later)[0]["rows"]
    assert rows[0] == {
        "question": "Where?",
        "answer": "The library",
        "change": "changed",
        "before": "The hall",
    }
    assert "change" not in rows[1]
    assert rows[2]["change"] == "new" and rows[3] == {
        "question": "Dropped",
        "answer": "Gone",
        "change": "removed",
    }


def test_an_answer_to_another_tiers_question_is_kept_but_not_shown_once_the_amount_changes(
    member, application, section
):
    from applications.services.applying import change_amount

    small = application.round.fund.tiers.get(name="Small")
    only_small = QuestionFactory(section=section, label="Only for small ones")
    only_small.tiers.set([small])
    Answer.objects.create(application=application, question=only_small, value="Kept")
    application = change_amount(application=application, amount=5000, by=member)
    assert [q.label for own in round_questions.own_sections(application) for q in own.questions] == []
    ready_to_submit(application)
    sent = submit_application(application=application, by=member, base_url="http://testserver")
    sent = Application.objects.get(pk=sent.pk)
    assert "Only for small ones" not in [
        q.label for own in round_questions.own_sections(sent) for q in own.questions
    ]
    assert Answer.objects.filter(application=sent, question=only_small).exists()
