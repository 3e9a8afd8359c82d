"""A round asks its own questions, in Chromium, with no admin and no shell: a fund officer builds an
eligibility section at the very start and a section with a question of each of the nine kinds,
previews it; one group is stopped by its eligibility answer and told why at once; another gives a
bad answer of every kind, is told each, puts them right and sends its application; the officer
and a panel member read the answers; the officer copies the questions to a new round. Then the
section is answered with JavaScript off on a 390 px phone screen. axe checks each new page."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from fund.models import FundRole
from questions.models import Placement
from tests.browser.test_narrow_screens import OVERFLOW, PHONE
from tests.factories import (
    PDF_BYTES,
    ApplicationFactory,
    OrganisationFactory,
    QuestionFactory,
    QuestionSectionFactory,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
    question_of_each_kind,
    staff,
)
from tests.support.browser import signed_in_tab

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ELIGIBILITY = "Is your group based in the borough?"
REASON = "This fund is for groups based in Wigan."
START = "Can you apply?"
VENUE = "Your venue"

SHORT = "What is the venue called?"
LONG = "Describe the venue"
NUMBER = "How many people can it hold?"
MONEY = "What does the room cost each year?"
YES_NO = "Is the venue step-free?"
ONE_OF = "Who owns the venue?"
SEVERAL = "Who will come?"
DATE = "When can you start using it?"
FILE = "A plan of the venue"

# Each kind as the builder offers it, the question asked, and what else the kind needs.
NINE = [
    ("Short text, on one line", SHORT, {}),
    ("Long text, with a word limit", LONG, {"Word limit": "10"}),
    ("A whole number", NUMBER, {}),
    ("An amount of money", MONEY, {}),
    ("Yes or no", YES_NO, {}),
    ("One from a list", ONE_OF, {"The answers to choose from": "The council\nA church\nOur group"}),
    (
        "One or more from a list",
        SEVERAL,
        {"The answers to choose from": "Older people\nYoung people\nFamilies"},
    ),
    ("A date", DATE, {}),
    ("A file to upload", FILE, {}),
]


def _pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def _heading(tab, text, assert_accessible=None):
    expect(tab.get_by_role("heading", level=1)).to_have_text(re.compile(text))
    if assert_accessible:
        assert_accessible(tab)


def _add_section(officer, title: str, placement: str, assert_accessible=None) -> None:
    officer.get_by_role("button", name="Add a section").click()
    _heading(officer, "Add a section", assert_accessible)
    officer.get_by_label("Section title").fill(title)
    officer.get_by_label(placement).check()
    officer.get_by_role("button", name="Save").click()
    expect(officer.get_by_text(f"The section ‘{title}’ has been saved.")).to_be_visible()


def _add_question(
    officer, section: str, kind: str, label: str, settings: dict, *, check=None, check_kinds=None
):
    """Add a question through the builder's two steps; ``check_kinds`` runs axe on the first."""
    officer.get_by_role("button", name=f"Add a question to ‘{section}’").click()
    _heading(officer, re.escape(f"Add a question to ‘{section}’"), check_kinds)
    officer.get_by_label(kind, exact=True).check()
    officer.get_by_role("button", name="Continue").click()
    _heading(officer, "Add a question: ", check)
    officer.get_by_label("Question", exact=True).fill(label)
    for field, value in settings.items():
        if field == "stops on":
            officer.get_by_label(value, exact=True).check()
        else:
            officer.get_by_label(field).fill(value)
    officer.get_by_role("button", name="Save").click()
    expect(officer.get_by_text(f"The question ‘{label}’ has been added.")).to_be_visible()


def _complete(tab) -> None:
    tab.get_by_label("Yes, I’ve completed this section").check()
    tab.get_by_role("button", name="Save and continue").click()


def _start_application(tab, organisation, amount: str) -> None:
    tab.goto(f"/groups/{organisation.pk}/apply/")
    _heading(tab, "Apply for an investment")
    tab.get_by_label(re.compile("Round 1")).check()
    tab.get_by_label("How much are you asking for?").fill(amount)
    tab.get_by_role("button", name="Continue").click()
    _heading(tab, "Your application")


def _answer_eligibility(tab, answer: str, assert_accessible=None) -> None:
    tab.get_by_role("link", name=START).click()
    _heading(tab, START, assert_accessible)
    tab.get_by_role("group", name=ELIGIBILITY).get_by_label(answer, exact=True).check()
    # Answering the questions at the start is completing them: no "Have you completed" question.
    tab.get_by_role("button", name="Continue").click()


