"""A group's whole journey through the pages, as the test client: set up, apply, submit."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Application, ApplicationVersion
from organisations.models import Organisation
from tests.factories import RoundFactory, UserFactory, fund_with_tiers

pytestmark = pytest.mark.django_db


@pytest.fixture
def round():
    fund = fund_with_tiers(name="Deal for Communities", reference_prefix="DFC")
    for name in ("Leigh", "Hindley"):
        fund.places.create(name=name)
    fund.themes.create(name="Less loneliness and isolation")
    return RoundFactory(fund=fund, name="Round 1")


def _post(client, url, data, **extra):
    response = client.post(url, data, **extra)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_a_new_group_sets_up_applies_for_a_small_investment_and_submits(
    client, round, tasks, django_capture_on_commit_callbacks
):
    person = UserFactory(full_name="Sam Hughes")
    client.force_login(person)
    leigh = round.fund.places.get(name="Leigh")

    _post(
        client,
        reverse("organisations:organisation_create"),
        {
            "name": "Leigh Knit and Natter",
            "legal_form": "unincorporated",
            "address_line_1": "1 Bradshawgate",
            "town": "Leigh",
            "postcode": "wn71dq",
            "places": [leigh.pk],
            "contact_name": "Sam Hughes",
            "contact_email": "sam@knit.example.org",
        },
    )
    group = Organisation.objects.get()
    assert group.postcode == "WN7 1DQ"

    response = _post(
        client, reverse("applications:start", args=[group.pk]), {"round": round.pk, "amount": "1,500"}
    )
    application = Application.objects.get()
    assert application.tier.name == "Small"
    task_list = client.get(response["Location"]).content.decode()
    assert "You are applying for a small investment (up to £2,000)." in task_list
    assert "Match funding" not in task_list  # the short form
    base = f"/applications/{application.pk}"

    _post(client, f"{base}/organisation/", {"completed": "yes"})
    _post(
        client,
        f"{base}/idea/",
        {
            "title": "Knit and natter",
            "summary": "Weekly knitting afternoons",
            "who_it_helps": "Older people living alone",
            "places": [leigh.pk],
            "why_it_matters": "Loneliness",
            "how_people_involved": "Members asked for it",
            "completed": "yes",
        },
    )
    _post(
        client, f"{base}/goals/add/", {"description": "Fewer people feel alone", "indicator": "", "unit": ""}
    )
    _post(client, f"{base}/goals/", {"completed": "yes"})
    _post(client, f"{base}/budget/add/", {"item": "Wool and needles", "amount": "500"})
    _post(client, f"{base}/budget/add/", {"item": "Hall hire", "amount": "1000.00"})
    _post(client, f"{base}/budget/", {"completed": "yes"})
    _post(client, f"{base}/declaration/", {"confirm": "on", "name": "Sam Hughes"})

    check = client.get(f"{base}/check/").content.decode()
    assert "Check your answers before sending your application" in check
    assert "Wool and needles" in check
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, f"{base}/check/", {})
    application.refresh_from_db()
    assert re.fullmatch(r"DFC-\d{4}-00001", application.reference)
    assert application.status == Application.Status.SUBMITTED
    confirmation = client.get(response["Location"]).content.decode()
    assert application.reference in confirmation

    # A second click, or the back button and send again, makes nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{base}/check/", {})
    assert ApplicationVersion.objects.count() == 1
    assert tasks() == 1
    [message] = mail.outbox
    assert application.reference in message.subject
    assert set(message.to) == {"sam@knit.example.org", person.email}
