"""Erasure reaches only what is the person's, and only the right people may carry it out."""

import json

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from applications.services.applying import submit_application
from fund.models import FundRole
from investments.models import ProgressUpdate
from privacy.erasure import erase
from privacy.models import Erasure
from privacy.views import confirm_url
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    awarded_investment,
    fund_with_tiers,
    ready_to_submit,
    staff,
    submitted_application,
)

pytestmark = pytest.mark.django_db

# Each is a word the fund's own records use for other things.
NAMES = ["Wigan", "Leigh", "Council", "Green", "Fund"]
# Columns that point at a person.
PERSON_LINKS = {
    "user",
    "created_by",
    "submitted_by",
    "actor",
    "history_user",
    "uploaded_by",
    "invited_by",
    "author",
    "raised_by",
    "resolved_by",
    "acknowledged_by",
    "recorded_by",
    "decided_by",
    "reviewer",
    "assigned_by",
    "mentor",
    "person",
    "erased_by",
}


def _rows() -> dict[tuple[str, object], dict]:
    """Every row of every table, by (model, primary key)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for row in json.loads(serializers.serialize("json", model._base_manager.all())):
            rows[(row["model"], row["pk"])] = row["fields"]
    return rows


def _belongs_to(key, fields, *, person_pk, email, applications, updates, organisation_pk) -> bool:
    """The test's own reading of "rows linked to the person", independent of the code under test."""
    model, pk = key
    if model == "accounts.user":
        return pk == person_pk
    if any(fields.get(link) == person_pk for link in PERSON_LINKS):
        return True
    if model == "applications.organisation":
        return pk == organisation_pk
    if model == "applications.historicalapplication":
        return fields["id"] in applications
    if model in ("applications.application", "applications.applicationversion"):
        return (pk if model == "applications.application" else fields["application"]) in applications
    if model == "applications.progressupdate":
        return pk in updates
    return email in json.dumps(fields)


def _world():
    """A fund whose records use the five names for places, groups and words, and five people with
    those names, each in a group with a bystander and with an award to report on."""
    fund = fund_with_tiers(name="Wigan Council Community Fund", council_name="Wigan Council")
    round = RoundFactory(fund=fund, name="Green Spaces Fund round")
    for place in ("Leigh", "Hindley Green", "Wigan town centre"):
        fund.places.create(name=place)
    fund.themes.create(name="Green spaces")
    bystander = UserFactory(full_name="Pat Green", email="pat@green.example.org")
    neighbours = OrganisationFactory(
        name="Leigh Green Gardeners",
        members=[bystander],
        contact_name="Pat Green",
        contact_email="pat@green.example.org",
        town="Leigh",
    )
    ApplicationFactory(
        round=round,
        organisation=neighbours,
        title="Wigan Council Fund bid",
        summary="Greening Leigh with the Council and the Fund.\nWigan\nGreen",
    )
    people = []
    for name in NAMES:
        person = UserFactory(full_name=name, email=f"{name.lower()}@people.example.org")
        group = OrganisationFactory(
            name=f"{name} Street Residents",
            members=[person, UserFactory(full_name=f"Neighbour of {name}")],
            contact_name=name,
            contact_email=person.email,
            contact_phone="07700 900" + str(100 + len(people)),
            town="Wigan",
        )
        application = ready_to_submit(ApplicationFactory(round=round, organisation=group, created_by=person))
        application.summary = f"A project in Wigan and Leigh, with the Council Fund and Green spaces.\n{name}"
        application.declaration_name = name
        application.save()
        submit_application(application=application, by=person, base_url="http://testserver")
        people.append((person, application, group))
    return fund, round, people, neighbours


