"""The queue and the panel summary read a fixed number of queries: 10 applications or 200."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from assessment.models import Review, Score
from fund.models import FundRole
from kit.pagination import PER_PAGE
from tests.factories import (
    ApplicationFactory,
    CriterionFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
    staff,
)
from tests.support.downloads import body_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def round():
    return RoundFactory(fund=fund_with_tiers(), budget=Decimal("1000000.00"))


def _applications_in_review(round, count: int, start: int = 0) -> None:
    """Applications with two submitted reviews each, made in bulk."""
    tier = round.fund.tiers.get(name="Start-up")
    criteria = list(round.criteria.all())
    group = OrganisationFactory()
    reviewers = [UserFactory() for _ in range(2)]
    for number in range(start, start + count):
        application = ApplicationFactory(
            round=round,
            organisation=group,
            tier=tier,
            amount_requested=Decimal("5000.00"),
            status=Application.Status.IN_REVIEW,
            reference=f"CIF-2026-{number:05d}",
            submitted_at=timezone.now(),
        )
        reviews = Review.objects.bulk_create(
            Review(
                application=application,
                reviewer=reviewer,
                status=Review.Status.SUBMITTED,
                recommendation="fund",
                submitted_at=timezone.now(),
            )
            for reviewer in reviewers
        )
        Score.objects.bulk_create(
            Score(review=review, criterion=criterion, score=(number + index) % 6)
            for review in reviews
            for index, criterion in enumerate(criteria)
        )


@pytest.mark.parametrize("page", ["queue", "panel summary", "queue as CSV", "panel summary as CSV"])
def test_queries_do_not_grow_from_10_to_200_applications(
    client, round, page, django_assert_num_queries, django_assert_max_num_queries
):
    CriterionFactory(round=round)
    CriterionFactory(round=round)
    client.force_login(staff(FundRole.Role.OFFICER, round.fund))
    url = {
        "queue": reverse("assessment:queue") + "?sort=amount",
        "queue as CSV": reverse("assessment:queue") + "?format=csv",
        "panel summary": reverse("assessment:panel_summary", args=[round.pk]),
        "panel summary as CSV": reverse("assessment:panel_summary", args=[round.pk]) + "?format=csv",
    }[page]

    _applications_in_review(round, 10)
    with django_assert_max_num_queries(30) as ten:
        first = client.get(url)
        body_bytes(first)  # a CSV is read from the database as it is sent
    _applications_in_review(round, 190, start=10)
    with django_assert_num_queries(len(ten.captured_queries)):
        second = client.get(url)
        sent = body_bytes(second).decode("utf-8-sig")
    assert first.status_code == second.status_code == 200
    # The pages show a page of them and say how many there are; the downloads have them all.
    assert sent.count("CIF-2026-") == (200 if page.endswith("CSV") else PER_PAGE)
    if not page.endswith("CSV"):
        assert f"Showing 1 to {PER_PAGE} of 200 applications" in sent
