"""An application's conversation: the group and the fund team write to each other, with files;
the fund team's notes never reach the group; each person sees what is new to them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.services.applying import withdraw_application
from assessment import services as assessment
from conversations.models import Message, Reading
from conversations.services import LONGEST
from fund.models import FundRole
from mentoring.models import Assignment
from privacy import retention
from privacy.personal_data import export
from tests.factories import (
    PDF_BYTES,
    ApplicationFactory,
    MessageFactory,
    OrganisationFactory,
    ReviewFactory,
    UserFactory,
    awarded_investment,
    fund_with_tiers,
    staff,
    submitted_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    member = UserFactory(full_name="Sam Hughes")
    application = submitted_application(member=member)
    fund = application.round.fund
    return {
        "application": application,
        "member": member,
        "officer": staff(FundRole.Role.OFFICER, fund, full_name="Olivia Officer"),
        "finance": staff(FundRole.Role.FINANCE, fund),
        "panel": staff(FundRole.Role.PANEL, fund),
    }


def _url(application) -> str:
    return reverse("conversations:thread", args=[application.pk])


def _send(client, user, application, **data):
    client.force_login(user)
    return client.post(_url(application), data)


def test_the_group_writes_with_a_file_and_the_officer_reads_it_marked_new_once(client, world):
    application, member, officer = world["application"], world["member"], world["officer"]
    response = _send(
        client,
        member,
        application,
        text="Here is the quote for the hall.",
        attachment=SimpleUploadedFile("quote.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.from_team is False and message.attachment_name == "quote.pdf"

    client.force_login(officer)
    html = client.get(_url(application)).content.decode()
    assert "Here is the quote for the hall." in html
    assert "Sam Hughes" in html and "quote.pdf" in html
    assert ">New</strong>" in html
    # Read once, no longer new.
    assert ">New</strong>" not in client.get(_url(application)).content.decode()
    download = client.get(reverse("conversations:attachment", args=[message.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_a_note_of_the_fund_team_never_reaches_the_group(client, world):
    application, member, officer = world["application"], world["member"], world["officer"]
    _send(
        client,
        officer,
        application,
        text="Their treasurer is new: check the accounts.",
        team_note="on",
        attachment=SimpleUploadedFile("accounts.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    _send(client, officer, application, text="Could you send last year's accounts?")
    note = Message.objects.get(team_note=True)

    client.force_login(member)
    html = client.get(_url(application)).content.decode()
    assert "Could you send last year" in html
    assert "treasurer is new" not in html and "accounts.pdf" not in html
    assert client.get(reverse("conversations:attachment", args=[note.pk])).status_code == 404
    assert "treasurer is new" not in str(export(member))
    # The group cannot write a note.
    _send(client, member, application, text="A note?", team_note="on")
    assert not Message.objects.filter(team_note=True, author=member).exists()

    client.force_login(world["finance"])
    assert "treasurer is new" in client.get(_url(application)).content.decode()


def test_sending_back_opens_the_conversation_and_the_group_answers_there(client, world):
    application, member, officer = world["application"], world["member"], world["officer"]
    assessment.send_back_for_information(
        application=application,
        questions="Please send the quote for the hall.",
        by=officer,
        base_url="http://x",
    )
    client.force_login(member)
    html = client.get(_url(application)).content.decode()
    assert "Please send the quote for the hall." in html
    assert "Olivia Officer" in html and "Sent back for more information" in html
    _send(
        client,
        member,
        application,
        text="Attached.",
        attachment=SimpleUploadedFile("hall.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    client.force_login(officer)
    html = client.get(_url(application)).content.decode()
    assert html.index("Please send the quote") < html.index("Attached.")
    assert "hall.pdf" in html


def test_the_group_sees_its_own_steps_not_the_funds_internal_ones(client, world):
    # A start-up application, which a panel reviews.
    application = submitted_application(
        member=world["member"], round=world["application"].round, amount_requested=Decimal("5000.00")
    )
    reviewer = world["panel"]
    assessment.mark_eligible(application=application, by=world["officer"])
    assessment.assign_reviewer(application=application, reviewer=reviewer, by=world["officer"])
    client.force_login(world["member"])
    html = client.get(_url(application)).content.decode()
    assert "Submitted" in html and "Marked eligible" in html
    assert "Reviewer assigned" not in html
    client.force_login(world["officer"])
    assert "Reviewer assigned" in client.get(_url(application)).content.decode()


def test_after_the_award_updates_payments_and_the_mentor_join_the_timeline(client):
    member = UserFactory()
    investment = awarded_investment(member=member)
    fund = investment.round.fund
    mentor = staff(FundRole.Role.MENTOR, fund, full_name="Martin Mentor")
    Assignment.objects.create(investment=investment, mentor=mentor, assigned_by=mentor)
    client.force_login(member)
    html = client.get(_url(investment.application)).content.decode()
    assert "Awarded" in html and "Martin Mentor named as mentor" in html
    # The mentor takes part, on the fund team's side.
    _send(client, mentor, investment.application, text="Shall we meet on Tuesday?")
    assert Message.objects.get().from_team is True


@pytest.mark.parametrize("who", ["panel", "other officer", "other group", "visitor"])
def test_nobody_else_reads_or_writes_the_conversation(client, world, who):
    application = world["application"]
    _send(client, world["member"], application, text="Our private question.")
    message = Message.objects.get()
    client.logout()
    if who == "panel":
        ReviewFactory(application=application, reviewer=world["panel"])
        client.force_login(world["panel"])
    elif who == "other officer":
        client.force_login(staff(FundRole.Role.OFFICER, fund_with_tiers()))
    elif who == "other group":
        client.force_login(OrganisationFactory(members=[UserFactory()]).memberships.get().user)
    page = client.get(_url(application))
    sent = client.post(_url(application), {"text": "Let me in"})
    download = client.get(reverse("conversations:attachment", args=[message.pk]))
    if who == "visitor":
        assert page.status_code == sent.status_code == 302
        assert page["Location"].startswith(reverse("account_login"))
    else:
        assert page.status_code == sent.status_code == download.status_code == 404
    assert Message.objects.count() == 1


def test_a_draft_has_no_conversation(client):
    member = UserFactory()
    draft = ApplicationFactory(organisation=OrganisationFactory(members=[member]))
    client.force_login(member)
    assert client.get(_url(draft)).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Write your message"),
        ({"text": "   \n  "}, "Write your message"),
        ({"text": "x" * (LONGEST + 1)}, f"must be {LONGEST:,} characters or fewer"),
        ({"text": "Hello\x00"}, "Your message"),
    ],
)
def test_a_message_that_cannot_be_sent_says_why_and_keeps_what_was_typed(client, world, data, message):
    response = _send(client, world["member"], world["application"], **data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and message in html
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("quote.exe", b"MZ\x90\x00" + b"\x00" * 100, "The selected file must be a"),
        ("quote.docx", PDF_BYTES, "but it is a PDF file"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_a_file_that_cannot_be_taken_says_why_and_keeps_the_words(client, world, name, content, message):
    response = _send(
        client,
        world["member"],
        world["application"],
        text="Our constitution, as asked.",
        attachment=SimpleUploadedFile(name, content),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Our constitution, as asked." in html
    assert not Message.objects.exists()


def test_what_a_person_wrote_is_in_their_data_export(client, world):
    _send(client, world["member"], world["application"], text="When will we hear?")
    _send(client, world["officer"], world["application"], text="Slow payer last time.", team_note="on")
    [written] = export(world["member"])["written"]["messages"]
    assert written["text"] == "When will we hear?" and written["kind"] == "message"
    assert written["application"] == world["application"].reference
    # The officer's own note is in the officer's export, never in the group member's.
    [note] = export(world["officer"])["written"]["messages"]
    assert note["kind"] == "note for the fund team"


def test_retention_removes_what_the_group_wrote_and_keeps_what_the_fund_asked(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_UNSUCCESSFUL_YEARS = 3
    application, officer = world["application"], world["officer"]
    assessment.send_back_for_information(
        application=application, questions="Send the quote.", by=officer, base_url="http://x"
    )
    _send(
        client,
        world["member"],
        application,
        text="Sam Hughes here: quote attached.",
        attachment=SimpleUploadedFile("quote.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    stored = Message.objects.get(from_team=False).attachment
    name, storage = stored.name, stored.storage
    application.refresh_from_db()
    withdraw_application(application=application, by=world["member"])
    application.events.update(at=timezone.now() - timedelta(days=365 * 4))
    with django_capture_on_commit_callbacks(execute=True):
        retention.apply()
    group_side = Message.objects.get(from_team=False)
    assert group_side.text == retention.REMOVED and group_side.author is None
    assert not group_side.attachment and group_side.attachment_name == ""
    assert not storage.exists(name)
    assert Message.objects.get(from_team=True).text == "Send the quote."


def test_erasing_a_person_removes_their_name_from_what_they_wrote(client, world):
    from privacy.erasure import erase

    member = world["member"]
    email = member.email
    _send(client, member, world["application"], text=f"Write to me at {email}, Sam Hughes")
    client.get(_url(world["application"]))
    erase(person=member, by=world["officer"], reference="ER-1")
    message = Message.objects.get()
    assert email not in message.text and "Sam Hughes" not in message.text
    assert not Reading.objects.filter(user=member).exists()


def test_the_officers_work_counts_messages_waiting_and_the_group_sees_new_ones(client, world):
    application, member, officer = world["application"], world["member"], world["officer"]
    _send(client, member, application, text="When will we hear?")
    client.force_login(officer)
    work = client.get(reverse("work:home")).content.decode()
    assert "1 message waiting for an answer" in work
    waiting = client.get(reverse("conversations:waiting")).content.decode()
    assert application.reference in waiting
    # Answered: no longer waiting; and new to the group until they read it.
    _send(client, officer, application, text="Within two weeks.")
    assert "waiting for an answer" not in client.get(reverse("work:home")).content.decode()
    client.force_login(member)
    work = client.get(reverse("work:home")).content.decode()
    assert f"New message from the fund team about {application.reference}" in work
    client.get(_url(application))
    assert "New message from the fund team" not in client.get(reverse("work:home")).content.decode()


def test_the_list_of_messages_waiting_is_for_the_fund_team_only(client, world):
    client.force_login(world["member"])
    assert client.get(reverse("conversations:waiting")).status_code == 403
    client.force_login(world["panel"])
    assert client.get(reverse("conversations:waiting")).status_code == 403


def test_a_mentor_no_longer_on_the_funds_team_takes_no_part(client):
    investment = awarded_investment(member=UserFactory())
    mentor = staff(FundRole.Role.MENTOR, investment.round.fund)
    Assignment.objects.create(investment=investment, mentor=mentor, assigned_by=mentor)
    MessageFactory(
        application=investment.application, author=None, from_team=True, team_note=True, text="Secret"
    )
    client.force_login(mentor)
    assert "Secret" in client.get(_url(investment.application)).content.decode()
    # Their role goes; the assignment is left for someone to hand on.
    FundRole.objects.filter(user=mentor).delete()
    assert client.get(_url(investment.application)).status_code == 404
