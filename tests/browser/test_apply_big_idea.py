"""A constituted group applies for a big idea: partners, match funding over three years and
documents stored through the S3 storage against the loopback S3 server. axe checks every page."""

import re

import boto3
import pytest
from playwright.sync_api import expect

from organisations.models import Organisation
from tests.conftest import S3_BUCKET
from tests.factories import (
    PASSWORD,
    PDF_BYTES,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
)

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]


def _pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


@pytest.fixture
def group():
    fund = fund_with_tiers(name="Deal for Communities", reference_prefix="DFC")
    fund.places.create(name="Wigan Central")
    fund.themes.create(name="Work and skills")
    RoundFactory(fund=fund, name="Round 1: 2026 to 2027", budget=1_000_000)
    person = UserFactory(email="priya@hub.example.org", full_name="Priya Shah")
    return OrganisationFactory(
        name="Scholes Community Hub",
        legal_form=Organisation.LegalForm.CIO,
        charity_number="1181234",
        members=[person],
    )


def test_hub_sends_a_big_idea_with_partners_match_funding_and_documents_on_s3(
    page, assert_accessible, group, s3_storage, s3_server
):
    def heading(text):
        expect(page.get_by_role("heading", level=1)).to_have_text(text)
        assert_accessible(page)

    def complete_section():
        page.get_by_label("Yes, I’ve completed this section").check()
        page.get_by_role("button", name="Save and continue").click()

    def open_section(name):
        page.get_by_role("link", name=name, exact=True).click()
        heading(name)

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("priya@hub.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    heading("Your work")
    page.get_by_role("link", name="Your applications", exact=True).first.click()
    heading("Your applications")

    page.get_by_role("link", name="start an application for Scholes Community Hub").click()
    page.get_by_label(re.compile("Round 1: 2026 to 2027")).check()
    page.get_by_label("How much are you asking for?").fill("25000")
    page.get_by_role("button", name="Continue").click()
    heading("Your application")
    expect(page.get_by_text("You are applying for a big idea investment (over £10,000).")).to_be_visible()
    expect(page.get_by_text("You have completed 0 of 8 sections.")).to_be_visible()

    open_section("About your group")
    complete_section()

    open_section("Your idea")
    page.get_by_label("Project name").fill("Scholes digital skills hub")
    page.get_by_label("What will you do?").fill("Free computer classes and a job club.")
    page.get_by_label("Who will it help?").fill("People out of work in Scholes.")
    page.get_by_label("Wigan Central").check()
    page.get_by_label("Why does it matter to local people?").fill("One in five households has no internet.")
    page.get_by_label("How were local people involved in the idea?").fill(
        "Forty residents came to planning days."
    )
    page.get_by_label("How will it keep going once the investment is spent?").fill(
        "Room hire and a training contract with the college pay for it from year 3."
    )
    complete_section()

    open_section("Your goals")
    goals = ("More people in Scholes get work", "People feel confident online")
    for number, goal in enumerate(goals, start=1):
        row = page.get_by_role("group", name=f"Goal {number}")
        row.get_by_label("What will be different for local people?").fill(goal)
        row.get_by_label("Work and skills").check()
    complete_section()

    open_section("Match funding and support in kind")
    page.get_by_role("button", name="Add match funding or support in kind").click()
    heading("Add match funding or support in kind")
    page.get_by_label("Who is it from?").fill("National Lottery Community Fund")
    page.get_by_label("Amount or value").fill("5000")
    page.get_by_label("Money", exact=True).check()
    page.get_by_label("Secured").check()
    page.get_by_role("button", name="Save match funding").click()
    page.get_by_role("button", name="Add match funding or support in kind").click()
    page.get_by_label("Who is it from?").fill("Volunteers from the college")
    page.get_by_label("Amount or value").fill("2000")
    page.get_by_label(re.compile("Support in kind")).check()
    page.get_by_label("Applied for, not yet confirmed").check()
    page.get_by_role("button", name="Save match funding").click()
    heading("Match funding and support in kind")
    complete_section()

    open_section("Budget")
    for year in (1, 2, 3):
        page.get_by_label(f"What it is for, line {year}").fill(f"Tutor and room, year {year}")
        page.get_by_label(f"Cost in pounds, line {year}").fill("10000")
        page.get_by_label(f"Year of line {year}").select_option(f"Year {year}")
    # A slip on the way: the page says what is wrong, keeps the answers, and axe finds nothing.
    page.get_by_label("Cost in pounds, line 1").fill("10000.005")
    complete_section()
    expect(page.get_by_role("alert")).to_contain_text("no more than 2 decimal places")
    expect(page.get_by_label("What it is for, line 1")).to_have_value("Tutor and room, year 1")
    expect(page.get_by_label("Cost in pounds, line 3")).to_have_value("10000")
    assert_accessible(page)
    page.get_by_label("Cost in pounds, line 1").fill("10000")
    page.get_by_role("button", name="Save and come back later").click()
    open_section("Budget")
    expect(page.get_by_text("Budget total so far: £30,000.")).to_be_visible()
    complete_section()

    open_section("Partners")
    page.get_by_role("button", name="Add a partner").click()
    heading("Add a partner")
    page.get_by_label("Partner organisation's name").fill("Wigan and Leigh College")
    page.get_by_label("What will they do?").fill("Accredits the courses and lends tutors.")
    page.get_by_label("Letter of support (optional)").set_input_files(_pdf("college-letter.pdf"))
    page.get_by_role("button", name="Save partner").click()
    heading("Partners")
    expect(page.get_by_text("college-letter.pdf")).to_be_visible()
    complete_section()

    open_section("Documents")
    for label, name in (
        ("Constitution or governing document", "constitution.pdf"),
        ("Latest accounts or bank statement", "accounts-2025.pdf"),
        ("Safeguarding policy", "safeguarding.pdf"),
    ):
        page.get_by_label(label).check()
        page.get_by_label("Choose the file").set_input_files(_pdf(name))
        page.get_by_role("button", name="Upload").click()
        expect(page.get_by_text(f"{name} has been uploaded.")).to_be_visible()
    assert_accessible(page)
    complete_section()

    open_section("Declaration")
    page.get_by_label(re.compile("I confirm that the information")).check()
    page.get_by_label("Your full name").fill("Priya Shah")
    page.get_by_role("button", name="Save and continue").click()

    heading("Check your answers before sending your application")
    expect(page.get_by_text("National Lottery Community Fund")).to_be_visible()

    page.get_by_role("button", name="Accept and send").click()
    heading("Application sent")
    reference = page.locator(".govuk-panel__body strong").inner_text()

    page.get_by_role("link", name="View your application").click()
    heading("Scholes digital skills hub")
    expect(page.get_by_text(reference)).to_be_visible()

    # The files went to the bucket under unguessable names, not the names people gave them.
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-2")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=S3_BUCKET, Prefix="applications/")["Contents"]]
    assert len(keys) == 4
    assert not any("constitution" in key or "letter" in key for key in keys)

    # Downloading goes through a short signed address.
    with page.expect_download() as download:
        page.get_by_role("link", name="constitution.pdf").click()
    assert download.value.suggested_filename == "constitution.pdf"
    assert "X-Amz-Signature" in download.value.url
