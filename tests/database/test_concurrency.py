"""Two requests at once, as a double click sends them: the row locks on PostgreSQL keep
one application, one version and one reference."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from applications.models import Application, ApplicationVersion
from applications.services import ApplicationError
from applications.services.applying import start_application, submit_application
from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
    ready_to_submit,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(*calls):
    """Run the calls in parallel threads, each on its own connection; return results or errors."""
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # collected for the test to look at
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_a_double_click_on_send_submits_once(postgres):
    member = UserFactory()
    application = ready_to_submit(ApplicationFactory(organisation=OrganisationFactory(members=[member])))

    def send():
        return submit_application(application=application, by=member, base_url="http://testserver")

    results = _at_once(send, send)
    assert all(isinstance(result, Application) for result in results), results
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert Application.objects.exclude(reference=None).count() == 1


def test_two_members_starting_at_once_get_one_application_in_a_one_per_group_round(postgres):
    first, second = UserFactory(), UserFactory()
    group = OrganisationFactory(members=[first, second])
    round = RoundFactory(fund=fund_with_tiers())

    def start(person):
        return lambda: start_application(
            round=round, organisation=group, amount=Decimal("1500.00"), by=person
        )

    results = _at_once(start(first), start(second))
    assert Application.objects.filter(organisation=group).count() == 1
    refused = [result for result in results if isinstance(result, ApplicationError)]
    assert len(refused) == 1
    assert "already has an application" in refused[0].messages[0]
