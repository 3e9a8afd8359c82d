"""After an award, in real browsers: an update with a story and a photo on S3, read by the
officer, who approves the story and photo for the public pages; changing tack, agreed by an
officer beside the conversation, with history kept; the top-suggested mentor's shared and private
notes. axe checks every page visited."""

import io
import re

import boto3
import pytest
from PIL import Image
from playwright.sync_api import expect

from fund.models import FundRole
from mentoring.models import MentorProfile
from tests.conftest import S3_BUCKET
from tests.factories import UserFactory, awarded_investment, first_update_due_now, staff
from tests.support.browser import signed_in_tab

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 750), (0, 98, 94)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def investment():
    member = UserFactory(email="sam@knit.example.org", full_name="Sam Hughes")
    investment = awarded_investment(member=member, start_date=first_update_due_now())
    investment.member = member
    return investment


def _heading(page, text, assert_accessible):
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(text))
    assert_accessible(page)


def _shows_thumbnail(tab, alt: str) -> None:
    """The photo is on the page, small, and the browser loaded it from the portal."""
    photo = tab.get_by_role("img", name=alt)
    expect(photo).to_be_visible()
    expect(photo).to_have_attribute("width", "320")
    expect(photo).to_have_js_property("naturalWidth", 640)


def test_group_sends_an_update_with_a_story_and_photo_and_the_officer_reads_and_publishes_it(
    investment, person, assert_accessible, s3_storage, s3_server
):
    application = investment.application
    goal = application.goals.current().get()

    group = person(investment.member)
    # The update due is on the group's landing page.
    _heading(group, "Your work", assert_accessible)
    group.get_by_role("link", name=re.compile("Progress update 1 for")).click()
    _heading(group, application.title, assert_accessible)
    group.get_by_role("button", name="Send your update").click()
    _heading(group, "Your update", assert_accessible)
    group.get_by_role("group", name=goal.description).get_by_label("On track").check()
    group.get_by_label("A few words (optional)").fill("Twelve people come every week now.")
    group.get_by_label("A story of someone you helped (optional)").fill(
        "A widower who had not left the house in months now brings the biscuits."
    )
    group.get_by_label("They agreed to their story being shared").check()
    group.get_by_label("A photo (optional)").set_input_files(
        {"name": "knitting.png", "mimeType": "image/png", "buffer": _png()}
    )
    group.get_by_label("Describe the photo (optional)").fill("The knitting circle at the library")
    group.get_by_label("The people in the photo agreed to it being published").check()
    group.get_by_label("People reached since the last update (optional)").fill("12")
    group.get_by_role("button", name="Continue").click()
    _heading(group, "Check your update", assert_accessible)
    _shows_thumbnail(group, "The knitting circle at the library")
    group.get_by_role("button", name="Send update").click()
    _heading(group, application.title, assert_accessible)
    expect(group.get_by_text("Your update has been sent.")).to_be_visible()
    expect(
        group.get_by_text("Waiting for the fund team to approve it before it is published")
    ).to_be_visible()

    # In the bucket: the photo as sent, and the small copy pages show, in a folder of their own
    # and neither named after the file chosen.
    photo = investment.updates.get(number=1).photo.name
    keys = sorted(
        item["Key"]
        for item in boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-2")
        .list_objects_v2(Bucket=S3_BUCKET, Prefix=photo.rsplit("/", 1)[0] + "/")
        .get("Contents", [])
    )
    assert photo.endswith(".png")
    assert keys == sorted([photo, photo.removesuffix(".png") + "-w640.jpg"])
    assert "knitting" not in photo

    officer = person(investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user)
    officer.get_by_role("link", name="1 progress update to read").click()
    _heading(officer, "Investments", assert_accessible)
    officer.get_by_role("link", name=application.reference, exact=True).click()
    _heading(officer, application.reference, assert_accessible)
    expect(officer.get_by_text("now brings the biscuits")).to_be_visible()
    expect(officer.get_by_text("The person in it agreed to it being shared.")).to_be_visible()
    expect(officer.get_by_text("Not approved for publishing yet")).to_be_visible()
    _shows_thumbnail(officer, "The knitting circle at the library")
    officer.get_by_label("A short comment back to the group (optional)").fill("Wonderful news. Thank you.")
    officer.get_by_role("button", name="Mark as read").click()
    expect(officer.get_by_text("Update 1 is marked as read.")).to_be_visible()
    assert_accessible(officer)
    officer.get_by_role("button", name="Approve for publishing with the photo").click()
    expect(
        officer.get_by_text("The story from update 1 is approved for publishing, with its photo.")
    ).to_be_visible()
    expect(officer.get_by_text(re.compile("Approved for publishing by .*, with the photo"))).to_be_visible()
    assert_accessible(officer)

    group.reload()
    expect(group.get_by_text("The fund team says: Wonderful news. Thank you.")).to_be_visible()
    expect(group.get_by_text("Published with your story")).to_be_visible()
    group.get_by_role("link", name="read it there").click()
    expect(group.get_by_text("now brings the biscuits")).to_be_visible()
    # Told without names, so the photo is not described in the group's own words in public.
    _shows_thumbnail(group, "A photo from this story")
    assert_accessible(group)


