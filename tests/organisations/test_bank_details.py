"""A group's bank details: given by its owners, checked for their shape, encrypted at rest, shown
masked, every member told of a change, and every payment held until finance checks them by a
second channel."""

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from fund.models import FundRole
from investments.services.payments import record_payment, verify_bank_details
from kit.errors import RuleError
from organisations.models import BankDetails
from organisations.services import bank_details_of
from privacy.personal_data import export
from tests.factories import (
    BankDetailsFactory,
    OrganisationFactory,
    UserFactory,
    awarded_investment,
    staff,
)

pytestmark = pytest.mark.django_db

GOOD = {"account_name": "Leigh Knit and Natter", "sort_code": "30-90-89", "account_number": "00733445"}


@pytest.fixture
def owner(client):
    person = UserFactory(full_name="Sam Hughes")
    client.force_login(person)
    return person


@pytest.fixture
def group(owner):
    return OrganisationFactory(members=[owner, UserFactory(email="treasurer@knit.example.org")])


def _url(group):
    return reverse("organisations:bank_details", args=[group.pk])


def test_an_owner_gives_bank_details_kept_encrypted_and_shown_masked(
    client, owner, group, django_capture_on_commit_callbacks, tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(group), GOOD)
    assert response.status_code == 302
    details = bank_details_of(group)
    assert (details.sort_code, details.account_number) == ("309089", "00733445")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sort_code, account_number, account_name FROM organisations_bankdetails")
        stored = cursor.fetchone()
    assert "309089" not in stored[0] and "00733445" not in stored[1] and "Knit" not in stored[2]

    page = client.get(reverse("applications:organisation_detail", args=[group.pk])).content.decode()
    assert "**-**-89" in page and "****3445" in page and "00733445" not in page
    assert "Not checked by the fund yet" in page
    tasks()
    told = [message for message in mail.outbox if "bank details" in message.subject]
    assert told and "treasurer@knit.example.org" in told[-1].to and owner.email in told[-1].to
    assert "****3445" in told[-1].body and "00733445" not in told[-1].body and "309089" not in told[-1].body


def test_a_six_or_seven_digit_account_number_is_written_with_leading_zeros(client, owner, group):
    client.post(_url(group), {**GOOD, "account_number": "733445"})
    assert bank_details_of(group).account_number == "00733445"


