"""The public pages: anyone can read what a fund is and what it has funded, and no more."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fund.models import FundRole
from investments.models import Investment, ProgressUpdate
from investments.services.monitoring import approve_story
from tests.factories import PlaceFactory, UserFactory, awarded_investment, submitted_application

pytestmark = pytest.mark.django_db


def _story(
    investment, text: str, *, consent: bool = True, anonymous: bool = False, approved: bool = True
) -> ProgressUpdate:
    update = investment.updates.order_by("number").first()
    update.story, update.story_consent, update.story_anonymous = text, consent, anonymous
    update.status = ProgressUpdate.Status.SUBMITTED
    update.save()
    if approved and consent:
        officer = investment.round.fund.roles.filter(role=FundRole.Role.OFFICER).first().user
        update = approve_story(update=update, by=officer)
    return update


def test_anyone_reads_the_fund_and_what_it_has_funded(client):
    investment = awarded_investment(amount_requested=Decimal("1800.00"))
    fund, application = investment.round.fund, investment.application
    waiting = submitted_application(round=investment.round)  # not awarded: never listed
    page = client.get(reverse("public:fund", args=[fund.slug])).content.decode()
    assert fund.name in page and "1 investment so far, £1,800 in all" in page
    funded = client.get(reverse("public:funded", args=[fund.slug]))
    assert funded["Cache-Control"] == "public, max-age=600"
    text = funded.content.decode()
    assert application.title in text and application.organisation.name in text and "£1,800" in text
    assert waiting.organisation.name not in text
    assert application.organisation.contact_email not in text


def test_filters_narrow_what_is_listed(client):
    leigh = awarded_investment()
    fund = leigh.round.fund
    other = awarded_investment(round=leigh.round, amount_requested=Decimal("3000.00"))
    place = PlaceFactory(fund=fund, name="Leigh")
    leigh.application.places.add(place)
    text = client.get(reverse("public:funded", args=[fund.slug]), {"place": place.pk}).content.decode()
    assert "1 investment, £5,000 in all." in text
    assert leigh.application.organisation.name in text and other.application.organisation.name not in text


def test_only_consented_approved_stories_are_published_and_unnamed_ones_are_not_tied_to_the_group(client):
    named_investment = awarded_investment()
    fund = named_investment.round.fund
    named = _story(named_investment, "Jean came every week.")
    unnamed_investment = awarded_investment(round=named_investment.round)
    unnamed = _story(unnamed_investment, "A dad found work.", anonymous=True)
    refused = _story(awarded_investment(round=named_investment.round), "Not to be shared.", consent=False)
    unread = _story(awarded_investment(round=named_investment.round), "Not read yet.", approved=False)

    listing = client.get(reverse("public:funded", args=[fund.slug])).content.decode()
    assert reverse("public:story", args=[fund.slug, named.pk]) in listing
    assert reverse("public:story", args=[fund.slug, unnamed.pk]) in listing
    assert reverse("public:story", args=[fund.slug, refused.pk]) not in listing
    assert reverse("public:story", args=[fund.slug, unread.pk]) not in listing

    story = client.get(reverse("public:story", args=[fund.slug, named.pk])).content.decode()
    assert "Jean came every week." in story and named_investment.application.organisation.name in story
    story = client.get(reverse("public:story", args=[fund.slug, unnamed.pk])).content.decode()
    assert "A dad found work." in story
    assert unnamed_investment.application.organisation.name not in story
    assert unnamed_investment.application.title not in story
    assert client.get(reverse("public:story", args=[fund.slug, refused.pk])).status_code == 404
    assert client.get(reverse("public:story", args=[fund.slug, unread.pk])).status_code == 404
    other_fund = awarded_investment().round.fund
    assert client.get(reverse("public:story", args=[other_fund.slug, named.pk])).status_code == 404


def test_a_cancelled_investment_is_not_listed(client):
    investment = awarded_investment()
    Investment.objects.filter(pk=investment.pk).update(status=Investment.Status.CANCELLED)
    text = client.get(reverse("public:funded", args=[investment.round.fund.slug])).content.decode()
    assert "0 investments." in text


def test_the_open_data_is_public_and_signed_in_pages_are_not_cached_publicly(client):
    investment = awarded_investment()
    fund = investment.round.fund
    url = reverse("public:open_data", args=[fund.slug])
    response = client.get(url, {"format": "json"})
    assert response.status_code == 200 and response.json()["grants"][0]["id"].startswith(fund.grant_prefix)
    assert client.get(url, {"format": "doc"}).status_code == 400
    client.force_login(UserFactory())
    signed_in = client.get(reverse("public:funded", args=[fund.slug]))
    assert "private" in signed_in["Cache-Control"] and "public" not in signed_in["Cache-Control"]
    assert client.get(reverse("public:fund", args=["no-such-fund"])).status_code == 404


def test_an_open_rounds_criteria_and_guidance_are_published_before_anyone_applies(
    client, django_assert_max_num_queries
):
    from tests.factories import CriterionFactory, RoundFactory, fund_with_tiers

    fund = fund_with_tiers(name="Deal for Communities")
    round = RoundFactory(fund=fund, name="Round 1")
    CriterionFactory(
        round=round,
        title="Difference for local people",
        weight=Decimal("3"),
        guidance="Who gains, and how much.",
    )
    CriterionFactory(round=round, title="Value for money", weight=Decimal("1"))
    closed = RoundFactory(fund=fund, name="Old round", status="closed")
    CriterionFactory(round=closed, title="A criterion of a closed round")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("public:fund", args=[fund.slug])).content.decode()
    assert "Start-up and Big idea applications are scored by a panel against these criteria" in page
    assert "<strong>Difference for local people</strong> (75 of 100 points)" in page
    assert "Who gains, and how much." in page
    assert "<strong>Value for money</strong> (25 of 100 points)" in page
    assert "A criterion of a closed round" not in page


def test_an_open_rounds_own_questions_are_published_before_anyone_applies(
    client, django_assert_max_num_queries
):
    from questions.models import Placement
    from tests.factories import QuestionFactory, QuestionSectionFactory, RoundFactory, fund_with_tiers

    fund = fund_with_tiers(name="Deal for Communities")
    round = RoundFactory(fund=fund, name="Round 1")
    start = QuestionSectionFactory(round=round, title="Can you apply?", placement=Placement.START)
    QuestionFactory(
        section=start,
        label="Is your group based in the borough?",
        kind="yes_no",
        stopping_answers=["No"],
        stop_reason="This fund is for groups based in Wigan.",
    )
    venue = QuestionSectionFactory(round=round, title="Your venue")
    QuestionFactory(section=venue, label="Where will you meet?", required=False)
    audited = QuestionFactory(section=venue, label="Who audits your accounts?")
    audited.tiers.set([fund.tiers.get(name="Big idea")])
    QuestionFactory(section=venue, label="An old question", retired_at=timezone.now())
    closed = RoundFactory(fund=fund, name="Old round", status="archived")
    QuestionFactory(section=QuestionSectionFactory(round=closed), label="A question of a closed round")
    with django_assert_max_num_queries(15):
        page = client.get(reverse("public:fund", args=[fund.slug])).content.decode()
    assert "Is your group based in the borough?" in page and "This fund is for groups based in Wigan." in page
    assert "Where will you meet? (optional)" in page
    assert "Who audits your accounts? (big idea investments only)" in page
    assert "An old question" not in page and "A question of a closed round" not in page