def _answer_the_venue_well(tab) -> None:
    tab.get_by_label(SHORT).fill("The Old Library")
    tab.get_by_label(LONG).fill("A warm room with a kitchen")
    tab.get_by_label(NUMBER).fill("40")
    tab.get_by_label(MONEY).fill("£1,250.50")
    tab.get_by_role("group", name=YES_NO).get_by_label("Yes", exact=True).check()
    tab.get_by_label("A church").check()
    tab.get_by_label("Older people").check()
    tab.get_by_label("Families").check()
    date = tab.get_by_role("group", name=DATE)
    for box, value in (("Day", "27"), ("Month", "3"), ("Year", "2027")):
        date.get_by_label(box).fill(value)
    tab.get_by_label(FILE).set_input_files(_pdf("venue-plan.pdf"))


def test_an_officer_builds_questions_groups_answer_them_and_a_new_round_copies_them(
    person, assert_accessible
):
    fund = fund_with_tiers(name="Deal for Communities", reference_prefix="DFC")
    fund.places.create(name="Wigan Central")
    fund.themes.create(name="Less loneliness and isolation")
    round = RoundFactory(fund=fund, name="Round 1: 2026 to 2027", budget=Decimal("100000.00"))
    officer_user = staff(FundRole.Role.OFFICER, fund, full_name="Olivia Officer")
    reviewers = [
        staff(FundRole.Role.PANEL, fund, full_name="Priya Panel"),
        staff(FundRole.Role.PANEL, fund, full_name="Rob Reviewer"),
    ]
    member_a = UserFactory(full_name="Alex Ashton")
    group_a = OrganisationFactory(name="Orrell Walkers", members=[member_a])
    member_b = UserFactory(full_name="Sam Hughes")
    group_b = OrganisationFactory(name="Leigh Knit and Natter", members=[member_b])

    # --- The officer builds the round's questions ---------------------------------------------
    officer = person(officer_user)
    officer.goto(f"/manage/rounds/{round.pk}/")
    _heading(officer, "Round 1: 2026 to 2027")
    officer.get_by_role("link", name="The round's own questions").click()
    _heading(officer, "The round's own questions", assert_accessible)
    expect(officer.get_by_text("This round asks no questions of its own yet.")).to_be_visible()

    _add_section(officer, START, "At the very start", assert_accessible)
    _add_question(
        officer,
        START,
        "Yes or no",
        ELIGIBILITY,
        {"stops on": "No stops it", "What the group is told when its answer stops it": REASON},
        check=assert_accessible,
        check_kinds=assert_accessible,
    )
    expect(officer.get_by_text(f"The group is told: “{REASON}”")).to_be_visible()

    _add_section(officer, VENUE, "After ‘Your idea’")
    for kind, label, settings in NINE:
        # axe looks at each form with settings of its own (the other kinds share short text's).
        check = assert_accessible if label in (SHORT, LONG, ONE_OF, SEVERAL) else None
        _add_question(officer, VENUE, kind, label, settings, check=check)
    venue = officer.locator("section", has=officer.get_by_role("heading", name=VENUE, level=2))
    expect(venue.locator(".portal-question")).to_have_count(9)
    expect(venue.get_by_text("Long text, with a word limit, up to 10 words.")).to_be_visible()
    assert_accessible(officer)

    venue.get_by_role("link", name=f"Preview ‘{VENUE}’").click()
    _heading(officer, VENUE, assert_accessible)
    for _, label, _ in NINE:
        expect(officer.get_by_text(label, exact=True).first).to_be_visible()
    expect(officer.get_by_text("Nothing you type here is saved.", exact=False)).to_be_visible()

    # --- Group A is not based in the borough: told why at once -------------------------------
    group = person(member_a)
    _start_application(group, group_a, "£1,500")
    assert_accessible(group)
    expect(group.get_by_role("link", name=START)).to_be_visible()
    expect(group.get_by_role("link", name="Your idea")).to_have_count(0)  # cannot start yet
    _answer_eligibility(group, "No", assert_accessible)
    _heading(group, "This application cannot go ahead", assert_accessible)
    expect(group.get_by_text(REASON)).to_be_visible()

    # --- Group B can apply; every kind refuses a bad answer, then takes a good one -----------
    tab = person(member_b)
    _start_application(tab, group_b, "£5,000")
    expect(tab.get_by_text("You are applying for a start-up investment")).to_be_visible()
    _answer_eligibility(tab, "Yes")
    _heading(tab, "Your application")
    expect(tab.get_by_role("link", name="Your idea")).to_be_visible()
    assert_accessible(tab)

    tab.get_by_role("link", name=VENUE).click()
    _heading(tab, VENUE, assert_accessible)
    tab.get_by_label(LONG).fill("A warm room with a kitchen, a garden, a piano and parking outside")
    tab.get_by_label(NUMBER).fill("twelve")
    tab.get_by_label(MONEY).fill("lots")
    date = tab.get_by_role("group", name=DATE)
    for box, value in (("Day", "31"), ("Month", "2"), ("Year", "2027")):
        date.get_by_label(box).fill(value)
    notes = {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Just some notes about the venue.\n"}
    tab.get_by_label(FILE).set_input_files(notes)
    _complete(tab)

    summary = tab.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    _heading(tab, VENUE, assert_accessible)
    expected = [
        f"Enter your answer to ‘{SHORT}’",
        f"Your answer to ‘{LONG}’ must be 10 words or fewer: it has 13",
        f"Enter the answer to ‘{NUMBER}’ as a whole number, like 12",
        f"Enter the amount for ‘{MONEY}’ as a number of pounds, like 1500 or 1500.50",
        f"Select yes or no for ‘{YES_NO}’",
        f"Select an answer to ‘{ONE_OF}’",
        f"Select at least one answer to ‘{SEVERAL}’",
        f"The date for ‘{DATE}’ must be a real date, for example 27 3 2027",
        "The selected file must be a PDF, DOCX, XLSX, ODT, JPG or PNG",
    ]
    for message in expected:
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(len(expected))
    # What was typed is kept, to be put right.
    expect(tab.get_by_label(LONG)).to_have_value(re.compile("a piano and parking outside"))
    expect(tab.get_by_label(NUMBER)).to_have_value("twelve")
    expect(tab.get_by_label(MONEY)).to_have_value("lots")
    date = tab.get_by_role("group", name=DATE)
    for box, value in (("Day", "31"), ("Month", "2"), ("Year", "2027")):
        expect(date.get_by_label(box)).to_have_value(value)

    _answer_the_venue_well(tab)
    _complete(tab)
    _heading(tab, "Your application")
    venue_status = tab.locator(".govuk-task-list__item", has=tab.get_by_role("link", name=VENUE))
    expect(venue_status.locator(".govuk-task-list__status")).to_have_text("Completed")

    # The built-in sections, as any group fills them.
    tab.get_by_role("link", name="About your group").click()
    _complete(tab)
    tab.get_by_role("link", name="Your idea").click()
    tab.get_by_label("Project name").fill("Knit and natter")
    tab.get_by_label("What will you do?").fill("Weekly knitting afternoons at the Old Library.")
    tab.get_by_label("Who will it help?").fill("Older people living alone in Leigh.")
    tab.get_by_label("Wigan Central", exact=True).check()
    tab.get_by_label("Why does it matter to local people?").fill("Loneliness shortens lives.")
    tab.get_by_label("How were local people involved in the idea?").fill("Our members asked for it.")
    _complete(tab)
    tab.get_by_role("link", name="Your goals").click()
    goal = tab.get_by_role("group", name="Goal 1")
    goal.get_by_label("What will be different for local people?").fill("Fewer older people feel alone")
    goal.get_by_label("Less loneliness and isolation").check()
    _complete(tab)
    tab.get_by_role("link", name="Budget", exact=True).click()
    tab.get_by_label("What it is for, line 1").fill("Room hire, wool and tea")
    tab.get_by_label("Cost in pounds, line 1").fill("5000")
    _complete(tab)
    for name in ("Match funding and support in kind", "Partners"):
        tab.get_by_role("link", name=name, exact=True).click()
        _complete(tab)
    tab.get_by_role("link", name="Documents", exact=True).click()
    for label, name in (
        ("Constitution or governing document", "constitution.pdf"),
        ("Safeguarding policy", "safeguarding.pdf"),
    ):
        tab.get_by_label(label).check()
        tab.get_by_label("Choose the file").set_input_files(_pdf(name))
        tab.get_by_role("button", name="Upload").click()
        expect(tab.get_by_text(f"{name} has been uploaded.")).to_be_visible()
    _complete(tab)
    tab.get_by_role("link", name="Declaration").click()
    tab.get_by_label(re.compile("I confirm that the information")).check()
    tab.get_by_label("Your full name").fill("Sam Hughes")
    tab.get_by_role("button", name="Save and continue").click()

    _heading(tab, "Check your answers before sending your application", assert_accessible)
    expect(tab.get_by_text("The Old Library", exact=True)).to_be_visible()
    tab.get_by_role("button", name="Accept and send").click()
    _heading(tab, "Application sent")
    reference = tab.locator(".govuk-panel__body strong").inner_text()

    # --- The officer and a panel member read the answers --------------------------------------
    answers = {
        ELIGIBILITY: "Yes",
        SHORT: "The Old Library",
        LONG: "A warm room with a kitchen",
        NUMBER: "40",
        MONEY: "£1,250.50",
        YES_NO: "Yes",
        ONE_OF: "A church",
        SEVERAL: "Older people\nFamilies",
        DATE: "27 March 2027",
        FILE: "venue-plan.pdf",
    }

    def reads_the_answers(reader) -> None:
        for question, answer in answers.items():
            row = reader.locator(".govuk-summary-list__row", has=reader.get_by_text(question, exact=True))
            value = row.locator(".govuk-summary-list__value")
            # Several answers are on lines of their own.
            expect(value).to_be_visible()
            expect(value).to_have_text(re.compile(r"\s*".join(map(re.escape, answer.split("\n")))))
        # The file given in answer is there to open.
        expect(reader.get_by_role("link", name="venue-plan.pdf")).to_be_visible()

    officer.goto("/home/")
    officer.get_by_role("link", name="1 application to check").click()
    officer.get_by_role("link", name=reference).click()
    _heading(officer, reference, assert_accessible)
    reads_the_answers(officer)
    officer.get_by_label("Yes, it is eligible").check()
    officer.get_by_role("button", name="Save the check").click()
    officer.get_by_text("Choose reviewers by hand").click()
    for reviewer in reviewers:
        officer.get_by_label(reviewer.full_name).check()
    officer.get_by_role("button", name="Assign reviewers", exact=True).click()
    expect(officer.get_by_text("The reviewers have been assigned.")).to_be_visible()

    panel = person(reviewers[0])
    panel.get_by_role("link", name=reference).click()
    _heading(panel, "Declare your interests")
    panel.get_by_label("No", exact=True).check()
    panel.get_by_role("button", name="Continue").click()
    _heading(panel, f"Review {reference}", assert_accessible)
    for part in (START, VENUE, "Documents"):  # each part of the application opens to be read
        panel.locator("summary", has_text=part).click()
    reads_the_answers(panel)

    # --- A new round copies the questions ------------------------------------------------------
    officer.goto(f"/manage/funds/{fund.slug}/")
    officer.get_by_role("button", name="Add a round").click()
    _heading(officer, "Add a round")
    officer.get_by_label("Round name").fill("Round 2: 2027 to 2028")
    for legend, day in (("Opening date", "1"), ("Closing date", "30")):
        dates = officer.get_by_role("group", name=legend)
        for box, value in (("Day", day), ("Month", "4"), ("Year", "2027")):
            dates.get_by_label(box).fill(value)
    officer.get_by_label("Budget", exact=True).fill("80000")
    officer.get_by_role("button", name="Save round").click()
    _heading(officer, "Round 2: 2027 to 2028")
    officer.get_by_role("link", name="The round's own questions").click()
    _heading(officer, "The round's own questions")
    officer.get_by_role("button", name="Copy questions from another round").click()
    _heading(officer, "Copy questions from another round", assert_accessible)
    officer.get_by_label("Round 1: 2026 to 2027").check()
    officer.get_by_role("button", name="Copy the questions").click()
    expect(
        officer.get_by_text("10 questions copied from Round 1: 2026 to 2027.", exact=False)
    ).to_be_visible()
    _heading(officer, "The round's own questions")
    for title in (START, VENUE):
        expect(officer.get_by_role("heading", name=title, level=2)).to_be_visible()
    for label in (ELIGIBILITY, *(label for _, label, _ in NINE)):
        expect(officer.get_by_role("heading", name=label, level=3)).to_be_visible()
    expect(officer.get_by_text(f"The group is told: “{REASON}”")).to_be_visible()


# --- JavaScript off, on a phone ------------------------------------------------------------------

# Officers paste web addresses into what they write: one long unbroken word.
GUIDANCE = (
    "https://www.wigan.gov.uk/Council/Strategies-Plans-and-Policies/Community-Investment-Fund-guidance.aspx"
)
TERMS = f"Have you read the fund's terms at {GUIDANCE}?"


def _ends_inside_the_screen(tab) -> None:
    """Without JavaScript (nothing may run in the page), measured from outside it: a picture of the
    whole page is as wide as everything on it, so it is no wider than the 390 px screen."""
    picture = tab.screenshot(full_page=True)
    width = int.from_bytes(picture[16:20], "big")  # a PNG's header gives its width
    assert width <= PHONE["width"], f"{tab.url} is {width} px wide"


def _fits(tab) -> None:
    """With JavaScript, as every phone page is checked: nothing past the edge, no sideways scroll."""
    found = tab.evaluate(OVERFLOW)
    assert found["scrollWidth"] <= PHONE["width"] and not found["over"], f"{tab.url}: {found}"


def test_a_group_answers_a_section_with_javascript_off_on_a_phone(chromium, live_server):
    member = UserFactory(full_name="Sam Hughes")
    application = ApplicationFactory(
        round=RoundFactory(fund=fund_with_tiers(name="Deal for Communities"), name="Round 1"),
        organisation=OrganisationFactory(members=[member]),
    )
    section = QuestionSectionFactory(
        round=application.round, title=VENUE, hint=f"Read {GUIDANCE} first", placement=Placement.IDEA
    )
    questions = {kind: question.label for kind, question in question_of_each_kind(section).items()}
    QuestionFactory(section=section, kind="yes_no", label=TERMS, hint=f"The terms: {GUIDANCE}")
    url = f"/applications/{application.pk}/questions/{section.pk}/"

    def bad_answers(tab, *, unanswered: bool) -> None:
        tab.get_by_label(questions["short_text"]).fill("The church hall")
        tab.get_by_label(questions["whole_number"]).fill("twelve")
        tab.get_by_label(questions["long_text"]).fill(
            "Warm, dry, free, close to the bus station and step-free"
        )
        _complete(tab)
        summary = tab.locator(".govuk-error-summary")
        expect(summary).to_contain_text(
            f"Enter the answer to ‘{questions['whole_number']}’ as a whole number"
        )
        expect(summary).to_contain_text(f"Your answer to ‘{questions['long_text']}’ must be 5 words or fewer")
        if unanswered:
            expect(summary).to_contain_text(f"Select yes or no for ‘{TERMS}’")
        expect(tab.get_by_label(questions["short_text"])).to_have_value("The church hall")
        expect(tab.get_by_label(questions["whole_number"])).to_have_value("twelve")

    plain = chromium.new_context(java_script_enabled=False, base_url=live_server.url, viewport=PHONE)
    phone = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    try:
        tab = signed_in_tab(plain, member)
        tab.goto(url)
        _heading(tab, VENUE)
        _ends_inside_the_screen(tab)
        bad_answers(tab, unanswered=True)
        _ends_inside_the_screen(tab)

        tab.get_by_label(questions["whole_number"]).fill("12")
        tab.get_by_label(questions["long_text"]).fill("Warm and dry")
        tab.get_by_label(questions["money"]).fill("£250")
        for question in (questions["yes_no"], TERMS):
            tab.get_by_role("group", name=question).get_by_label("Yes", exact=True).check()
        tab.get_by_label("A hall").check()
        tab.get_by_label("Families").check()
        date = tab.get_by_role("group", name=questions["date"])
        for box, value in (("Day", "27"), ("Month", "3"), ("Year", "2027")):
            date.get_by_label(box).fill(value)
        tab.get_by_label(questions["file"]).set_input_files(_pdf("plan.pdf"))
        _complete(tab)
        _heading(tab, "Your application")
        item = tab.locator(".govuk-task-list__item", has=tab.get_by_role("link", name=VENUE))
        expect(item.locator(".govuk-task-list__status")).to_have_text("Completed")
        _ends_inside_the_screen(tab)

        # Saved: the answers come back as they were given.
        tab.goto(url)
        expect(tab.get_by_label(questions["money"])).to_have_value("250.00")
        expect(tab.get_by_label(questions["whole_number"])).to_have_value("12")
        expect(tab.get_by_text("You have given plan.pdf.", exact=False)).to_be_visible()
        _ends_inside_the_screen(tab)

        # The same pages, measured in the page as test_narrow_screens measures every phone page.
        shown = signed_in_tab(phone, member)
        shown.goto(url)
        _fits(shown)
        bad_answers(shown, unanswered=False)
        _fits(shown)
        shown.goto(f"/applications/{application.pk}/")
        _fits(shown)
    finally:
        plain.close()
        phone.close()
