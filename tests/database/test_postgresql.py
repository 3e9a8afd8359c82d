"""The suite on PostgreSQL, the production database: its constraints hold there too."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from fund.models import Round, Tier
from tests.factories import FundFactory, RoundFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_suite_runs_on_postgresql(postgres):
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 130000


def test_the_database_refuses_a_round_that_closes_before_it_opens(postgres):
    round = RoundFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.filter(pk=round.pk).update(closes_at=round.opens_at - timedelta(minutes=1))


def test_the_database_refuses_a_tier_whose_top_is_below_its_bottom(postgres):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tier.objects.create(
            fund=FundFactory(),
            name="Upside down",
            minimum_amount=Decimal("10.00"),
            maximum_amount=Decimal("5.00"),
        )


def test_two_people_cannot_share_an_email_address_in_different_case(postgres):
    UserFactory(email="sam@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        # bulk_create skips save(), which would otherwise lower-case the address.
        User.objects.bulk_create([User(email="Sam@Example.org", date_joined=timezone.now())])


def test_money_keeps_its_pence_exactly(postgres):
    round = RoundFactory(budget=Decimal("1000000.01"))
    round.refresh_from_db()
    assert round.budget == Decimal("1000000.01")
