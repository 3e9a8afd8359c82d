"""Every list shows a page at a time: the same queries for a few rows or several pages of them,
the filters kept in every page's address, and a page out of range shows the nearest one."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from assessment.models import Review
from fund.models import FundRole
from kit.pagination import PER_PAGE, page_numbers
from mentoring.models import Assignment
from organisations.models import Membership
from tests.factories import (
    ApplicationFactory,
    InvestmentFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
    staff,
)
from tests.support.downloads import body_text

pytestmark = pytest.mark.django_db

MANY = PER_PAGE * 2 + 10  # three pages


def test_the_page_numbers_shown_are_the_first_the_last_and_those_beside_the_current_one():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(2, 3) == [1, 2, 3]
    assert page_numbers(5, 20) == [1, None, 4, 5, 6, None, 20]
    assert page_numbers(1, 20) == [1, 2, None, 20]
    assert page_numbers(20, 20) == [1, None, 19, 20]


@pytest.fixture
def world():
    fund = fund_with_tiers()
    round = RoundFactory(fund=fund, budget=Decimal("10000000.00"))
    people = {role: staff(role, fund) for role in FundRole.Role.values}
    member = UserFactory()
    group = OrganisationFactory()
    Membership.objects.create(organisation=group, user=member, role=Membership.Role.OWNER)
    people["group member"] = member
    return round, group, people


def _add(world, count: int, start: int) -> None:
    """``count`` sent applications, each awarded, reviewed by the panel member and mentored."""
    round, group, people = world
    for number in range(start, start + count):
        application = ApplicationFactory(
            round=round,
            organisation=group,
            status=Application.Status.AWARDED,
            reference=f"CIF-2026-{number:05d}",
            submitted_at=timezone.now(),
        )
        investment = InvestmentFactory(application=application)
        Review.objects.create(
            application=application, reviewer=people["panel"], status=Review.Status.SUBMITTED
        )
        Assignment.objects.create(
            investment=investment, mentor=people["mentor"], assigned_by=people["officer"]
        )


PAGES = {
    "officer's queue": ("officer", lambda round: reverse("assessment:queue")),
    "round's applications": (
        "officer",
        lambda round: reverse("assessment:staff_round_applications", args=[round.pk]),
    ),
    "investments": ("officer", lambda round: reverse("investments:investments")),
    "panel member's reviews": ("panel", lambda round: reverse("assessment:panel_home")),
    "mentor's investments": ("mentor", lambda round: reverse("mentoring:mentor_home")),
    "finance's investments": ("finance", lambda round: reverse("reporting:finance_home")),
    "group's applications": ("group member", lambda round: reverse("applications:applicant_home")),
    "social value": ("finance", lambda round: reverse("reporting:sroi", args=[round.fund.slug])),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_a_list_reads_the_same_queries_for_three_rows_or_three_pages(
    client, world, name, django_assert_max_num_queries, django_assert_num_queries
):
    who, url_of = PAGES[name]
    round, _, people = world
    url = url_of(round)
    client.force_login(people[who])
    _add(world, 3, 0)
    with django_assert_max_num_queries(40) as few:
        first = client.get(url)
    _add(world, MANY - 3, 3)
    with django_assert_num_queries(len(few.captured_queries)):
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    body = second.content.decode()
    assert body.count("CIF-2026-") >= PER_PAGE and body.count("CIF-2026-") < MANY
    assert 'aria-label="Page 3"' in body and 'rel="next"' in body


def test_the_social_value_spreadsheet_reads_the_same_queries_for_three_rows_or_three_pages(
    client, world, django_assert_max_num_queries, django_assert_num_queries
):
    round, _, people = world
    url = reverse("reporting:sroi_csv", args=[round.fund.slug])
    client.force_login(people["finance"])
    _add(world, 3, 0)
    with django_assert_max_num_queries(40) as few:
        body_text(client.get(url))
    _add(world, MANY - 3, 3)
    with django_assert_num_queries(len(few.captured_queries)):
        sent = body_text(client.get(url))
    assert sent.count("CIF-2026-") == MANY


def test_the_page_links_keep_the_filters_and_sort_and_a_page_out_of_range_shows_the_nearest(client, world):
    round, _, people = world
    _add(world, MANY, 0)
    client.force_login(people["officer"])
    url = reverse("assessment:queue")
    body = client.get(url, {"round": round.pk, "sort": "reference"}).content.decode()
    assert f"?round={round.pk}&amp;sort=reference&amp;page=2" in body
    last = client.get(url, {"sort": "reference", "page": "999"}).content.decode()
    assert f"CIF-2026-{MANY - 1:05d}" in last and 'aria-current="page">3<' in last
    for nonsense, shown in (("abc", 1), ("2.5", 1), ("-1", 3), ("1" * 40, 3)):
        response = client.get(url, {"sort": "reference", "page": nonsense})
        assert response.status_code == 200
        assert f'aria-current="page">{shown}<' in response.content.decode(), nonsense
