"""Fund officers' own pages: scoped to their funds, with errors that keep what was typed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fund.models import Criterion, FundRole, Round
from tests.factories import (
    CriterionFactory,
    RoundFactory,
    TierAllocationFactory,
    UserFactory,
    fund_with_tiers,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    fund = fund_with_tiers(name="Deal for Communities")
    person = staff(FundRole.Role.OFFICER, fund)
    client.force_login(person)
    person.fund = fund
    return person


def _round_post(fund, **overrides):
    data = {
        "name": "Round 2: winter",
        "description": "Warm spaces.",
        "opens_on_0": "1",
        "opens_on_1": "12",
        "opens_on_2": "2026",
        "opens_time": "09:00",
        "closes_on_0": "31",
        "closes_on_1": "1",
        "closes_on_2": "2027",
        "closes_time": "17:00",
        "budget": "£250,000",
        "status": Round.Status.PUBLISHED,
    }
    for tier in fund.tiers.all():
        data[f"allocation_{tier.pk}"] = ""
    data.update(overrides)
    return data


def test_officer_adds_a_round_with_allocations_and_sees_it(client, officer):
    small = officer.fund.tiers.get(name="Small")
    response = client.post(
        reverse("fund:round_create", args=[officer.fund.slug]),
        _round_post(officer.fund, **{f"allocation_{small.pk}": "20,000"}),
        follow=True,
    )
    html = response.content.decode()
    assert "Round 2: winter has been saved." in html
    assert "Small: £20,000" in html
    round = Round.objects.get(name="Round 2: winter")
    assert round.budget == Decimal("250000.00")
    # Entered as UK time: 09:00 on 1 December is 09:00 UTC (no summer time).
    assert round.opens_at.isoformat() == "2026-12-01T09:00:00+00:00"


def test_allocations_over_budget_are_refused_and_everything_typed_is_kept(client, officer):
    small = officer.fund.tiers.get(name="Small")
    response = client.post(
        reverse("fund:round_create", args=[officer.fund.slug]),
        _round_post(officer.fund, budget="1000", **{f"allocation_{small.pk}": "1000.01"}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add a round" in html
    assert "There is a problem" in html
    assert (
        "The tier allocations add up to £1,000.01, which is more than the round&#x27;s budget of £1,000"
        in html
    )
    assert 'value="Round 2: winter"' in html
    assert 'value="1000.01"' in html
    assert not Round.objects.filter(name="Round 2: winter").exists()


def test_round_form_names_each_wrong_answer(client, officer):
    response = client.post(
        reverse("fund:round_create", args=[officer.fund.slug]),
        _round_post(officer.fund, name="", opens_on_0="30", opens_on_1="2", closes_on_0="", budget="lots"),
    )
    html = response.content.decode()
    assert '<a href="#id_name">Enter a name for the round</a>' in html
    assert "The opening date must be a real date, for example 27 3 2027" in html
    assert "The closing date must include a day" in html
    assert "Enter the budget as a number of pounds, like 1500 or 1500.50" in html
    assert 'value="lots"' in html


def test_closing_before_opening_is_refused(client, officer):
    response = client.post(
        reverse("fund:round_create", args=[officer.fund.slug]),
        _round_post(officer.fund, closes_on_2="2025"),
    )
    assert "The closing date must be after the opening date" in response.content.decode()


def test_a_round_gets_a_date_panel_reviews_are_due_by(client, officer):
    response = client.post(
        reverse("fund:round_create", args=[officer.fund.slug]),
        _round_post(officer.fund, review_deadline_0="21", review_deadline_1="2", review_deadline_2="2027"),
        follow=True,
    )
    assert "21 February 2027" in response.content.decode()
    assert Round.objects.get(name="Round 2: winter").review_deadline.isoformat() == "2027-02-21"


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("20", "1", "2027", "The date panel reviews are due must be after the closing date"),
        ("31", "2", "2027", "must be a real date"),
        ("", "2", "2027", "must include a day"),
        ("x", "y", "z", "must be a real date"),
    ],
)
def test_a_review_deadline_that_cannot_be_is_refused_and_what_was_typed_kept(
    client, officer, day, month, year, message
):
    response = client.post(
        reverse("fund:round_create", args=[officer.fund.slug]),
        _round_post(officer.fund, review_deadline_0=day, review_deadline_1=month, review_deadline_2=year),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'href="#id_review_deadline' in html
    assert 'value="Round 2: winter"' in html
    assert not Round.objects.filter(name="Round 2: winter").exists()


def test_officer_adds_changes_and_removes_a_criterion(client, officer):
    round = RoundFactory(fund=officer.fund)
    response = client.post(
        reverse("fund:criterion_create", args=[round.pk]),
        {"title": "Local people lead it", "guidance": "", "weight": "2", "scale_max": "5"},
        follow=True,
    )
    assert "The criterion ‘Local people lead it’ has been saved." in response.content.decode()
    criterion = round.criteria.get()
    assert criterion.weight == Decimal("2.00")

    client.post(
        reverse("fund:criterion_edit", args=[criterion.pk]),
        {
            "title": "Local people lead it",
            "guidance": "Named local people",
            "weight": "1.5",
            "scale_max": "10",
        },
    )
    criterion.refresh_from_db()
    assert (criterion.weight, criterion.scale_max) == (Decimal("1.50"), 10)

    confirm = client.get(reverse("fund:criterion_delete", args=[criterion.pk]))
    assert "Are you sure you want to remove ‘Local people lead it’?" in confirm.content.decode()
    client.post(reverse("fund:criterion_delete", args=[criterion.pk]))
    assert not Criterion.objects.exists()


def test_criterion_weight_must_be_positive(client, officer):
    round = RoundFactory(fund=officer.fund)
    response = client.post(
        reverse("fund:criterion_create", args=[round.pk]),
        {"title": "Reach", "guidance": "", "weight": "0", "scale_max": "5"},
    )
    assert "The weight must be more than 0" in response.content.decode()
    assert 'value="Reach"' in response.content.decode()


def test_officer_of_one_fund_finds_nothing_of_another(client, officer):
    other_fund = fund_with_tiers(name="Leigh Community Fund")
    other_round = RoundFactory(fund=other_fund)
    other_criterion = CriterionFactory(round=other_round)
    for url in (
        reverse("fund:fund_detail", args=[other_fund.slug]),
        reverse("fund:round_create", args=[other_fund.slug]),
        reverse("fund:round_detail", args=[other_round.pk]),
        reverse("fund:round_edit", args=[other_round.pk]),
        reverse("fund:criterion_create", args=[other_round.pk]),
        reverse("fund:criterion_edit", args=[other_criterion.pk]),
        reverse("fund:criterion_delete", args=[other_criterion.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("fund:criterion_delete", args=[other_criterion.pk]))
    assert response.status_code == 404
    assert Criterion.objects.filter(pk=other_criterion.pk).exists()
    home = client.get(reverse("fund:officer_home")).content.decode()
    assert "Leigh Community Fund" not in home
    assert (
        "Page not found" in client.get(reverse("fund:fund_detail", args=[other_fund.slug])).content.decode()
    )


@pytest.mark.parametrize("role", [FundRole.Role.FINANCE, FundRole.Role.PANEL, FundRole.Role.MENTOR])
def test_other_roles_in_the_same_fund_cannot_manage_it(client, role):
    fund = fund_with_tiers()
    round = RoundFactory(fund=fund)
    client.force_login(staff(role, fund))
    response = client.get(reverse("fund:officer_home"))
    assert response.status_code == 403
    assert "This page is for people with a fund officer role in a fund." in response.content.decode()
    assert client.get(reverse("fund:round_detail", args=[round.pk])).status_code == 403


def test_community_group_members_and_visitors_cannot_reach_officer_pages(client):
    round = RoundFactory()
    assert client.get(reverse("fund:round_detail", args=[round.pk]))["Location"].startswith(
        reverse("account_login")
    )
    client.force_login(UserFactory())
    assert client.get(reverse("fund:round_detail", args=[round.pk])).status_code == 403


def test_officer_home_reads_a_fixed_number_of_queries_however_many_rounds(
    client, officer, django_assert_max_num_queries
):
    for _ in range(3):
        RoundFactory(fund=officer.fund)
    with django_assert_max_num_queries(9) as few:
        client.get(reverse("fund:officer_home"))
    for _ in range(20):
        RoundFactory(fund=officer.fund)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("fund:officer_home"))
    assert response.content.decode().count("/manage/rounds/") == 23


def test_fund_page_shows_each_rounds_set_aside_once_however_many_criteria(client, officer):
    """Summing allocations over a join that also holds the criteria counted each allocation once
    per criterion: a £1,000,000 round with five criteria showed £5,000,000 set aside."""
    round = RoundFactory(fund=officer.fund, name="Round 1: spring", budget=Decimal("1000000.00"))
    for tier, amount in zip(
        officer.fund.tiers.order_by("minimum_amount"), ("200000", "300000", "500000"), strict=True
    ):
        TierAllocationFactory(round=round, tier=tier, amount=Decimal(amount))
    for _ in range(5):
        CriterionFactory(round=round)
    other = RoundFactory(fund=officer.fund, name="Round 2: empty", budget=Decimal("5000.00"))
    CriterionFactory(round=other)

    html = client.get(reverse("fund:fund_detail", args=[officer.fund.slug])).content.decode()

    cells = _row_cells(html, "Round 1: spring")
    assert cells[1:] == ["£1,000,000", "£1,000,000", "5"]
    assert _row_cells(html, "Round 2: empty")[1:] == ["£5,000", "£0", "1"]


def _row_cells(html: str, heading: str) -> list[str]:
    """The texts of the table cells in the row headed ``heading``."""
    import re

    row = re.search(
        rf"<tr[^>]*>\s*<th[^>]*>(?:(?!</tr>).)*{re.escape(heading)}(?:(?!</tr>).)*</tr>", html, re.S
    )
    assert row, f"no row for {heading}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    ]


def _scored_criterion(score: int):
    from assessment import services as assessment
    from tests.factories import submitted_application

    application = submitted_application(amount_requested=Decimal("5000.00"))
    criterion = CriterionFactory(round=application.round, title="Local support", scale_max=5)
    officer = staff(FundRole.Role.OFFICER, application.round.fund)
    reviewer = staff(FundRole.Role.PANEL, application.round.fund)
    assessment.mark_eligible(application=application, by=officer)
    review = assessment.assign_reviewer(application=application, reviewer=reviewer, by=officer)
    review = assessment.declare_interest(review=review, by=reviewer, conflict=False)
    review.scores.update(score=score)
    return criterion, officer


def test_a_criterion_panel_members_have_scored_cannot_be_removed(client):
    criterion, officer = _scored_criterion(4)
    client.force_login(officer)
    response = client.post(reverse("fund:criterion_delete", args=[criterion.pk]), follow=True)
    assert response.status_code == 200
    assert "so it can no longer be removed" in response.content.decode()
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_a_criterions_highest_score_cannot_go_below_a_score_given(client):
    criterion, officer = _scored_criterion(4)
    client.force_login(officer)
    data = {"title": "Local support", "guidance": "", "weight": "1", "scale_max": "2"}
    response = client.post(reverse("fund:criterion_edit", args=[criterion.pk]), data)
    assert "the highest score must be at least 4" in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.scale_max == 5
    data["scale_max"] = "4"
    assert client.post(reverse("fund:criterion_edit", args=[criterion.pk]), data).status_code == 302
