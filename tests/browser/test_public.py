"""A visitor, not signed in, reads what the fund has funded and a story, in Chromium with axe."""

import pytest
from playwright.sync_api import expect

from fund.models import FundRole
from investments.models import ProgressUpdate
from investments.services.monitoring import approve_story
from tests.factories import PlaceFactory, awarded_investment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_filters_what_weve_funded_and_reads_a_story(page, assert_accessible):
    leigh = awarded_investment(title="Walking football")
    fund = leigh.round.fund
    other = awarded_investment(round=leigh.round, title="Knit and natter")
    place = PlaceFactory(fund=fund, name="Leigh")
    leigh.application.places.add(place)
    update = leigh.updates.order_by("number").first()
    update.story = "Ray plays every Tuesday now."
    update.story_consent, update.story_anonymous = True, False
    update.status = ProgressUpdate.Status.SUBMITTED
    update.save()
    # Published once an officer of the fund has read and approved it.
    approve_story(update=update, by=fund.roles.filter(role=FundRole.Role.OFFICER).first().user)

    page.goto("/")
    page.get_by_role("link", name=fund.name).click()
    expect(page.get_by_role("heading", level=1, name=fund.name)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See what the fund has invested in").click()
    expect(page.get_by_role("heading", name="Knit and natter")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Place").select_option(label="Leigh")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_contain_text("1 investment")
    expect(page.get_by_role("heading", name="Knit and natter")).to_have_count(0)
    page.get_by_role("link", name="Read a story from Walking football").click()
    expect(page.get_by_text("Ray plays every Tuesday now.")).to_be_visible()
    assert_accessible(page)
    assert other.application.title not in page.content()
