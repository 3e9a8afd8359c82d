"""`manage.py seed_demo`: the demo fund and one account per role, safe to run twice."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from applications.models import Application
from fund.models import Criterion, Fund, FundRole, Place, Round, Theme, Tier
from portal.management.commands.seed_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from reporting.demo import PAST_GROUPS
from reporting.models import OutcomeRecord, ProxyVersion
from reporting.starter import STARTER_PROXIES

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_builds_the_deal_for_communities_fund_and_prints_sign_in_details():
    output = _seed()
    fund = Fund.objects.get()
    assert fund.name == "Deal for Communities Investment Fund"
    assert [t.band_label for t in fund.tiers.all()] == [
        "Up to £2,000",
        "£2,000.01 to £10,000",
        "Over £10,000",
    ]
    assert Place.objects.count() == 7 and Theme.objects.count() == 7
    round = Round.objects.open().get()  # last year's round is closed
    assert round.budget == 1_000_000
    assert Criterion.objects.filter(round=round).count() == 5
    assert DEMO_PASSWORD in output
    for email, _name, _role in DEMO_ACCOUNTS:
        assert email in output


def test_seed_demo_run_twice_makes_nothing_twice():
    _seed()
    _seed()
    assert Fund.objects.count() == 1
    assert Tier.objects.count() == 3
    assert Round.objects.count() == 2  # this year's, and last year's with its investments reported
    assert Criterion.objects.count() == 5
    # The demo accounts, the made-up hub's and shed's owners, and last year's four groups
    assert User.objects.count() == len(DEMO_ACCOUNTS) + 2 + len(PAST_GROUPS)
    assert FundRole.objects.count() == 6
    assert Application.objects.count() == 3 + len(PAST_GROUPS)
    assert Application.objects.filter(status=Application.Status.IN_REVIEW).count() == 1
    assert ProxyVersion.objects.count() == len(STARTER_PROXIES)
    assert OutcomeRecord.objects.count() == 1 + sum(len(group.outcomes) for group in PAST_GROUPS)


@pytest.mark.parametrize(
    ("email", "section"),
    [
        ("officer@demo.example", "Fund officer"),
        ("finance@demo.example", "Finance"),
        ("panel@demo.example", "Panel member"),
        ("mentor@demo.example", "Mentor"),
        ("applicant@demo.example", "Your groups"),
    ],
)
def test_each_demo_account_signs_in_to_its_work(client, email, section):
    _seed()
    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("work:home")
    assert response.status_code == 200
    assert f">{section}</h2>" in response.content.decode()


def test_the_demos_stories_were_approved_by_the_officer_and_are_public(client):
    from investments.models import ProgressUpdate

    _seed()
    fund = Fund.objects.get()
    officer = User.objects.get(email="officer@demo.example")
    stories = ProgressUpdate.objects.exclude(story="")
    assert stories.count() == len(PAST_GROUPS)
    assert set(stories.values_list("story_approved_by", flat=True)) == {officer.pk}
    listing = client.get(reverse("public:funded", args=[fund.slug])).content.decode()
    for story in stories:
        assert reverse("public:story", args=[fund.slug, story.pk]) in listing


def test_the_demo_has_a_condition_to_meet_and_a_question_waiting(client):
    _seed()
    client.force_login(User.objects.get(email="shed@demo.example"))
    work = client.get(reverse("work:home")).content.decode()
    assert "meets the condition: Send a copy of the shed&#x27;s public liability insurance." in work
    client.force_login(User.objects.get(email="officer@demo.example"))
    work = client.get(reverse("work:home")).content.decode()
    assert "1 message waiting for an answer" in work
    client.force_login(User.objects.get(email="mentor@demo.example"))
    assert "New message about" in client.get(reverse("notifications:list")).content.decode()
