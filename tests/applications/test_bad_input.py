"""Bad input: each gets a clear message saying how to fix it, and nothing saved before is lost."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, BudgetLine, Document, Goal
from organisations.models import Organisation
from tests.factories import (
    PDF_BYTES,
    ApplicationFactory,
    BudgetLineFactory,
    GoalFactory,
    MatchFundingFactory,
    OrganisationFactory,
    RoundFactory,
    TierAllocationFactory,
    UserFactory,
    fund_with_tiers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    person = UserFactory()
    client.force_login(person)
    return person


@pytest.fixture
def group(person):
    return OrganisationFactory(members=[person])


@pytest.fixture
def round():
    return RoundFactory(fund=fund_with_tiers(), budget=Decimal("500000.00"))


@pytest.fixture
def application(group, round):
    return ApplicationFactory(organisation=group, round=round, title="Warm Wednesdays")


def _html(response) -> str:
    return response.content.decode()


def _start(client, group, round, amount):
    return client.post(reverse("applications:start", args=[group.pk]), {"round": round.pk, "amount": amount})


# --- Money ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "1500.505",
            "Enter the amount you are asking for in pounds and pence, with no more than 2 decimal places",
        ),
        ("-5", "The amount you are asking for must be at least £0.01"),
        ("0", "The amount you are asking for must be at least £0.01"),
        ("99999999999999", "The amount you are asking for is too large"),
        (
            "fifteen hundred",
            "Enter the amount you are asking for as a number of pounds, like 1500 or 1500.50",
        ),
        ("", "Enter the amount you are asking for"),
    ],
)
def test_amounts_that_are_not_money_are_refused_and_kept_on_the_page(client, group, round, typed, message):
    response = _start(client, group, round, typed)
    assert response.status_code == 200
    assert message in _html(response)
    assert f'value="{typed}"' in _html(response) or not typed
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("amount", "tier"),
    [("2000.00", "Small"), ("2000.01", "Start-up"), ("10000.00", "Start-up"), ("10000.01", "Big idea")],
)
def test_each_tier_boundary_lands_in_the_right_tier(client, person, round, amount, tier):
    charity = OrganisationFactory(
        members=[person], legal_form=Organisation.LegalForm.CHARITY, charity_number="1123456"
    )
    response = _start(client, charity, round, amount)
    assert response.status_code == 302
    assert Application.objects.get().tier.name == tier


def test_an_unincorporated_group_is_told_big_ideas_are_for_constituted_organisations(client, group, round):
    response = _start(client, group, round, "10000.01")
    assert "Big idea investments are for constituted organisations" in _html(response)
    assert "Ask for £10,000 or less" in _html(response)


def test_more_than_the_round_set_aside_for_the_tier_is_refused(client, group, round):
    TierAllocationFactory(round=round, tier=round.fund.tiers.get(name="Small"), amount=Decimal("1000.00"))
    response = _start(client, group, round, "1500")
    assert f"{round.name} has set aside £1,000 for small investments. Ask for £1,000 or less." in _html(
        response
    )


def test_a_closed_round_says_when_it_closed(client, group):
    closed = RoundFactory(
        fund=fund_with_tiers(),
        opens_at=timezone.make_aware(timezone.datetime(2026, 1, 5, 9, 0)),
        closes_at=timezone.make_aware(timezone.datetime(2026, 3, 31, 17, 0)),
    )
    response = _start(client, group, closed, "1500")
    assert f"{closed.name} closed for applications on 31 March 2026 at 17:00." in _html(response)


def test_a_round_not_yet_open_says_when_it_opens(client, group):
    later = RoundFactory(
        fund=fund_with_tiers(),
        opens_at=timezone.now() + timedelta(days=10),
        closes_at=timezone.now() + timedelta(days=40),
    )
    response = _start(client, group, later, "1500")
    assert f"{later.name} opens for applications on" in _html(response)


def test_a_second_application_in_a_round_that_allows_one_is_refused(client, application, group, round):
    response = _start(client, group, round, "500")
    assert f"{group.name} already has an application in {round.name}" in _html(response)
    assert Application.objects.count() == 1


# --- Sections ----------------------------------------------------------------------


def test_completing_a_budget_that_does_not_add_up_names_both_totals(client, application):
    BudgetLineFactory(application=application, amount=Decimal("1000.00"))
    response = client.post(
        reverse("applications:item_section", args=[application.pk, "budget"]), {"completed": "yes"}
    )
    html = _html(response)
    assert (
        "Your budget lines add up to £1,000, but they should come to the £1,500 you are asking for." in html
    )
    # The amount once, not "Amount you are asking for: £1,500: £1,500".
    assert "Amount you are asking for: £1,500." in html
    assert "£1,500: £1,500" not in html
    application.refresh_from_db()
    assert "budget" not in application.completed_sections
    assert BudgetLine.objects.count() == 1


def test_a_budget_with_match_funding_in_money_says_what_it_should_come_to(client, application):
    BudgetLineFactory(application=application, amount=Decimal("1000.00"))
    MatchFundingFactory(application=application, amount=Decimal("500.00"), in_kind=False)
    response = client.post(
        reverse("applications:item_section", args=[application.pk, "budget"]), {"completed": "yes"}
    )
    html = _html(response)
    assert (
        "Your budget lines add up to £1,000, but they should come to £2,000: the £1,500 you are asking "
        "for plus £500 of match funding in money." in html
    )
    assert (
        "It should come to £2,000: the £1,500 you are asking for plus £500 of match funding in money." in html
    )


def test_completing_goals_with_none_asks_for_one(client, application):
    response = client.post(
        reverse("applications:item_section", args=[application.pk, "goals"]), {"completed": "yes"}
    )
    assert "Add at least one goal: what will be different for local people" in _html(response)


def test_a_sixth_goal_is_refused_and_the_five_are_kept(client, application):
    for _ in range(5):
        GoalFactory(application=application)
    response = client.post(
        reverse("applications:item_add", args=[application.pk, "goals"]), {"description": "One more"}
    )
    assert "You already have 5 goals, the most an application can have." in _html(response)
    assert "One more</textarea>" in _html(response)
    assert Goal.objects.count() == 5


def test_an_empty_goal_asks_what_will_be_different(client, application):
    response = client.post(
        reverse("applications:item_add", args=[application.pk, "goals"]), {"description": " "}
    )
    assert "Enter what will be different for local people" in _html(response)


def test_over_long_answers_are_refused_and_the_text_kept(client, application):
    too_long = "x" * 2001
    response = client.post(
        reverse("applications:section_idea", args=[application.pk]),
        {"title": "Changed name", "summary": too_long, "completed": "no"},
    )
    assert "What you will do must be 2,000 characters or fewer" in _html(response)
    assert too_long in _html(response)
    application.refresh_from_db()
    assert application.title == "Warm Wednesdays"  # nothing saved from the refused page, nothing lost


def test_completing_the_idea_with_gaps_names_each_question(client, application):
    response = client.post(
        reverse("applications:section_idea", args=[application.pk]),
        {"title": "Knit and natter", "completed": "yes"},
    )
    html = _html(response)
    for message in (
        "Say what you will do",
        "Say who your project will help",
        "Choose at least one place your project will work in",
        "Say why it matters to local people",
        "Say how local people were involved in the idea",
    ):
        assert message in html
    assert 'value="Knit and natter"' in html


def test_not_answering_the_completed_question_says_so(client, application):
    response = client.post(reverse("applications:item_section", args=[application.pk, "goals"]), {})
    assert "Select whether you have completed this section" in _html(response)


def test_html_typed_into_answers_is_shown_as_text(client, application):
    client.post(
        reverse("applications:section_idea", args=[application.pk]),
        {"title": "<script>alert('x')</script>", "summary": "<b>bold</b> & <i>brave</i>", "completed": "no"},
    )
    application.refresh_from_db()
    assert application.title == "<script>alert('x')</script>"  # kept as typed
    for url in (
        reverse("applications:check_answers", args=[application.pk]),
        reverse("applications:section_idea", args=[application.pk]),
    ):
        html = _html(client.get(url))
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_a_tampered_budget_year_is_ignored_for_a_one_year_budget(client, application):
    response = client.post(
        reverse("applications:item_add", args=[application.pk, "budget"]),
        {"item": "Hall", "amount": "100", "year": "3"},
    )
    # A small tier's budget is for one year: the field is not offered, and a tampered year is ignored.
    assert response.status_code == 302
    assert BudgetLine.objects.get().year == 1


def test_match_funding_with_three_decimals_is_refused(client, person, round):
    start_up = ApplicationFactory(
        organisation=OrganisationFactory(members=[person]), round=round, amount_requested=Decimal("5000.00")
    )
    response = client.post(
        reverse("applications:item_add", args=[start_up.pk, "match-funding"]),
        {"source": "Raffle", "amount": "10.005", "in_kind": "money", "status": "secured"},
    )
    assert "Enter the amount or value in pounds and pence, with no more than 2 decimal places" in _html(
        response
    )


# --- Documents ---------------------------------------------------------------------


@pytest.fixture
def start_up(person, round):
    return ApplicationFactory(
        organisation=OrganisationFactory(members=[person]), round=round, amount_requested=Decimal("5000.00")
    )


def _upload(client, application, name, data, content_type="application/pdf"):
    return client.post(
        reverse("applications:section_documents", args=[application.pk]),
        {"action": "upload", "kind": "constitution", "file": SimpleUploadedFile(name, data, content_type)},
    )


def test_a_program_renamed_pdf_is_refused(client, start_up):
    response = _upload(client, start_up, "constitution.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    assert "The selected file must be a PDF, DOCX, XLSX, ODT, JPG or PNG" in _html(response)
    assert not Document.objects.exists()


def test_an_oversized_file_is_refused(client, start_up, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = _upload(client, start_up, "constitution.pdf", PDF_BYTES + b"0" * 2048)
    assert "The selected file must be smaller than 1KB" in _html(response)
    assert not Document.objects.exists()


def test_an_empty_file_is_refused(client, start_up):
    response = _upload(client, start_up, "constitution.pdf", b"")
    assert "The selected file is empty" in _html(response)


def test_a_pdf_named_as_a_word_document_is_refused_with_the_fix(client, start_up):
    response = _upload(client, start_up, "constitution.docx", PDF_BYTES)
    assert "ends in .docx but it is a PDF file" in _html(response)


def test_an_image_document_of_too_many_pixels_is_refused(client, start_up):
    from tests.support.images import png_claiming

    response = _upload(client, start_up, "constitution.png", png_claiming(20_000, 20_000), "image/png")
    assert "The selected image is too large. Choose an image of 40 megapixels or fewer" in _html(response)
    response = _upload(client, start_up, "constitution.png", png_claiming(8_000, 5_001), "image/png")
    assert "The selected image is too large: 8,000 × 5,001 pixels. Choose an image of 40 megapixels" in _html(
        response
    )
    assert not Document.objects.exists()


def test_a_new_constitution_replaces_the_old_one(client, start_up):
    _upload(client, start_up, "old.pdf", PDF_BYTES)
    _upload(client, start_up, "new.pdf", PDF_BYTES)
    assert list(Document.objects.values_list("original_name", flat=True)) == ["new.pdf"]


# --- After submission ---------------------------------------------------------------------


def test_editing_after_submission_is_refused_and_changes_nothing(client, application):
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.SUBMITTED, submitted_at=timezone.now(), reference="CIF-2026-00001"
    )
    response = client.post(
        reverse("applications:section_idea", args=[application.pk]),
        {"title": "Sneaky change", "completed": "no"},
        follow=True,
    )
    assert "so it can no longer be changed" in _html(response)
    application.refresh_from_db()
    assert application.title == "Warm Wednesdays"
    response = client.post(
        reverse("applications:item_add", args=[application.pk, "goals"]), {"description": "x"}
    )
    assert not Goal.objects.exists()


def test_sending_after_the_round_closed_is_refused_with_the_date(client, application):
    Application.objects.filter(pk=application.pk).update(completed_sections=[])
    application.round.closes_at = timezone.now() - timedelta(minutes=1)
    application.round.opens_at = timezone.now() - timedelta(days=10)
    application.round.save()
    response = client.post(reverse("applications:check_answers", args=[application.pk]))
    assert f"{application.round.name} closed for applications on" in _html(response)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
