"""Someone new follows the invitation e-mail's link, creates an account, confirms their address
and joins the group, in a real browser, with axe checking the pages they see."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from organisations.services import invite_member
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(live_server, message, path: str) -> str:
    return re.search(rf"{re.escape(live_server.url)}({path}\S+)", message.body).group(1)


def test_an_invited_person_signs_up_from_the_email_and_joins_the_group(
    page, live_server, tasks, assert_accessible
):
    owner = UserFactory(full_name="Priya Shah")
    group = OrganisationFactory(name="Hindley Gardeners", members=[owner])
    invite_member(
        organisation=group, email="ali@example.org", role="member", by=owner, base_url=live_server.url
    )
    tasks()
    [invitation_email] = mail.outbox

    page.goto(_link(live_server, invitation_email, "/invitations/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You have been invited to join Hindley Gardeners"
    )
    assert_accessible(page)

    page.get_by_role("button", name="Create an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    expect(page.get_by_label("Email address")).to_have_value("ali@example.org")
    page.get_by_label("Your full name").fill("Ali Khan")
    page.get_by_label("Password", exact=True).fill("a-long-walk-in-haigh-woods")
    page.get_by_label("Confirm your password").fill("a-long-walk-in-haigh-woods")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    tasks()
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["ali@example.org"]
    page.goto(_link(live_server, confirmation, "/accounts/"))
    page.get_by_role("button", name="Confirm").click()

    # Back on the invitation, signed in as the invited address.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You have been invited to join Hindley Gardeners"
    )
    expect(page.get_by_text("Priya Shah invited you to join as a member")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Accept invitation").click()

    expect(page.get_by_text("You are now a member of Hindley Gardeners.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hindley Gardeners")
    assert group.memberships.filter(user__email="ali@example.org").exists()
