"""An update opens for writing a set number of days before it is due (UPDATE_WINDOW_DAYS), and the
final one only near the investment's end: a group cannot send its final update a year early."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from investments.models import ProgressUpdate
from investments.rules import add_months
from investments.services.monitoring import GoalAnswer, save_update, submit_update
from kit.errors import RuleError
from tests.factories import UserFactory, awarded_investment

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory()


def _answers(investment) -> dict:
    goal = investment.application.goals.current().get()
    return {goal.pk: GoalAnswer(status="on_track", value=None, note="")}


def test_the_final_update_cannot_be_sent_a_year_before_the_investment_ends(member):
    investment = awarded_investment(member=member)  # starts today; the final update is due in a year
    final = investment.updates.get(final=True)
    opens = final.due_date - timedelta(days=30)

    with pytest.raises(RuleError) as error:
        save_update(update=final, by=member, goals=_answers(investment))
    assert error.value.messages == [
        f"You can send this update from {opens:%-d %B %Y}, 30 days before it is due."
    ]
    with pytest.raises(RuleError) as error:
        submit_update(update=final, by=member)
    assert error.value.messages == [
        f"You can send this update from {opens:%-d %B %Y}, 30 days before it is due."
    ]
    final.refresh_from_db()
    assert final.status == ProgressUpdate.Status.DUE


def test_an_update_can_be_written_and_sent_once_its_window_opens(member):
    investment = awarded_investment(member=member)
    first = investment.updates.get(number=1)
    day_before = first.due_date - timedelta(days=31)
    opening_day = first.due_date - timedelta(days=30)

    with pytest.raises(RuleError):
        save_update(update=first, by=member, goals=_answers(investment), today=day_before)
    save_update(update=first, by=member, goals=_answers(investment), today=opening_day)
    submit_update(update=first, by=member, today=opening_day)
    first.refresh_from_db()
    assert first.status == ProgressUpdate.Status.SUBMITTED


def test_the_window_is_a_setting(member, settings):
    settings.UPDATE_WINDOW_DAYS = 60
    investment = awarded_investment(member=member)
    first = investment.updates.get(number=1)
    save_update(
        update=first, by=member, goals=_answers(investment), today=first.due_date - timedelta(days=60)
    )
    with pytest.raises(RuleError) as error:
        submit_update(update=investment.updates.get(number=2), by=member)
    assert "60 days before it is due" in error.value.messages[0]


def test_the_investment_page_says_when_the_next_update_opens_and_offers_it_only_then(client, member):
    investment = awarded_investment(member=member)
    first = investment.updates.get(number=1)
    opens = first.due_date - timedelta(days=30)
    client.force_login(member)

    page = client.get(reverse("investments:investment", args=[investment.pk])).content.decode()
    assert f"Update 1, due {first.due_date:%-d %B %Y}" in page
    assert f"You can start it from {opens:%-d %B %Y}, 30 days before it is due." in page
    assert "Send your update" not in page
    assert reverse("investments:update_form", args=[investment.pk, 1]) not in page

    # Typing the address in does not get round it.
    response = client.get(reverse("investments:update_form", args=[investment.pk, 1]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("investments:investment", args=[investment.pk])
    assert f"You can send this update from {opens:%-d %B %Y}" in response.content.decode()


def test_once_open_the_page_offers_the_update(client, member):
    today = timezone.localdate()
    investment = awarded_investment(member=member, start_date=add_months(today, -6) + timedelta(days=10))
    first = investment.updates.get(number=1)
    assert first.due_date - timedelta(days=30) <= today < first.due_date
    client.force_login(member)
    page = client.get(reverse("investments:investment", args=[investment.pk])).content.decode()
    assert f"Update 1, due {first.due_date:%-d %B %Y}" in page
    assert "Send your update" in page
    assert reverse("investments:update_form", args=[investment.pk, 1]) in page
    assert client.get(reverse("investments:update_form", args=[investment.pk, 1])).status_code == 200
