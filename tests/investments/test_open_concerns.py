"""The open concerns are read in one query, only those still open, oldest first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from investments.models import Investment
from investments.selectors import open_concerns
from tests.factories import ConcernFactory, InvestmentFactory

pytestmark = pytest.mark.django_db


def _read(investments):
    with CaptureQueriesContext(connection) as queries:
        found = list(open_concerns(investments))
    return found, len(queries)


def test_investments_without_an_open_concern_are_not_read_with_their_groups_and_concerns():
    InvestmentFactory.create_batch(3)
    ConcernFactory(resolved_at=timezone.now())
    found, queries = _read(Investment.objects.all())
    assert found == []
    # Only the one query that finds none: nothing is fetched for investments with no open concern.
    assert queries == 1


def test_open_concerns_are_found_oldest_first_and_resolved_ones_left_out():
    InvestmentFactory.create_batch(3)
    first = ConcernFactory()
    ConcernFactory(investment=first.investment, resolved_at=timezone.now())
    second = ConcernFactory()
    found, queries = _read(Investment.objects.all())
    assert found == [first, second]
    assert queries == 1  # the concerns with their investments, groups and who raised them, at once
