"""A story goes on the fund's public pages and into the board pack only after an officer of the
fund has read and approved it; the group sees where its story stands."""

import pytest
from django.urls import reverse

from applications.models import ApplicationEvent
from fund.models import FundRole
from investments.models import ProgressUpdate
from investments.services.monitoring import approve_story
from kit.errors import RuleError
from reporting.figures import build_report
from tests.factories import UserFactory, awarded_investment, staff

pytestmark = pytest.mark.django_db

STORY = "Jean had not been out since the winter. She now runs the tea rota."


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def investment(member):
    return awarded_investment(member=member)


def _officer(investment):
    return investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user


def _sent_story(investment, *, anonymous=False) -> ProgressUpdate:
    update = investment.updates.get(number=1)
    update.story, update.story_consent, update.story_anonymous = STORY, True, anonymous
    update.status = ProgressUpdate.Status.SUBMITTED
    update.save()
    return update


def _public(client, investment) -> tuple[str, int]:
    fund = investment.round.fund
    client.logout()
    listing = client.get(reverse("public:funded", args=[fund.slug])).content.decode()
    update = investment.updates.get(number=1)
    story = client.get(reverse("public:story", args=[fund.slug, update.pk]))
    return listing, story.status_code


def test_a_sent_story_is_not_published_until_an_officer_approves_it(client, investment):
    update = _sent_story(investment)
    fund = investment.round.fund

    listing, status = _public(client, investment)
    assert reverse("public:story", args=[fund.slug, update.pk]) not in listing
    assert status == 404
    assert build_report(fund).stories == []

    client.force_login(_officer(investment))
    response = client.post(reverse("investments:approve_story", args=[investment.pk, 1]), {"photo": "no"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The story from update 1 is approved for publishing." in page

    listing, status = _public(client, investment)
    assert reverse("public:story", args=[fund.slug, update.pk]) in listing
    assert status == 200
    assert [story.text for story in build_report(fund).stories] == [STORY]


def test_the_officer_sees_the_consent_and_how_to_publish_next_to_the_story(client, investment):
    _sent_story(investment, anonymous=True)
    client.force_login(_officer(investment))
    html = client.get(reverse("investments:oversight_investment", args=[investment.pk])).content.decode()
    assert STORY in html
    assert "The person in it agreed to it being shared" in html
    assert "Publish without names" in html
    assert "Not approved for publishing yet" in html
    assert f'action="{reverse("investments:approve_story", args=[investment.pk, 1])}"' in html
    assert "Approve for publishing" in html


def test_approval_is_recorded_and_the_group_sees_its_story_was_published(client, investment, member):
    update = _sent_story(investment)
    officer = _officer(investment)
    approve_story(update=update, by=officer)
    update.refresh_from_db()
    assert update.story_approved_by == officer and update.story_approved_at is not None
    event = ApplicationEvent.objects.get(application=investment.application, kind="story_approved")
    assert event.actor == officer and event.details == "Update 1"

    client.force_login(member)
    html = client.get(reverse("investments:investment", args=[investment.pk])).content.decode()
    assert "Approved and published on the fund’s pages" in html
    assert reverse("public:story", args=[investment.round.fund.slug, update.pk]) in html


def test_the_group_sees_a_story_waiting_for_approval(client, investment, member):
    _sent_story(investment)
    client.force_login(member)
    html = client.get(reverse("investments:investment", args=[investment.pk])).content.decode()
    assert "Waiting for the fund team to approve it before it is published" in html


def test_an_officer_can_withhold_a_story_or_withdraw_approval_with_a_reason(client, investment, member):
    update = _sent_story(investment)
    officer = _officer(investment)
    approve_story(update=update, by=officer)
    client.force_login(officer)
    url = reverse("investments:withhold_story", args=[investment.pk, 1])
    response = client.post(url, {"update-1-story-reason": ""})
    assert response.status_code == 400
    assert "Enter why the story is not to be published" in response.content.decode()
    response = client.post(url, {"update-1-story-reason": "It names a child."})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.story_approved_at is None and update.story_withheld_reason == "It names a child."
    assert ApplicationEvent.objects.filter(
        kind="story_withheld", details="Update 1: It names a child."
    ).exists()
    assert _public(client, investment)[1] == 404

    client.force_login(member)
    html = client.get(reverse("investments:investment", args=[investment.pk])).content.decode()
    assert "Not published: It names a child." in html


def test_only_the_funds_officers_approve_stories(client, investment):
    update = _sent_story(investment)
    fund = investment.round.fund
    for someone in (
        staff(FundRole.Role.FINANCE, fund),
        staff(FundRole.Role.MENTOR, fund),
        awarded_investment().round.fund.roles.get(role=FundRole.Role.OFFICER).user,
        investment.application.organisation.memberships.get().user,
    ):
        with pytest.raises(RuleError):
            approve_story(update=update, by=someone)
    other_officer = awarded_investment().round.fund.roles.get(role=FundRole.Role.OFFICER).user
    client.force_login(other_officer)
    url = reverse("investments:approve_story", args=[investment.pk, 1])
    assert client.post(url).status_code == 404
    update.refresh_from_db()
    assert update.story_approved_at is None


def test_a_story_without_consent_or_not_yet_sent_cannot_be_approved(investment):
    officer = _officer(investment)
    update = investment.updates.get(number=1)
    update.story = STORY
    update.save()
    with pytest.raises(RuleError) as error:
        approve_story(update=update, by=officer)
    assert error.value.messages == ["Only a story the group has sent can be approved."]
    update.status, update.story_consent = ProgressUpdate.Status.SUBMITTED, False
    update.save()
    with pytest.raises(RuleError) as error:
        approve_story(update=update, by=officer)
    assert error.value.messages == [
        "The group did not say the person agreed to their story being shared, so it cannot be published."
    ]
