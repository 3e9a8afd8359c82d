"""Groups and their members."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tasks import send_email
from fund.models import Place
from kit.errors import RuleError
from organisations.bank import account_number_problems, sort_code_problems
from organisations.models import BankDetails, Invitation, Membership, Organisation
from organisations.notify import email_members
from organisations.permissions import can_accept_invitation, can_manage_organisation

ORGANISATION_FIELDS = (
    "name",
    "legal_form",
    "legal_form_other",
    "charity_number",
    "company_number",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "contact_name",
    "contact_email",
    "contact_phone",
)


@transaction.atomic
def create_organisation(*, by: User, places: list[Place], **details: str) -> Organisation:
    """A new group, with the person who made it as its owner."""
    organisation = Organisation(**{field: details.get(field, "") for field in ORGANISATION_FIELDS})
    organisation.full_clean()
    organisation.save()
    organisation.places.set(places)
    Membership.objects.create(organisation=organisation, user=by, role=Membership.Role.OWNER)
    return organisation


@transaction.atomic
def update_organisation(
    *, organisation: Organisation, by: User, places: list[Place], **details: str
) -> Organisation:
    if not (permission := can_manage_organisation(by, organisation)):
        raise RuleError(permission.reason)
    for field in ORGANISATION_FIELDS:
        setattr(organisation, field, details.get(field, ""))
    organisation.full_clean()
    organisation.save()
    organisation.places.set(places)
    return organisation


@transaction.atomic
def invite_member(
    *, organisation: Organisation, email: str, role: str, by: User, base_url: str
) -> Invitation:
    """Email an invitation to join the group. Accepting needs an account with that address."""
    if not (permission := can_manage_organisation(by, organisation)):
        raise RuleError(permission.reason)
    email = email.strip().lower()
    if organisation.memberships.filter(user__email=email).exists():
        raise RuleError({"email": f"{email} is already a member of {organisation.name}"})
    invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=by)
    link = base_url + reverse("organisations:invitation_accept", args=[invitation.token])
    body = render_to_string(
        "organisations/email/invitation.txt",
        {"invitation": invitation, "link": link, "inviter": by, "service_name": settings.SERVICE_NAME},
    )
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=f"Join {organisation.name} on the {settings.SERVICE_NAME}", body=body, to=[email]
        )
    )
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.accepted_at:
        # Pressing the button twice is not an error for the person who joined.
        membership = invitation.organisation.memberships.filter(user=user).first()
        if membership:
            return membership
    if not (permission := can_accept_invitation(user, invitation)):
        raise RuleError(permission.reason)
    membership, _ = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


# --- Bank details ----------------------------------------------------------------------------------


def bank_details_of(organisation: Organisation) -> BankDetails | None:
    """The account the group is paid into now: the latest it gave."""
    return organisation.bank_details.newest_first().first()


@transaction.atomic
def give_bank_details(
    *, organisation: Organisation, by: User, account_name: str, sort_code: str, account_number: str
) -> BankDetails:
    """Keep the account the group is to be paid into. Every payment to the group waits until
    finance has checked it; every member is told by e-mail, so a change nobody in the group made
    is noticed at once. The e-mail and the fund team see it masked."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not (permission := can_manage_organisation(by, organisation)):
        raise RuleError(permission.reason)
    problems: dict[str, list[str]] = {}
    sort_code, problems["sort_code"] = sort_code_problems(sort_code)
    account_number, problems["account_number"] = account_number_problems(account_number)
    if not account_name.strip():
        problems["account_name"] = ["Enter the name on the account, as the bank writes it"]
    if refused := {field: messages for field, messages in problems.items() if messages}:
        raise RuleError(refused)
    earlier = bank_details_of(organisation)
    details = BankDetails.objects.create(
        organisation=organisation,
        account_name=account_name.strip(),
        sort_code=sort_code,
        account_number=account_number,
        given_by=by,
    )
    email_members(
        organisation,
        subject=f"{organisation.name}'s bank details {'changed' if earlier else 'given'}",
        template="organisations/email/bank_details_changed.txt",
        context={
            "organisation": organisation,
            "details": details,
            "earlier": earlier,
            "by": by,
            "service_name": settings.SERVICE_NAME,
            "support_email": settings.SUPPORT_EMAIL,
        },
    )
    return details