def test_erasing_people_named_like_places_changes_only_their_own_rows(tasks):
    fund, _round, people, neighbours = _world()
    officer = staff(FundRole.Role.OFFICER, fund, full_name="Olive Officer")
    tasks()
    for person, application, group in people:
        before = _rows()
        email = person.email
        erase(person=person, by=officer, reference=f"DP-{person.pk}")
        after = _rows()
        changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        assert changed, "erasure changed nothing"
        strangers = [
            key
            for key in changed
            if key[0] != "privacy.erasure"
            and not _belongs_to(
                key,
                before.get(key) or after[key],
                person_pk=person.pk,
                email=email,
                applications={application.pk},
                updates=set(),
                organisation_pk=group.pk,
            )
        ]
        assert strangers == [], f"erasing {person.full_name!r} changed rows that are not theirs"

        # In their own rows, the name they gave is replaced where it stands whole...
        application.refresh_from_db()
        assert application.declaration_name == f"Removed person {person.pk}"
        group.refresh_from_db()
        assert (group.contact_name, group.contact_email, group.contact_phone) == (
            f"Removed person {person.pk}",
            f"removed-{person.pk}@removed.invalid",
            "",
        )
        version = application.versions.get()
        declared = next(
            row["answer"]
            for section in version.answers
            for row in section["rows"]
            if row["question"] == "Declared by"
        )
        assert declared == f"Removed person {person.pk}"
        # ...never as a word inside their sentences.
        assert application.summary == (
            f"A project in Wigan and Leigh, with the Council Fund and Green spaces.\n{person.full_name}"
        )
        # The group keeps its name, and the e-mail address has gone from every table.
        assert group.name == f"{person.full_name} Street Residents"
        assert email not in json.dumps(list(after.values()))

    # Nothing of the fund, the bystanders or their words changed.
    fund.refresh_from_db()
    assert (fund.name, fund.council_name) == ("Wigan Council Community Fund", "Wigan Council")
    places = set(fund.places.values_list("name", flat=True))
    assert {"Hindley Green", "Leigh", "Wigan town centre"} <= places
    neighbours.refresh_from_db()
    assert (neighbours.name, neighbours.contact_name, neighbours.town) == (
        "Leigh Green Gardeners",
        "Pat Green",
        "Leigh",
    )
    bid = neighbours.applications.get()
    assert (bid.title, bid.summary) == (
        "Wigan Council Fund bid",
        "Greening Leigh with the Council and the Fund.\nWigan\nGreen",
    )
    assert User.objects.get(email="pat@green.example.org").full_name == "Pat Green"
    assert Erasure.objects.count() == len(NAMES)


