"""The public pages, the health check and the error pages."""

import pytest
from django.urls import reverse

from fund.models import Round
from portal.views import server_error
from tests.factories import RoundFactory, UserFactory, fund_with_tiers

pytestmark = pytest.mark.django_db


def test_start_page_lists_open_rounds_with_their_tiers_and_hides_the_rest(client):
    fund = fund_with_tiers(name="Deal for Communities")
    RoundFactory(fund=fund, name="Round 1: spring")
    RoundFactory(fund=fund, name="Next year's round", status=Round.Status.DRAFT)
    html = client.get(reverse("portal:index")).content.decode()
    assert "Round 1: spring" in html
    assert "Next year&#x27;s round" not in html
    assert "<strong>Small</strong>: up to £2,000" in html
    assert "<strong>Big idea</strong>: over £10,000" in html
    assert "Start now" in html


def test_start_page_says_when_nothing_is_open(client):
    html = client.get(reverse("portal:index")).content.decode()
    assert "No rounds are open for applications at the moment." in html


def test_page_has_skip_link_council_name_and_no_crown(client):
    html = client.get(reverse("portal:index")).content.decode()
    assert 'href="#main-content" class="govuk-skip-link"' in html
    assert "Wigan Council" in html
    assert "govuk-logo" not in html and "GOV.UK" not in html


def test_healthz_reports_database_and_storage(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_only_unavailable_and_logs_the_storage_error(client, settings, caplog):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.portal.broken_storage.UnreachableStorage",
        },
    }
    with caplog.at_level("ERROR", logger="portal.health"):
        response = client.get("/healthz")
    assert response.status_code == 503
    # Anyone may ask: the answer names no endpoint, bucket or error, only what is down.
    assert response.json() == {"status": "unavailable", "database": "ok", "storage": "unavailable"}
    assert "did not answer" not in response.content.decode()
    assert "OSError: the storage service did not answer" in caplog.text


def test_unknown_address_gets_the_styled_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-footer" in response.content.decode()


def test_signed_in_person_is_sent_to_their_work_from_the_start_page_button(client):
    client.force_login(UserFactory(full_name="Sam Hughes"))
    html = client.get(reverse("portal:index")).content.decode()
    assert "Go to your account" in html
    assert "Signed in as Sam Hughes" in html
    assert reverse("work:home") in html
    home = client.get(reverse("work:home")).content.decode()
    # Someone new, with no group and no role yet, is shown how to start.
    assert "Nothing needs you yet" in home
    assert reverse("organisations:organisation_create") in home


def test_applicant_home_lists_open_rounds(client):
    RoundFactory(name="Round 1: spring")
    client.force_login(UserFactory())
    response = client.get(reverse("applications:applicant_home"))
    assert response.status_code == 200
    assert "Round 1: spring" in response.content.decode()


def test_server_error_page_is_styled_and_says_nothing_saved_was_lost(rf):
    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "Anything you had already saved has not been lost." in html
    assert "portal.css" in html


def test_reloading_a_form_that_was_refused_goes_back_to_its_page(client):
    from fund.models import FundRole
    from tests.factories import awarded_investment, staff

    investment = awarded_investment()
    finance = staff(FundRole.Role.FINANCE, investment.round.fund)
    client.force_login(finance)
    response = client.get(reverse("investments:record_payment", args=[investment.pk, 1]))
    assert response.status_code == 302
    assert response["Location"] == reverse("investments:investment_payments", args=[investment.pk])
    officer = investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user
    client.force_login(officer)
    response = client.get(reverse("investments:close_investment", args=[investment.pk]))
    assert response["Location"] == reverse("investments:oversight_investment", args=[investment.pk])
    assert client.delete(reverse("investments:close_investment", args=[investment.pk])).status_code == 405
