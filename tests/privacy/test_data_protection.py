"""Data protection as people meet it: the notice, a person's own data, erasure and retention."""

import io
import json
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import Application, Document
from applications.services.applying import withdraw_application
from assessment import services as assessment
from fund.models import FundRole
from investments.models import Payment, ProgressUpdate
from mentoring.services import add_note
from privacy.models import Erasure
from privacy.views import confirm_url
from reporting import giving360
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    CriterionFactory,
    DocumentFactory,
    OrganisationFactory,
    UserFactory,
    awarded_investment,
    fund_with_tiers,
    staff,
    submitted_application,
)

pytestmark = pytest.mark.django_db

NAME = "Samantha Hughes"
EMAIL = "sam.hughes@example.org"
PHONE = "01942 404040"


def _everything() -> str:
    """Every row of every table, as one text."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


@pytest.fixture
def person():
    return UserFactory(full_name=NAME, email=EMAIL)


@pytest.fixture
def investment(person, tasks):
    """An award to Sam's group: Sam started and declared the application, is the group's contact,
    told a story, and appears in the mentor's note and in the audit trail; e-mails went to her."""
    organisation = OrganisationFactory(
        members=[person, UserFactory()], contact_name=NAME, contact_email=EMAIL, contact_phone=PHONE
    )
    investment = awarded_investment(member=person, organisation=organisation)
    tasks()
    application = investment.application
    application.created_by = person
    application._history_user = person
    application.save()
    update = investment.updates.order_by("number").first()
    ProgressUpdate.objects.filter(pk=update.pk).update(
        story=f"Sam Hughes opened the hall every week. Ring {PHONE} to help.",
        submitted_by=person,
        status=ProgressUpdate.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    officer = staff(FundRole.Role.OFFICER, investment.round.fund, full_name="Olive Officer")
    add_note(
        investment=investment,
        by=officer,
        kind="meeting",
        met_on=timezone.localdate(),
        text=f"Met {NAME} ({EMAIL}) at the hall.",
        visibility="private",
    )
    return investment


def _officer(investment) -> User:
    return User.objects.get(full_name="Olive Officer")


# --- The notice -----------------------------------------------------------------------------------


def test_anyone_can_read_the_privacy_notice_from_every_page(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "dpo@wigan.example.org"
    settings.RETENTION_UNSUCCESSFUL_YEARS = 3
    fund = fund_with_tiers(council_name="Wigan Council")
    page = client.get(reverse("privacy:notice")).content.decode()
    assert "Privacy notice" in page
    assert f"{fund.name}: Wigan Council" in page
    assert "dpo@wigan.example.org" in page
    assert "removed 3 years after it closed" in page
    assert reverse("privacy:notice") in client.get(reverse("portal:index")).content.decode()


# --- A person's own data --------------------------------------------------------------------------


def test_your_data_needs_signing_in(client):
    for name in ("privacy:your_data", "privacy:your_data_download"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_group_member_downloads_their_profile_groups_and_what_they_wrote(client, person, investment):
    application = investment.application
    application.summary = "Warm space every Wednesday with soup."
    application.save()
    someone_else = UserFactory(full_name="Other Person")
    client.force_login(person)
    assert "Download your data" in client.get(reverse("privacy:your_data")).content.decode()

    response = client.get(reverse("privacy:your_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="your-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)

    assert data["profile"]["full_name"] == NAME
    assert data["profile"]["email"] == EMAIL
    assert data["profile"]["email_addresses"] == [{"email": EMAIL, "verified": True, "primary": True}]
    assert [m["group"] for m in data["group_memberships"]] == [application.organisation.name]
    assert data["named_as_group_contact"][0]["contact_phone"] == PHONE
    [written] = data["applications"]
    assert written["reference"] == application.reference
    assert written["summary"] == "Warm space every Wednesday with soup."
    assert written["declaration_name"] == "Sam Hughes"
    [update] = data["written"]["progress_updates"]
    assert update["story"].startswith("Sam Hughes opened the hall")
    assert {"what": "Application", "object": application.reference, "action": "Changed"}.items() <= next(
        change for change in data["changes_recorded_in_the_audit_trail"] if change["what"] == "Application"
    ).items()
    # Only theirs: not another person's details, and no secrets.
    text = response.content.decode()
    assert "Other Person" not in text and someone_else.email not in text
    assert "password" not in text and "pbkdf2" not in text and "md5$" not in text


def test_a_panel_members_export_has_their_scores_and_comments(client):
    application = submitted_application(amount_requested=Decimal("5000.00"))
    CriterionFactory(round=application.round, title="Local support")
    reviewer = staff(FundRole.Role.PANEL, application.round.fund)
    officer = staff(FundRole.Role.OFFICER, application.round.fund)
    assessment.mark_eligible(application=application, by=officer)
    review = assessment.assign_reviewer(application=application, reviewer=reviewer, by=officer)
    review = assessment.declare_interest(review=review, by=reviewer, conflict=False)
    review.comment = "Strong local backing."
    review.save()
    review.scores.update(score=4, comment="Clear plan")
    client.force_login(reviewer)
    data = json.loads(client.get(reverse("privacy:your_data_download")).content)
    [written] = data["written"]["reviews"]
    assert written["application"] == application.reference
    assert written["comment"] == "Strong local backing."
    assert written["scores"] == [{"criterion": "Local support", "score": 4, "comment": "Clear plan"}]
    assert data["fund_roles"] == [
        {
            "fund": application.round.fund.name,
            "council": application.round.fund.council_name,
            "role": "Panel member",
        }
    ]


# --- Erasure --------------------------------------------------------------------------------------


def test_after_erasure_the_name_and_email_are_gone_everywhere_and_the_money_still_adds_up(
    client, person, investment
):
    fund = investment.round.fund
    application = investment.application
    officer = _officer(investment)
    payments = Payment.objects.filter(investment=investment)
    money_before = (investment.amount, payments.aggregate(total=Sum("amount"))["total"], payments.count())
    before = _everything()
    assert NAME in before and EMAIL in before and "Sam Hughes" in before and PHONE in before
    assert application.history.filter(history_user=person).exists()

    client.force_login(officer)
    found = client.get(reverse("privacy:erasure_find"), {"email": "Sam.Hughes@example.org"})
    assert found.status_code == 302
    page = client.get(found["Location"]).content.decode()
    assert NAME in page and application.organisation.name in page
    assert "They are the contact for" in page
    response = client.post(found["Location"], {"reference": "DP-2026-0042", "confirm": "on"})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert "Request DP-2026-0042: their personal data has been erased" in done
    assert f"Removed person {person.pk}" in done

    after = _everything()
    # Her e-mail address and phone number are gone from every table.
    for gone in (EMAIL, PHONE):
        assert gone.lower() not in after.lower(), f"{gone!r} is still stored"
    # Her names are gone from what was hers: her account, the application she started and declared
    # (and its audit copies and submitted copy), her story, the group's contact.
    application.refresh_from_db()
    assert application.declaration_name == f"Removed person {person.pk}"
    assert not application.history.filter(declaration_name="Sam Hughes").exists()
    story = investment.updates.order_by("number").first().story
    assert story == f"Removed person {person.pk} opened the hall every week. Ring  to help."
    version = application.versions.get()
    assert "Sam Hughes" not in str(version.answers) and NAME not in str(version.answers)
    # What the officer wrote about her is the council's note: only her address goes from it.
    note = investment.mentor_notes.get()
    assert note.text == f"Met {NAME} (removed-{person.pk}@removed.invalid) at the hall."

    # The records the council keeps are all there, and add up as before.
    investment.refresh_from_db()
    assert (
        investment.amount,
        payments.aggregate(total=Sum("amount"))["total"],
        payments.count(),
    ) == money_before
    [grant] = giving360.package(fund)["grants"]
    assert Decimal(str(grant["amountAwarded"])) == investment.amount
    placeholder = User.objects.get(pk=person.pk)
    assert placeholder.full_name == f"Removed person {person.pk}"
    assert not placeholder.is_active and not placeholder.has_usable_password()
    assert not placeholder.memberships.exists()
    # The audit trail still says a person changed the application, now the placeholder.
    client.force_login(officer)
    history = client.get(reverse("audit:history", args=["applications", application.pk])).content.decode()
    assert f"Removed person {person.pk}" in history
    # The group keeps a placeholder contact until it names another.
    application.organisation.refresh_from_db()
    assert application.organisation.contact_email == f"removed-{person.pk}@removed.invalid"
    erasure = Erasure.objects.get()
    assert (erasure.person, erasure.erased_by, erasure.reference) == (placeholder, officer, "DP-2026-0042")

    # They can no longer sign in, and cannot be erased twice.
    client.logout()
    login = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert not login.wsgi_request.user.is_authenticated
    client.force_login(officer)
    assert client.get(confirm_url(person)).status_code == 404


def test_erasure_needs_a_reference_and_a_confirmation_and_keeps_what_was_typed(client, person, investment):
    client.force_login(_officer(investment))
    url = confirm_url(person)
    response = client.post(url, {"reference": "DP-7"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Confirm that this person&#x27;s data should be erased" in page
    assert 'value="DP-7"' in page
    assert client.post(url, {"confirm": "on"}).status_code == 400
    assert User.objects.get(pk=person.pk).email == EMAIL
    assert not Erasure.objects.exists()


def test_finding_someone_unknown_says_so_plainly(client, investment):
    client.force_login(_officer(investment))
    response = client.get(reverse("privacy:erasure_find"), {"email": "nobody@example.org"})
    assert response.status_code == 400
    assert "Nobody you can erase has that email address" in response.content.decode()
    response = client.get(reverse("privacy:erasure_find"), {"email": "not an address"})
    assert "Enter an email address in the correct format" in response.content.decode()


def test_only_officers_of_a_fund_holding_their_data_can_erase_a_person(
    client, person, investment, monkeypatch
):
    find = reverse("privacy:erasure_find")
    confirm = confirm_url(person)
    # Not signed in: asked to sign in.
    assert client.get(find)["Location"].startswith(reverse("account_login"))
    assert client.post(confirm)["Location"].startswith(reverse("account_login"))
    # A group member, finance and a panel member of the same fund: refused.
    fund = investment.round.fund
    for someone in (
        UserFactory(),
        staff(FundRole.Role.FINANCE, fund),
        staff(FundRole.Role.PANEL, fund),
    ):
        client.force_login(someone)
        assert client.get(find).status_code == 403
        assert client.post(confirm, {"reference": "X", "confirm": "on"}).status_code == 403
    # An officer of another fund: not found.
    client.force_login(staff(FundRole.Role.OFFICER, fund_with_tiers()))
    assert client.get(find, {"email": EMAIL}).status_code == 400
    assert client.post(confirm, {"reference": "X", "confirm": "on"}).status_code == 404
    # A made-up or altered address finds nobody; an hour-old one asks to look again.
    client.force_login(_officer(investment))
    assert client.get(reverse("privacy:erasure_confirm", args=[str(person.pk)])).status_code == 404
    assert client.get(confirm[:-2] + "x/").status_code == 404
    two_hours_ago = time.time() - 2 * 60 * 60
    with monkeypatch.context() as clock:
        clock.setattr("django.core.signing.time.time", lambda: two_hours_ago)
        stale_url = confirm_url(person)
    stale = client.get(stale_url, follow=True)
    assert stale.redirect_chain[-1][0] == find
    assert "Find the person again" in stale.content.decode()
    # An officer cannot erase themselves.
    officer = _officer(investment)
    client.force_login(officer)
    assert client.get(confirm_url(officer)).status_code == 404
    assert User.objects.get(pk=person.pk).email == EMAIL


# --- Retention ------------------------------------------------------------------------------------


def _close_long_ago(application: Application, years: int) -> None:
    long_ago = timezone.now() - timedelta(days=365 * years + 2)
    application.events.update(at=long_ago)


def test_retention_removes_old_unsuccessful_applications_personal_data_once(
    settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_UNSUCCESSFUL_YEARS = 3
    member = UserFactory(full_name="Dee Clined")
    declined = submitted_application(member=member)
    officer = staff(FundRole.Role.OFFICER, declined.round.fund)
    assessment.mark_eligible(application=declined, by=officer)
    assessment.decide(
        application=declined,
        by=officer,
        outcome="decline",
        base_url="http://testserver",
        reason="Outside the fund's aims",
        feedback="Try the small grants scheme",
    )
    DocumentFactory(application=declined, uploaded_by=member)
    _close_long_ago(declined, 4)
    files = [document.file.name for document in declined.documents.all()]
    storage = Document._meta.get_field("file").storage
    assert files and all(storage.exists(name) for name in files)

    recent = submitted_application()
    withdraw_application(application=recent, by=recent.organisation.memberships.get().user)
    funded = awarded_investment().application
    _close_long_ago(funded, 4)
    old_draft = ApplicationFactory(declaration_name="Dora Draft")
    Application.objects.filter(pk=old_draft.pk).update(updated_at=timezone.now() - timedelta(days=365 * 4))

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
    assert "Removed the personal data of 2 unsuccessful applications" in out.getvalue()
    assert declined.reference in out.getvalue()

    declined.refresh_from_db()
    assert declined.declaration_name == "" and declined.created_by is None
    assert declined.personal_data_removed_at is not None
    assert not declined.documents.exists()
    assert not any(storage.exists(name) for name in files)
    [version] = declined.versions.all()
    rows = {row["question"]: row["answer"] for section in version.answers for row in section["rows"]}
    assert rows["Declared by"] == "Removed under the retention policy"
    assert rows["Contact"] == "Removed under the retention policy"
    assert version.submitted_by is None
    assert not declined.history.exclude(declaration_name="").exists()
    assert not declined.history.filter(history_user=member).exists()
    assert not declined.events.filter(actor=member).exists()
    # What the group proposed and what the fund decided stay.
    assert declined.title == "Warm Wednesdays"
    assert declined.decisions.get().reason == "Outside the fund's aims"
    # The audit trail records the change, made by the portal, with its reason.
    latest = declined.history.first()
    assert latest.history_user is None
    assert latest.history_change_reason == "Personal data removed under the retention policy"
    old_draft.refresh_from_db()
    assert old_draft.declaration_name == "" and old_draft.personal_data_removed_at is not None

    # Recent or successful applications keep theirs.
    recent.refresh_from_db()
    funded.refresh_from_db()
    assert recent.declaration_name == "Sam Hughes" and recent.personal_data_removed_at is None
    assert funded.declaration_name == "Sam Hughes" and funded.personal_data_removed_at is None

    # Running it again changes nothing at all.
    before = _everything()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
    assert out.getvalue().startswith("Nothing to do")
    assert _everything() == before


def test_retention_dry_run_lists_what_is_due_and_changes_nothing(settings):
    settings.RETENTION_UNSUCCESSFUL_YEARS = 2
    application = submitted_application()
    withdraw_application(application=application, by=application.organisation.memberships.get().user)
    _close_long_ago(application, 3)
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "1 unsuccessful applications closed before" in out.getvalue()
    assert application.reference in out.getvalue()
    application.refresh_from_db()
    assert application.declaration_name == "Sam Hughes"
    assert application.personal_data_removed_at is None