def test_a_full_name_is_replaced_as_a_phrase_in_their_own_words_only(tasks):
    person = UserFactory(full_name="Hindley Green", email="hg@people.example.org")
    investment = awarded_investment(member=person)
    fund = investment.round.fund
    fund.places.create(name="Hindley Green")
    update = investment.updates.order_by("number").first()
    ProgressUpdate.objects.filter(pk=update.pk).update(
        story="Hindley  Green ran the stall; Hindley Greenwood helped.",
        submitted_by=person,
        status=ProgressUpdate.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    other = awarded_investment(round=investment.round)
    Application.objects.filter(pk=other.application_id).update(summary="We meet in Hindley Green.")
    erase(person=person, by=staff(FundRole.Role.OFFICER, fund), reference="DP-1")

    update.refresh_from_db()
    assert update.story == f"Removed person {person.pk} ran the stall; Hindley Greenwood helped."
    other.application.refresh_from_db()
    assert other.application.summary == "We meet in Hindley Green."
    assert fund.places.filter(name="Hindley Green").exists()


# --- Who may erase whom ---------------------------------------------------------------------------


@pytest.fixture
def administrator():
    return UserFactory(is_staff=True, is_superuser=True, full_name="Ada Administrator")


def _can_reach(client, viewer, person) -> bool:
    client.force_login(viewer)
    found = client.get(reverse("privacy:erasure_find"), {"email": person.email})
    confirm = client.get(confirm_url(person))
    assert (found.status_code == 302) == (confirm.status_code == 200)
    return confirm.status_code == 200


def test_an_officer_cannot_erase_another_funds_officer_nor_learn_their_roles(client, administrator):
    mine, theirs = fund_with_tiers(), fund_with_tiers()
    officer = staff(FundRole.Role.OFFICER, mine)
    other_officer = staff(FundRole.Role.OFFICER, theirs, full_name="Otto Other")
    client.force_login(officer)
    found = client.get(reverse("privacy:erasure_find"), {"email": other_officer.email})
    assert found.status_code == 400
    page = found.content.decode()
    assert "Nobody you can erase has that email address" in page
    assert "Otto Other" not in page and theirs.name not in page
    response = client.post(confirm_url(other_officer), {"reference": "X", "confirm": "on"})
    assert response.status_code == 404
    assert "Otto Other" not in response.content.decode()
    assert User.objects.get(pk=other_officer.pk).full_name == "Otto Other"
    assert FundRole.objects.filter(user=other_officer).exists()
    # A staff role in their own fund is for the administrators too.
    panel = staff(FundRole.Role.PANEL, mine)
    assert not _can_reach(client, officer, panel)
    # The administrators can.
    assert _can_reach(client, administrator, other_officer)
    page = client.get(confirm_url(other_officer)).content.decode()
    assert f"Fund officer ({theirs.name})" in page


def test_a_person_with_data_in_another_fund_or_in_none_is_for_the_administrators(client, administrator):
    mine, theirs = fund_with_tiers(), fund_with_tiers()
    officer = staff(FundRole.Role.OFFICER, mine)
    both = UserFactory()
    group = OrganisationFactory(members=[both])
    submitted_application(organisation=group, member=both, round=RoundFactory(fund=mine))
    submitted_application(organisation=group, member=both, round=RoundFactory(fund=theirs))
    nowhere = UserFactory()
    OrganisationFactory(members=[nowhere])  # a group that has applied to no fund

    for person in (both, nowhere):
        assert not _can_reach(client, officer, person)
        assert client.post(confirm_url(person), {"reference": "X", "confirm": "on"}).status_code == 404
        assert _can_reach(client, administrator, person)
    client.force_login(administrator)
    response = client.post(confirm_url(nowhere), {"reference": "DP-9", "confirm": "on"})
    assert response.status_code == 302
    assert User.objects.get(pk=nowhere.pk).full_name == f"Removed person {nowhere.pk}"


def test_administrators_cannot_erase_themselves_or_each_other(client, administrator):
    other = UserFactory(is_staff=True)
    assert not _can_reach(client, administrator, other)
    assert not _can_reach(client, administrator, administrator)


def test_people_without_an_officer_role_cannot_reach_erasure(client):
    fund = fund_with_tiers()
    person = UserFactory()
    submitted_application(member=person, round=RoundFactory(fund=fund))
    for someone in (UserFactory(), staff(FundRole.Role.FINANCE, fund), staff(FundRole.Role.MENTOR, fund)):
        client.force_login(someone)
        assert client.get(reverse("privacy:erasure_find")).status_code == 403
        assert client.post(confirm_url(person), {"reference": "X", "confirm": "on"}).status_code == 403


def test_a_member_of_a_group_that_applied_nowhere_is_for_the_administrators(client, administrator):
    fund = fund_with_tiers()
    officer = staff(FundRole.Role.OFFICER, fund)
    person = UserFactory(full_name="Mo Member")
    applied = OrganisationFactory(name="Applied Allotments", members=[person])
    submitted_application(organisation=applied, member=person, round=RoundFactory(fund=fund))
    OrganisationFactory(name="Secret Society", members=[person], contact_email=person.email)
    assert not _can_reach(client, officer, person)
    assert _can_reach(client, administrator, person)
    page = client.get(confirm_url(person)).content.decode()
    assert "Applied Allotments" in page and "Secret Society" in page


# --- Closing one's own account ---------------------------------------------------------------------


def _reauthenticate(client) -> None:
    """Enter the password again, as allauth asks before something that cannot be undone."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_group_member_closes_their_own_account(client):
    person = UserFactory(full_name="Cleo Closer")
    group = OrganisationFactory(
        members=[person, UserFactory()], contact_name="Cleo Closer", contact_email=person.email
    )
    submitted_application(organisation=group, member=person)
    client.force_login(person)
    _reauthenticate(client)
    assert reverse("privacy:close_account") in client.get(reverse("privacy:your_data")).content.decode()
    page = client.get(reverse("privacy:close_account")).content.decode()
    assert "Close your account" in page and group.name in page
    refused = client.post(reverse("privacy:close_account"), {})
    assert refused.status_code == 400
    assert "Confirm that you want to close your account" in refused.content.decode()
    response = client.post(reverse("privacy:close_account"), {"confirm": "on"})
    assert response.status_code == 302
    placeholder = User.objects.get(pk=person.pk)
    assert placeholder.full_name == f"Removed person {person.pk}" and not placeholder.is_active
    assert not response.wsgi_request.user.is_authenticated
    record = Erasure.objects.get(person=placeholder)
    assert record.erased_by == placeholder
    group.refresh_from_db()
    assert group.contact_email == f"removed-{person.pk}@removed.invalid"


def test_the_only_member_of_a_group_with_an_application_in_progress_cannot_close_their_account(client):
    person = UserFactory()
    group = OrganisationFactory(members=[person])
    submitted_application(organisation=group, member=person)
    client.force_login(person)
    _reauthenticate(client)
    page = client.get(reverse("privacy:close_account")).content.decode()
    assert f"You are the only member of {group.name}" in page
    assert client.post(reverse("privacy:close_account"), {"confirm": "on"}).status_code == 200
    assert User.objects.get(pk=person.pk).is_active


def test_staff_close_their_accounts_through_the_administrators(client):
    officer = staff(FundRole.Role.OFFICER, fund_with_tiers())
    client.force_login(officer)
    _reauthenticate(client)
    assert reverse("privacy:close_account") not in client.get(reverse("privacy:your_data")).content.decode()
    page = client.get(reverse("privacy:close_account")).content.decode()
    assert "Staff accounts are closed by the portal" in page
    client.post(reverse("privacy:close_account"), {"confirm": "on"})
    assert User.objects.get(pk=officer.pk).is_active


def test_closing_an_account_needs_signing_in(client):
    response = client.get(reverse("privacy:close_account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_closing_an_account_asks_for_the_password_again(client):
    person = UserFactory()
    client.force_login(person)
    response = client.get(reverse("privacy:close_account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    _reauthenticate(client)
    assert client.get(reverse("privacy:close_account")).status_code == 200


# --- Found in review: whose words are whose ---------------------------------------------------------


def _declare_and_submit(application, person, name):
    from applications.services.applying import declare

    declare(application=application, name=name, by=person)
    submit_application(application=application, by=person, base_url="http://testserver")


def test_erasing_one_member_leaves_the_declaration_another_member_signed(client):
    from assessment import services as assessment

    alice = UserFactory(full_name="Alice Archer")
    bob = UserFactory(full_name="Bob Brown")
    group = OrganisationFactory(members=[alice, bob])
    application = ready_to_submit(ApplicationFactory(organisation=group, created_by=alice))
    _declare_and_submit(application, alice, "Alice Archer")
    officer = staff(FundRole.Role.OFFICER, application.round.fund)
    assessment.send_back_for_information(
        application=application, questions="Your budget?", by=officer, base_url="http://testserver"
    )
    _declare_and_submit(application, bob, "Bob Brown")

    erase(person=alice, by=officer, reference="DP-1")
    application.refresh_from_db()
    assert application.declaration_name == "Bob Brown"
    assert application.history.filter(declaration_name="Bob Brown").exists()
    first, second = application.versions.order_by("number")
    declared = [
        next(
            row["answer"]
            for section in v.answers
            for row in section["rows"]
            if row["question"] == "Declared by"
        )
        for v in (first, second)
    ]
    assert declared == [f"Removed person {alice.pk}", "Bob Brown"]


def test_erasing_an_officer_leaves_what_the_group_wrote_about_them(client, administrator):
    from assessment import services as assessment

    application = submitted_application()
    Application.objects.filter(pk=application.pk).update(summary="Olive Oyl from the council visited us.")
    officer = staff(FundRole.Role.OFFICER, application.round.fund, full_name="Olive Oyl")
    client.force_login(officer)
    assessment.mark_eligible(application=application, by=officer)
    client.force_login(administrator)
    response = client.post(confirm_url(officer), {"reference": "DP-2", "confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.summary == "Olive Oyl from the council visited us."
    assert application.history.filter(summary="Olive Oyl from the council visited us.").exists()
    assert User.objects.get(pk=officer.pk).full_name == f"Removed person {officer.pk}"


def test_someone_with_records_as_staff_is_for_the_administrators_once_their_role_is_gone(client):
    from mentoring.services import add_note

    mine, theirs = fund_with_tiers(), fund_with_tiers(decided_by_officer=True)
    officer = staff(FundRole.Role.OFFICER, mine)
    mo = UserFactory(full_name="Mo Mentor")
    submitted_application(member=mo, round=RoundFactory(fund=mine))
    elsewhere = awarded_investment(round=RoundFactory(fund=theirs))
    FundRole.objects.create(user=mo, fund=theirs, role=FundRole.Role.MENTOR)
    add_note(
        investment=elsewhere,
        by=staff(FundRole.Role.OFFICER, theirs),
        kind="note",
        met_on=timezone.localdate(),
        text="Mo Mentor will visit.",
        visibility="private",
    )
    from mentoring.models import Note

    Note.objects.update(author=mo)
    FundRole.objects.filter(user=mo).delete()
    assert not _can_reach(client, officer, mo)
    assert Note.objects.get().text == "Mo Mentor will visit."


def test_the_contact_of_a_group_in_another_fund_is_for_the_administrators(client):
    mine, theirs = fund_with_tiers(), fund_with_tiers()
    officer = staff(FundRole.Role.OFFICER, mine)
    jo = UserFactory(email="jo@example.org")
    submitted_application(member=jo, round=RoundFactory(fund=mine))
    other = OrganisationFactory(contact_email="jo@example.org", contact_name="Jo")
    submitted_application(organisation=other, round=RoundFactory(fund=theirs))
    assert not _can_reach(client, officer, jo)
    other.refresh_from_db()
    assert other.contact_email == "jo@example.org"


def test_a_contact_address_written_with_capitals_is_erased_too():
    jo = UserFactory(email="jo@example.org", full_name="Jo Bloggs")
    group = OrganisationFactory(members=[jo], contact_email="Jo@Example.org", contact_name="Jo Bloggs")
    submitted_application(organisation=group, member=jo)
    officer = staff(FundRole.Role.OFFICER, group.applications.get().round.fund)
    erase(person=jo, by=officer, reference="DP-3")
    group.refresh_from_db()
    assert (group.contact_name, group.contact_email) == (
        f"Removed person {jo.pk}",
        f"removed-{jo.pk}@removed.invalid",
    )


def test_an_address_added_but_never_confirmed_identifies_nobody(client):
    from allauth.account.models import EmailAddress

    fund = fund_with_tiers()
    officer = staff(FundRole.Role.OFFICER, fund)
    hannah = UserFactory(email="hub@example.org", full_name="Hannah Hub")
    hub = OrganisationFactory(members=[hannah], contact_email="hub@example.org", contact_name="Hannah Hub")
    submitted_application(organisation=hub, member=hannah, round=RoundFactory(fund=fund))
    alex = UserFactory(full_name="Alex Applicant")
    submitted_application(member=alex, round=RoundFactory(fund=fund))
    EmailAddress.objects.create(user=alex, email="hub@example.org", verified=False)

    client.force_login(officer)
    found = client.get(reverse("privacy:erasure_find"), {"email": "hub@example.org"})
    assert found["Location"] == confirm_url(hannah)
    erase(person=alex, by=officer, reference="DP-4")
    hub.refresh_from_db()
    assert (hub.contact_name, hub.contact_email) == ("Hannah Hub", "hub@example.org")
    assert EmailAddress.objects.get(user=hannah).email == "hub@example.org"


def test_a_one_word_name_stays_where_it_names_a_place(tasks):
    fund = fund_with_tiers()
    leigh_place = fund.places.create(name="Leigh")
    person = UserFactory(full_name="Leigh", email="leigh@people.example.org")
    group = OrganisationFactory(
        name="Leigh Bowls Club",
        members=[person],
        contact_name="Leigh",
        contact_email=person.email,
        town="Leigh",
    )
    application = ready_to_submit(ApplicationFactory(round=RoundFactory(fund=fund), organisation=group))
    application.places.add(leigh_place)
    application.summary = "Bowls for everyone in\nLeigh\nEveryone welcome."
    application.save()
    _declare_and_submit(application, person, "Leigh")
    erase(person=person, by=staff(FundRole.Role.OFFICER, fund), reference="DP-5")

    version = application.versions.get()
    answers = {row["question"]: row["answer"] for section in version.answers for row in section["rows"]}
    assert answers["Declared by"] == f"Removed person {person.pk}"
    assert answers["Contact"].startswith(f"Removed person {person.pk}")
    assert "Leigh" in answers["Address"] and "Leigh" in answers["Where"]
    application.refresh_from_db()
    assert application.summary == "Bowls for everyone in\nLeigh\nEveryone welcome."
    group.refresh_from_db()
    assert (group.name, group.town) == ("Leigh Bowls Club", "Leigh")


def test_the_groups_emails_skip_an_erased_persons_placeholder():
    from organisations.notify import group_recipients

    person = UserFactory(email="only@example.org")
    group = OrganisationFactory(members=[person], contact_email=person.email)
    application = submitted_application(organisation=group, member=person)
    erase(person=person, by=staff(FundRole.Role.OFFICER, application.round.fund), reference="DP-6")
    group.refresh_from_db()
    assert group_recipients(group) == []