def test_group_changes_tack_and_the_history_shows_both_versions(investment, person, assert_accessible):
    application = investment.application
    goal = application.goals.current().get()
    group = person(investment.member)
    group.goto(f"/investments/{investment.pk}/goals/")
    _heading(group, "Your goals", assert_accessible)
    group.get_by_role("link", name=f"Change {goal.description}").click()
    _heading(group, "Change a goal", assert_accessible)
    group.get_by_label("What will be different for local people?").fill("Young carers get a weekly break")
    group.get_by_role("button", name="Send to the fund team").click()
    expect(group.get_by_role("alert")).to_contain_text("Enter why you are changing tack")
    assert_accessible(group)
    group.get_by_label("Why are you changing tack?").fill(
        "Older people already have a club; young carers do not."
    )
    group.get_by_role("button", name="Send to the fund team").click()
    # The change waits for the fund team; the goal stays as it was until then.
    _heading(group, "Your goals", assert_accessible)
    expect(group.get_by_text("Your change is sent to the fund team.")).to_be_visible()
    expect(group.get_by_role("heading", name="Waiting for the fund team")).to_be_visible()

    officer = person(investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user)
    officer.goto(f"/manage/investments/{investment.pk}/")
    _heading(officer, application.reference, assert_accessible)
    officer.get_by_role("link", name=f"Change a goal: {goal.description}").click()
    _heading(officer, "Change a goal", assert_accessible)
    expect(officer.get_by_role("heading", name="The conversation")).to_be_visible()
    officer.get_by_role("button", name="Do not agree").click()
    expect(officer.get_by_role("alert")).to_contain_text("Enter why the change cannot be agreed")
    assert_accessible(officer)
    officer.get_by_role("button", name="Agree the change").click()
    expect(officer.get_by_text("The change of goals is agreed")).to_be_visible()
    expect(
        officer.get_by_text("Changed because: Older people already have a club; young carers do not.")
    ).to_be_visible()
    expect(officer.get_by_text(re.compile(f"Before .*: {goal.description}"))).to_be_visible()

    group.goto(f"/investments/{investment.pk}/goals/")
    expect(group.get_by_text("Now: Young carers get a weekly break")).to_be_visible()
    expect(group.get_by_text(re.compile(f"Before .*: {goal.description}"))).to_be_visible()
    assert_accessible(group)


