"""Data protection in Chromium with axe: a person downloads their data; an officer erases someone."""

import json

import pytest
from playwright.sync_api import expect

from accounts.models import User
from fund.models import FundRole
from tests.factories import UserFactory, awarded_investment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_downloads_their_data_from_the_footer(person, assert_accessible):
    member = UserFactory(full_name="Pat Downloader")
    awarded_investment(member=member)
    tab = person(member)
    tab.get_by_role("contentinfo").get_by_role("link", name="Your data").click()
    expect(tab.get_by_role("heading", level=1, name="Your data")).to_be_visible()
    assert_accessible(tab)
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download your data").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["profile"]["full_name"] == "Pat Downloader"


def test_an_officer_erases_a_person_after_confirming(person, assert_accessible):
    member = UserFactory(full_name="Erin Erasable", email="erin@example.org")
    investment = awarded_investment(member=member)
    officer = investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user
    tab = person(officer)
    tab.get_by_role("link", name="Fund management").click()
    tab.get_by_role("link", name="Erasure requests").click()
    tab.get_by_label("Their email address").fill("erin@example.org")
    tab.get_by_role("button", name="Find the person").click()
    expect(tab.get_by_role("heading", level=1, name="Erase Erin Erasable's personal data")).to_be_visible()
    assert_accessible(tab)

    # Forgetting the confirmation is caught, and the reference typed stays.
    tab.get_by_label("Request reference").fill("DP-2026-0007")
    tab.get_by_role("button", name="Erase their personal data").click()
    expect(tab.get_by_role("alert")).to_contain_text("Confirm that this person's data should be erased")
    expect(tab.get_by_label("Request reference")).to_have_value("DP-2026-0007")
    assert_accessible(tab)

    tab.get_by_label("I have checked who asked").check()
    tab.get_by_role("button", name="Erase their personal data").click()
    expect(tab.get_by_text("Request DP-2026-0007: their personal data has been erased")).to_be_visible()
    expect(tab.get_by_role("cell", name=f"Removed person {member.pk}")).to_be_visible()
    assert_accessible(tab)
    assert not User.objects.filter(email="erin@example.org").exists()
