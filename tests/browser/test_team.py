"""An officer invites a mentor to the fund's team on a phone-sized screen; the mentor signs up from
the e-mail, accepts, and is asked for two-factor sign-in before anything else."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from fund.models import FundRole
from mentoring.models import MentorProfile
from tests.factories import PlaceFactory, fund_with_tiers, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_invites_a_mentor_who_signs_up_accepts_and_sets_up_two_factor_sign_in(
    person, page, live_server, tasks, assert_accessible, settings
):
    fund = fund_with_tiers(name="Deal for Communities")
    place = PlaceFactory(fund=fund, name="Leigh")
    officer_tab = person(staff(FundRole.Role.OFFICER, fund, full_name="Olivia Officer"))
    officer_tab.set_viewport_size({"width": 390, "height": 844})
    officer_tab.goto(f"/manage/funds/{fund.slug}/")
    officer_tab.get_by_role("link", name="The fund's team").click()
    expect(officer_tab.get_by_role("heading", level=1)).to_have_text("The fund's team")
    assert_accessible(officer_tab)
    officer_tab.get_by_role("button", name="Invite someone").click()
    officer_tab.get_by_label("Email address").fill("mo@council.example")
    officer_tab.get_by_label("Mentor", exact=True).check()
    officer_tab.get_by_role("button", name="Send invitation").click()
    expect(officer_tab.get_by_role("alert")).to_contain_text(
        "Enter how many investments they can mentor at once"
    )
    expect(officer_tab.get_by_label("Email address")).to_have_value("mo@council.example")
    assert_accessible(officer_tab)
    officer_tab.get_by_label("How many investments can they mentor at once?").fill("2")
    officer_tab.get_by_label("Leigh").check()
    officer_tab.get_by_role("button", name="Send invitation").click()
    expect(officer_tab.get_by_text("We have emailed an invitation to mo@council.example")).to_be_visible()
    assert officer_tab.evaluate("document.documentElement.scrollWidth") <= 390

    tasks()
    [invitation] = [message for message in mail.outbox if message.to == ["mo@council.example"]]
    link = re.search(rf"{re.escape(live_server.url)}(/team/invitations/\S+)", invitation.body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You have been invited to join the team of Deal for Communities"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Create an account").click()
    page.get_by_label("Your full name").fill("Mo Mentor")
    page.get_by_label("Password", exact=True).fill("a-long-walk-in-haigh-woods")
    page.get_by_label("Confirm your password").fill("a-long-walk-in-haigh-woods")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    tasks()
    confirmation = mail.outbox[-1]
    page.goto(re.search(rf"{re.escape(live_server.url)}(/accounts/\S+)", confirmation.body).group(1))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You have been invited to join the team of Deal for Communities"
    )
    settings.STAFF_MFA_REQUIRED = True
    page.get_by_role("button", name="Accept invitation").click()
    # Staff from that moment: two-factor sign-in comes before any page of the fund.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your password")
    profile = MentorProfile.objects.get(user__email="mo@council.example")
    assert profile.capacity == 2 and list(profile.places.all()) == [place]

    settings.STAFF_MFA_REQUIRED = False
    officer_tab.goto(f"/manage/funds/{fund.slug}/team/")
    row = officer_tab.get_by_role("row").filter(has_text="Mo Mentor")
    expect(row).to_contain_text("Mentor")
    expect(row).to_contain_text("Not yet")