BAD = [
    ({"sort_code": ""}, "sort_code", "Enter the sort code"),
    ({"sort_code": "30-90-8"}, "sort_code", "A sort code has 6 numbers: this has 5"),
    ({"sort_code": "30909899"}, "sort_code", "A sort code has 6 numbers: this has 8"),
    ({"sort_code": "30-9O-89"}, "sort_code", "A sort code has only numbers"),
    ({"sort_code": "ab-cd-ef"}, "sort_code", "A sort code has only numbers"),
    ({"sort_code": "3" * 25}, "sort_code", "A sort code has 6 numbers"),
    ({"sort_code": "30\x0090\x0089"}, "sort_code", "hidden character"),
    ({"account_number": ""}, "account_number", "Enter the account number"),
    ({"account_number": "12345"}, "account_number", "this has 5"),
    ({"account_number": "123456789"}, "account_number", "An account number has 8 numbers: this has 9"),
    ({"account_number": "0073344S"}, "account_number", "An account number has only numbers"),
    ({"account_number": "00.73.34.45"}, "account_number", "An account number has only numbers"),
    ({"account_number": "1" * 25}, "account_number", "An account number has 8 numbers"),
    ({"account_number": "0073\n3445"}, "account_number", "must be on one line"),
    ({"account_name": ""}, "account_name", "Enter the name on the account"),
    ({"account_name": "Two\nlines"}, "account_name", "must be on one line"),
    ({"account_name": "x" * 201}, "account_name", "200 characters or fewer"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_bad_bank_details_are_refused_clearly_and_what_was_typed_is_kept(
    client, owner, group, change, field, message
):
    response = client.post(_url(group), {**GOOD, **change})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    page = response.content.decode()
    for name, value in GOOD.items():
        if name not in change:
            assert f'value="{value}"' in page
    assert not BankDetails.objects.exists()


def test_only_owners_change_them_and_other_groups_find_nothing(client, group):
    member = group.memberships.get(role="member").user
    client.force_login(member)
    BankDetailsFactory(organisation=group)
    page = client.get(_url(group))
    assert page.status_code == 200 and "Only the group's owners" in page.content.decode()
    assert client.post(_url(group), GOOD).status_code == 403
    client.force_login(UserFactory())
    assert client.get(_url(group)).status_code == 404
    assert client.post(_url(group), GOOD).status_code == 404
    assert BankDetails.objects.count() == 1


def test_a_change_holds_every_payment_until_finance_checks_it(client):
    member = UserFactory()
    investment = awarded_investment(member=member)
    group = investment.application.organisation
    fund = investment.round.fund
    finance = staff(FundRole.Role.FINANCE, fund)
    details = BankDetailsFactory(organisation=group, given_by=member)
    payment = investment.payments.order_by("number").first()
    with pytest.raises(RuleError, match="bank details changed and must be checked"):
        record_payment(
            payment=payment, by=finance, paid_on=date.today(), amount=payment.amount, reference="BACS 1"
        )

    client.force_login(finance)
    payments_page = client.get(
        reverse("investments:investment_payments", args=[investment.pk])
    ).content.decode()
    assert "Not checked" in payments_page and "****3445" in payments_page and "00733445" not in payments_page
    check = reverse("investments:bank_details_check", args=[investment.pk])
    page = client.get(check).content.decode()
    assert "00733445" in page and "30-90-89" in page  # finance alone sees them in full, to check them
    refused = client.post(check, {"how": ""})
    assert "Enter how you checked the bank details" in refused.content.decode()
    client.post(check, {"how": "Phoned the treasurer on the number in our records", "confirm": "on"})
    details.refresh_from_db()
    assert details.verified_by == finance and details.verified_how.startswith("Phoned")
    record_payment(
        payment=payment, by=finance, paid_on=date.today(), amount=payment.amount, reference="BACS 1"
    )

    # A later change holds the next payment again.
    BankDetailsFactory(organisation=group, account_number="11112222")
    later = investment.payments.order_by("number")[1]
    with pytest.raises(RuleError, match="bank details changed"):
        record_payment(
            payment=later, by=finance, paid_on=date.today(), amount=later.amount, reference="BACS 2"
        )


def test_nobody_checks_their_own_groups_details_and_other_roles_see_no_number(client):
    member = UserFactory()
    investment = awarded_investment(member=member)
    group = investment.application.organisation
    fund = investment.round.fund
    details = BankDetailsFactory(organisation=group)
    finance_in_group = staff(FundRole.Role.FINANCE, fund)
    group.memberships.create(user=finance_in_group)
    with pytest.raises(RuleError, match="another finance officer"):
        verify_bank_details(details=details, by=finance_in_group, how="I know them")
    check = reverse("investments:bank_details_check", args=[investment.pk])
    for person in (staff(FundRole.Role.OFFICER, fund), staff(FundRole.Role.MENTOR, fund), member):
        client.force_login(person)
        assert client.get(check).status_code in (403, 404)
    client.force_login(staff(FundRole.Role.FINANCE, awarded_investment().round.fund))
    assert client.get(check).status_code == 404
    client.force_login(staff(FundRole.Role.OFFICER, fund))
    page = client.get(
        reverse("assessment:staff_application", args=[investment.application.pk])
    ).content.decode()
    assert "00733445" not in page


def test_the_groups_own_export_shows_them_masked_and_the_audit_trail_never_holds_them(group, owner):
    BankDetailsFactory(organisation=group, given_by=owner)
    exported = str(export(owner))
    assert "****3445" in exported and "00733445" not in exported and "309089" not in exported
    assert not hasattr(BankDetails, "history")


def test_finance_is_told_which_groups_bank_details_to_check(client):
    investment = awarded_investment()
    fund = investment.round.fund
    finance = staff(FundRole.Role.FINANCE, fund)
    BankDetailsFactory(organisation=investment.application.organisation)
    client.force_login(finance)
    home = client.get(reverse("work:home")).content.decode()
    assert f"1 group&#x27;s new bank details to check in {fund.name}" in home
    runs = client.get(reverse("investments:payment_runs", args=[fund.slug])).content.decode()
    assert reverse("investments:bank_details_check", args=[investment.pk]) in runs
