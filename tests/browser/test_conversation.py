"""The fund team asks a group for a document through the conversation; the group replies with the
file from its landing page; the officer finds the reply waiting and reads it in the timeline, and
writes a note the group never sees. axe checks every page; the group's side works at 390 px wide
and with JavaScript off."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from fund.models import FundRole
from tests.factories import (
    PDF_BYTES,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
    staff,
    submitted_application,
)
from tests.support.browser import signed_in_tab

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    fund = fund_with_tiers(name="Deal for Communities", reference_prefix="DFC")
    round = RoundFactory(fund=fund, name="Round 1: 2026 to 2027", budget=Decimal("100000.00"))
    member = UserFactory(email="sam@knit.example.org", full_name="Sam Hughes")
    return {
        "application": submitted_application(round=round, amount_requested=Decimal("1500.00"), member=member),
        "member": member,
        "officer": staff(FundRole.Role.OFFICER, fund, full_name="Olivia Officer"),
    }


def _heading(page, text, assert_accessible):
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(text))
    assert_accessible(page)


def _group_replies_with_a_file(group, tmp_path, assert_accessible):
    _heading(group, "Your work", assert_accessible)
    expect(group.get_by_text("They asked: Please send your constitution.")).to_be_visible()
    group.get_by_role("link", name=re.compile("Answer the fund team")).click()
    _heading(group, "Update your application", assert_accessible)
    group.get_by_role("link", name="reply to the fund team").click()
    _heading(group, "Messages", assert_accessible)
    expect(group.get_by_text("Please send your constitution.")).to_be_visible()
    # A message with nothing in it is refused, with the file to choose again.
    group.get_by_role("button", name="Send").click()
    expect(group.get_by_role("alert")).to_contain_text("Write your message")
    assert_accessible(group)
    constitution = tmp_path / "constitution.pdf"
    constitution.write_bytes(PDF_BYTES)
    group.get_by_label("Your message").fill("Here is our constitution.")
    group.get_by_label("Attach a file (optional)").set_input_files(str(constitution))
    group.get_by_role("button", name="Send").click()
    expect(group.get_by_text("Your message is sent.")).to_be_visible()
    expect(group.get_by_role("link", name="constitution.pdf")).to_be_visible()
    assert_accessible(group)


def test_the_officer_asks_for_a_document_and_reads_the_reply_in_the_timeline(
    world, person, assert_accessible, tmp_path
):
    application = world["application"]
    officer = person(world["officer"])
    _heading(officer, "Your work", assert_accessible)
    officer.get_by_role("link", name="1 application to check").click()
    officer.get_by_role("link", name=application.reference).click()
    officer.get_by_label("Not yet: the group needs to give more information").check()
    officer.get_by_label("Your message to the group").fill("Please send your constitution.")
    officer.get_by_role("button", name="Save the check").click()

    group = person(world["member"])
    _group_replies_with_a_file(group, tmp_path, assert_accessible)

    officer.goto("/home/")
    officer.get_by_role("link", name="1 message waiting for an answer").click()
    _heading(officer, "Messages waiting for an answer", assert_accessible)
    officer.get_by_role("link", name=re.compile(application.reference)).click()
    _heading(officer, "Messages", assert_accessible)
    timeline = officer.locator(".portal-timeline")
    expect(timeline).to_contain_text("Sent back for more information")
    expect(timeline).to_contain_text("Here is our constitution.")
    expect(officer.get_by_text("New", exact=True)).to_be_visible()
    with officer.expect_download() as download:
        officer.get_by_role("link", name="constitution.pdf").click()
    assert download.value.suggested_filename == "constitution.pdf"
    officer.get_by_label("Your message").fill("Their treasurer changed last month.")
    officer.get_by_label("A note for the fund team only: the group will not see it").check()
    officer.get_by_role("button", name="Send").click()
    expect(officer.get_by_text("Your note is saved.")).to_be_visible()
    expect(officer.get_by_text("Note: fund team only")).to_be_visible()
    assert_accessible(officer)

    group.reload()
    expect(group.get_by_text("Here is our constitution.")).to_be_visible()
    expect(group.get_by_text("Their treasurer changed")).to_have_count(0)


def _send_back(world, live_server) -> None:
    from assessment import services as assessment

    assessment.send_back_for_information(
        application=world["application"],
        questions="Please send your constitution.",
        by=world["officer"],
        base_url=live_server.url,
    )


def test_the_group_replies_on_a_390_px_screen(world, chromium, live_server, assert_accessible, tmp_path):
    _send_back(world, live_server)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        group = signed_in_tab(context, world["member"])
        _group_replies_with_a_file(group, tmp_path, assert_accessible)
        assert group.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_the_group_replies_without_javascript(world, chromium, live_server, tmp_path):
    _send_back(world, live_server)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        group = signed_in_tab(context, world["member"])
        # axe runs in the page's JavaScript: here only what a person sees is checked.
        _group_replies_with_a_file(group, tmp_path, lambda tab: None)
    finally:
        context.close()