def test_a_change_of_goals_is_proposed_and_not_agreed_without_javascript(investment, chromium, live_server):
    goal = investment.application.goals.current().get()
    officer_user = investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        group = signed_in_tab(context, investment.member)
        group.goto(f"/investments/{investment.pk}/goals/")
        # The only goal is not offered to stop; asked for all the same, it is refused.
        expect(group.get_by_role("link", name=f"Stop {goal.description}")).to_have_count(0)
        group.goto(f"/investments/{investment.pk}/goals/{goal.pk}/stop/")
        group.get_by_label("Why are you stopping this goal?").fill("The hall closed.")
        group.get_by_role("button", name="Stop this goal").click()
        # The only goal cannot be stopped: the group is told, and what it typed is kept.
        expect(group.get_by_role("alert")).to_contain_text("Keep at least one goal")
        expect(group.get_by_label("Why are you stopping this goal?")).to_have_value("The hall closed.")
        group.goto(f"/investments/{investment.pk}/goals/add/")
        group.get_by_label("What will be different for local people?").fill("Carers get a break")
        group.get_by_label("Why are you changing tack?").fill("Carers asked us.")
        group.get_by_role("button", name="Send to the fund team").click()
        expect(group.get_by_role("heading", name="Waiting for the fund team")).to_be_visible()

        officer = signed_in_tab(
            context.browser.new_context(base_url=live_server.url, java_script_enabled=False), officer_user
        )
        officer.goto(f"/manage/investments/{investment.pk}/")
        officer.get_by_role("link", name=re.compile("Add a goal")).click()
        officer.get_by_label("Why can the change not be agreed?").fill(
            "The panel funded older people's work."
        )
        officer.get_by_role("button", name="Do not agree").click()
        expect(officer.get_by_text("The change is not agreed.")).to_be_visible()
        officer.context.close()

        group.goto(f"/investments/{investment.pk}/goals/")
        expect(group.get_by_text(re.compile("The fund team did not agree"))).to_be_visible()
        group.get_by_role("link", name="Answer in your conversation with the fund team").click()
        expect(group.get_by_text(re.compile("The panel funded older people's work."))).to_be_visible()
    finally:
        context.close()


def test_a_pasted_web_address_in_a_goal_wraps_on_a_phone(investment, person):
    goal = investment.application.goals.current().get()
    address = "https://www.facebook.com/groups/" + "knitandnatter" * 8 + "/posts/1234567890123456789"
    goal.description = f"Members share news at {address}"
    goal.change_reason = f"We moved online: {address}"
    goal.save()
    group = person(investment.member)
    group.set_viewport_size({"width": 390, "height": 844})
    group.goto(f"/investments/{investment.pk}/goals/")
    expect(group.get_by_role("heading", level=1)).to_have_text("Your goals")
    assert group.evaluate("document.documentElement.scrollWidth") <= 390


def test_officer_assigns_the_top_suggested_mentor_whose_private_note_the_group_cannot_see(
    investment, person, assert_accessible
):
    fund = investment.round.fund
    place = investment.application.places.first()
    best = staff(FundRole.Role.MENTOR, fund, full_name="Martin Mentor")
    MentorProfile.objects.create(user=best, capacity=3).places.add(place)
    other = staff(FundRole.Role.MENTOR, fund, full_name="Zara Elsewhere")
    MentorProfile.objects.create(user=other, capacity=3)

    officer = person(fund.roles.get(role=FundRole.Role.OFFICER).user)
    officer.goto(f"/manage/investments/{investment.pk}/")
    _heading(officer, investment.application.reference, assert_accessible)
    officer.get_by_role("link", name="Assign a mentor").click()
    _heading(officer, "Assign a mentor", assert_accessible)
    mentors = officer.get_by_role("group", name="Choose a mentor").get_by_role("radio")
    expect(mentors.first).to_have_accessible_name(re.compile("^Martin Mentor: 1 place"))
    mentors.first.check()
    officer.get_by_role("button", name="Assign mentor").click()
    expect(officer.get_by_text("Martin Mentor is now the mentor.")).to_be_visible()
    assert_accessible(officer)

    mentor = person(best)
    _heading(mentor, "Your work", assert_accessible)
    mentor.get_by_role("link", name=re.compile(investment.application.reference)).click()
    _heading(mentor, investment.application.reference, assert_accessible)
    for text, who in (
        ("Met at the library: agreed to try a Saturday session.", "Shared with the group"),
        (
            "Treasurer seems stretched; keep an eye on the accounts.",
            "Private: the fund team and mentors only",
        ),
    ):
        mentor.get_by_label("Meeting", exact=True).check()
        mentor.get_by_label("Your note").fill(text)
        mentor.get_by_label(who).check()
        mentor.get_by_role("button", name="Save note").click()
        expect(mentor.get_by_text("Your note is saved")).to_be_visible()
    assert_accessible(mentor)

    group = person(investment.member)
    group.goto(f"/investments/{investment.pk}/")
    _heading(group, investment.application.title, assert_accessible)
    expect(group.locator("dd", has_text="Martin Mentor")).to_contain_text(best.email)
    expect(group.get_by_text("agreed to try a Saturday session")).to_be_visible()
    expect(group.get_by_text("Treasurer seems stretched")).to_have_count(0)
