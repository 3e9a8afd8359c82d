"""A round run by the fund's own team, in Chromium, with no admin and no shell: an officer invites
two panel members, a mentor and a finance officer, who each accept; a big idea is reviewed by three
and decided; the group is asked for a document in the conversation and replies with it; its
condition is met with evidence; finance pays the tranche the condition held back, refused before.
axe checks the pages this journey alone reaches in this state."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from fund.models import FundRole
from investments.models import Investment, Payment
from tests.factories import (
    PDF_BYTES,
    CriterionFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    fund_with_tiers,
    staff,
    submitted_application,
)
from tests.support.browser import record_first_payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERIA = ("Difference for local people", "Value for money")


def _heading(page, text, assert_accessible=None):
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(text))
    if assert_accessible:
        assert_accessible(page)


def _invite(officer, email: str, role: str, capacity: str = "") -> None:
    officer.get_by_role("button", name="Invite someone").click()
    officer.get_by_label("Email address").fill(email)
    officer.get_by_label(role, exact=True).check()
    if capacity:
        officer.get_by_label("How many investments can they mentor at once?").fill(capacity)
    officer.get_by_role("button", name="Send invitation").click()
    expect(officer.get_by_text(f"We have emailed an invitation to {email}")).to_be_visible()


def _review(tab, reference: str, score: str) -> None:
    tab.goto("/home/")
    _heading(tab, "Your work")
    tab.get_by_role("link", name=re.compile(reference)).first.click()
    _heading(tab, "Declare your interests")
    tab.get_by_label("No", exact=True).check()
    tab.get_by_role("button", name="Continue").click()
    _heading(tab, f"Review {reference}")
    for criterion in CRITERIA:
        tab.get_by_role("group", name=criterion).get_by_label(score, exact=True).check()
    tab.get_by_label("Fund", exact=True).check()
    tab.get_by_role("button", name="Submit scores").click()
    expect(tab.get_by_text("Your scores have been submitted.")).to_be_visible()


def test_the_fund_team_runs_a_big_idea_from_invitations_to_payment(
    person, live_server, tasks, assert_accessible, tmp_path
):
    fund = fund_with_tiers(name="Deal for Communities", reference_prefix="DFC")
    round = RoundFactory(fund=fund, name="Round 1", budget=Decimal("200000.00"))
    for title in CRITERIA:
        CriterionFactory(round=round, title=title)
    officer_user = staff(FundRole.Role.OFFICER, fund, full_name="Olivia Officer")
    first_panel = staff(FundRole.Role.PANEL, fund, full_name="Priya Panel")  # the fund's only one
    member = UserFactory(full_name="Hana Hughes")
    hub = OrganisationFactory(
        name="Scholes Community Hub", legal_form="cio", charity_number="1180000", members=[member]
    )
    application = submitted_application(round=round, amount_requested=Decimal("24000.00"), organisation=hub)
    assert application.tier.name == "Big idea" and application.tier.reviewers_needed == 3
    reference = application.reference
    # Those invited have accounts already; signing up from an invitation has its own journey.
    newcomers = {
        "rob@council.example": ("Panel member", "Rob Reviewer", ""),
        "rita@council.example": ("Panel member", "Rita Reviewer", ""),
        "mo@council.example": ("Mentor", "Mo Mentor", "2"),
        "fred@council.example": ("Finance officer", "Fred Finance", ""),
    }
    people = {email: UserFactory(email=email, full_name=name) for email, (_, name, _) in newcomers.items()}

    officer = person(officer_user)
    officer.goto(f"/manage/funds/{fund.slug}/team/")
    _heading(officer, "The fund's team", assert_accessible)
    for email, (role, _, capacity) in newcomers.items():
        _invite(officer, email, role, capacity)
    tasks()
    tabs = {}
    for email, (role, _, _) in newcomers.items():
        [invitation] = [message for message in mail.outbox if message.to == [email]]
        link = re.search(rf"{re.escape(live_server.url)}(/team/invitations/\S+)", invitation.body).group(1)
        tab = tabs[email] = person(people[email])
        tab.goto(link)
        tab.get_by_role("button", name="Accept invitation").click()
        expect(tab.get_by_text(f"You are now a {role.lower()} of Deal for Communities.")).to_be_visible()
    assert FundRole.objects.filter(fund=fund, user__email__in=list(newcomers)).count() == 4

    # Checked, then given to three panel members: the fund now has them.
    officer.goto("/home/")
    officer.get_by_role("link", name="1 application to check").click()
    officer.get_by_role("link", name=reference).click()
    officer.get_by_label("Yes, it is eligible").check()
    officer.get_by_role("button", name="Save the check").click()
    officer.get_by_text("Choose reviewers by hand").click()
    for name in ("Priya Panel", "Rob Reviewer", "Rita Reviewer"):
        officer.get_by_label(name).check()
    officer.get_by_role("button", name="Assign reviewers", exact=True).click()
    expect(officer.get_by_text("The reviewers have been assigned.")).to_be_visible()

    _review(person(first_panel), reference, "4")
    _review(tabs["rob@council.example"], reference, "3")
    _review(tabs["rita@council.example"], reference, "4")

    officer.goto("/home/")
    officer.get_by_role("link", name="1 application ready to decide").click()
    officer.get_by_role("link", name=reference).click()
    officer.get_by_label("Award", exact=True).check()
    officer.get_by_label("Amount to award").fill("24000")
    officer.get_by_label("Conditions (optional)").fill("Send the signed lease for the hub's room.")
    officer.get_by_role("button", name="Record the decision").click()
    expect(officer.get_by_text(f"{reference}: awarded £24,000. The group has been told.")).to_be_visible()
    investment = Investment.objects.get(application=application)

    # A big idea needs a mentor before its first payment: the invited mentor is named.
    officer.goto(f"/manage/investments/{investment.pk}/")
    officer.get_by_role("link", name="Assign a mentor").click()
    officer.get_by_role("group", name="Choose a mentor").get_by_label(re.compile("Mo Mentor")).check()
    officer.get_by_role("button", name="Assign mentor").click()
    expect(officer.get_by_text("Mo Mentor is now the mentor.")).to_be_visible()

    # The officer asks for a document in the conversation; the group replies with it.
    officer.goto(f"/applications/{application.pk}/messages/")
    officer.get_by_label("Your message").fill("Please send the quote for the laptops.")
    officer.get_by_role("button", name="Send").click()
    expect(officer.get_by_text("Your message is sent.")).to_be_visible()

    group = person(member)
    _heading(group, "Your work", assert_accessible)
    group.get_by_role("link", name=re.compile(f"New message from the fund team about {reference}")).click()
    _heading(group, "Messages")
    quote = tmp_path / "laptop-quote.pdf"
    quote.write_bytes(PDF_BYTES)
    group.get_by_label("Your message").fill("Here is the quote from the supplier.")
    group.get_by_label("Attach a file (optional)").set_input_files(str(quote))
    group.get_by_role("button", name="Send").click()
    expect(group.get_by_text("Your message is sent.")).to_be_visible()

    officer.goto("/home/")
    officer.get_by_role("link", name="1 message waiting for an answer").click()
    officer.get_by_role("link", name=re.compile(reference)).first.click()
    _heading(officer, "Messages", assert_accessible)
    expect(officer.get_by_text("Here is the quote from the supplier.")).to_be_visible()
    expect(officer.get_by_role("link", name="laptop-quote.pdf")).to_be_visible()
    expect(officer.get_by_text(re.compile("Mo Mentor named as mentor"))).to_be_visible()

    # Finance is refused the first tranche while its condition is not met, and told why.
    money = tabs["fred@council.example"]
    money.goto(f"/manage/payments/investments/{investment.pk}/")
    expect(
        money.get_by_text(re.compile("Send the signed lease for the hub's room.” must be met"))
    ).to_be_visible()
    expect(money.get_by_role("button", name="Record payment")).to_have_count(0)

    # One of the group's owners accepts the offer for it.
    group.goto("/home/")
    group.get_by_role("link", name=re.compile("Accept the offer of £24,000")).click()
    group.get_by_label("Your full name").fill("Sam Hughes")
    group.get_by_label("Your position in the group").fill("Chair")
    group.get_by_label(re.compile("I accept the offer")).check()
    group.get_by_role("button", name="Accept the offer").click()
    expect(group.get_by_text("Offer accepted")).to_be_visible()

    group.goto("/home/")
    group.get_by_role("link", name=re.compile("meets the condition: Send the signed lease")).click()
    lease = tmp_path / "lease.pdf"
    lease.write_bytes(PDF_BYTES)
    group.get_by_label("How is the condition met?").fill("The lease is attached, signed by the parish.")
    group.get_by_label("A file that shows it (optional)").set_input_files(str(lease))
    group.get_by_role("button", name="Send").click()
    expect(group.get_by_text("Your evidence is sent. The fund team will check it.")).to_be_visible()

    officer.goto("/home/")
    officer.get_by_role("link", name="1 condition with evidence to check").click()
    officer.get_by_role("link", name=reference).first.click()
    officer.get_by_role("button", name=re.compile("Mark as met")).click()
    expect(officer.get_by_text(re.compile("The condition is met"))).to_be_visible()

    money.reload()
    record_first_payment(
        money, investment, reference="BACS-0001", how="The officer accepted the signed lease."
    )
    assert_accessible(money)
    assert investment.payments.order_by("number").first().status == Payment.Status.PAID
