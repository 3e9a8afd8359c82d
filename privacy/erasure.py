"""Erasing a person: their personal data goes, the council's records stay.

The person's account row stays as a placeholder ("Removed person 17", an address under
``.invalid`` that can never receive mail), so every decision, score, payment and note they were
part of still points somewhere and every total still adds up. Their sign-in (password, e-mail
addresses, authenticators, sessions), group memberships, fund roles, invitations and mentor
profile are deleted. Then every text column of every table, the audit trail's copies and the
task queue included, is searched for their name, e-mail addresses and phone numbers, and each
occurrence is replaced by the placeholder's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from applications.models import Application, Invitation, Organisation
from fund.models import Fund
from privacy.models import Erasure
from privacy.personal_data import email_addresses

PLACEHOLDER_DOMAIN = "removed.invalid"
# Shorter names than this are too likely to be part of ordinary words to replace in free text.
SHORTEST_NAME = 3
SHORTEST_PHONE = 6


class ErasureError(Exception):
    """The erasure cannot be done; the message says why."""


@dataclass(frozen=True)
class Placeholder:
    name: str
    email: str


def placeholder_for(person: User) -> Placeholder:
    return Placeholder(name=f"Removed person {person.pk}", email=f"removed-{person.pk}@{PLACEHOLDER_DOMAIN}")


def is_erased(person: User) -> bool:
    return person.email.endswith("@" + PLACEHOLDER_DOMAIN)


def connected_funds(person: User) -> models.QuerySet[Fund]:
    """The funds holding data about ``person``: roles, their groups' or their own applications."""
    applications = Application.objects.filter(
        Q(organisation__memberships__user=person) | Q(created_by=person) | Q(versions__submitted_by=person)
    )
    return Fund.objects.filter(Q(roles__user=person) | Q(rounds__applications__in=applications)).distinct()


def can_erase(officer: User, person: User) -> bool:
    """An officer may erase someone with data in one of their funds, or in no fund at all."""
    if person.pk == officer.pk or person.is_staff or person.is_superuser or is_erased(person):
        return False
    connected = connected_funds(person)
    return not connected.exists() or connected.filter(pk__in=Fund.objects.managed_by(officer)).exists()


def identifiers(person: User) -> dict[str, set[str]]:
    """What identifies the person in free text: names, e-mail addresses and phone numbers."""
    emails = email_addresses(person)
    contacts = Organisation.objects.filter(contact_email__in=emails)
    names = {person.full_name.strip()}
    names |= set(contacts.values_list("contact_name", flat=True))
    # The name they signed applications with, which may differ from their profile's.
    names |= set(
        Application.objects.filter(Q(versions__submitted_by=person) | Q(created_by=person, submitted_at=None))
        .exclude(declaration_name="")
        .values_list("declaration_name", flat=True)
    )
    phones = set(contacts.values_list("contact_phone", flat=True))
    profile = getattr(person, "mentor_profile", None)
    if profile is not None:
        phones.add(profile.phone)
    return {
        "names": {name.strip() for name in names if len(name.strip()) >= SHORTEST_NAME},
        "emails": emails,
        "phones": {phone.strip() for phone in phones if len(phone.strip()) >= SHORTEST_PHONE},
    }


def _pattern(values: set[str]) -> re.Pattern | None:
    if not values:
        return None
    alternatives = "|".join(re.escape(value) for value in sorted(values, key=len, reverse=True))
    # Whole words and whole addresses only: "jo@example.org" is not inside "bojo@example.org" or
    # "jo@example.org.uk", and "Jo Bloggs" is not inside "Mary-Jo Bloggs".
    return re.compile(rf"(?<![\w@.+-])(?:{alternatives})(?![\w@-]|\.\w)", re.IGNORECASE)


class Scrubber:
    """Replaces a person's identifiers in text, and in strings anywhere inside JSON."""

    def __init__(self, found: dict[str, set[str]], placeholder: Placeholder):
        self.searches = [value for values in found.values() for value in values]
        self.replacements = [
            (pattern, replacement)
            for pattern, replacement in (
                (_pattern(found["emails"]), placeholder.email),
                (_pattern(found["names"]), placeholder.name),
                (_pattern(found["phones"]), ""),
            )
            if pattern is not None
        ]

    def text(self, value: str) -> str:
        for pattern, replacement in self.replacements:
            value = pattern.sub(replacement, value)
        return value

    def json(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.json(item) for key, item in value.items()}
        return value

    def query(self, field: models.Field) -> Q:
        """Rows whose ``field`` may hold an identifier (the replacement decides for certain)."""
        condition = Q()
        for value in self.searches:
            condition |= Q(**{f"{field.name}__icontains": value})
            if isinstance(field, models.JSONField):
                # JSON may keep non-ASCII letters escaped, as "\u00eb".
                escaped = json.dumps(value)[1:-1]
                if escaped != value:
                    condition |= Q(**{f"{field.name}__icontains": escaped})
        return condition


# Columns holding other people's identity, which are changed only where they are the person's.
OWN_ROWS_ONLY = {
    (User, "full_name"),
    (User, "email"),
    (Organisation, "contact_name"),
    (Organisation, "contact_email"),
    (Organisation, "contact_phone"),
}
NEVER = {(User, "password")}


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
        and not field.is_relation
        and not field.choices
        and not field.primary_key
        and (model, field.name) not in OWN_ROWS_ONLY | NEVER
    ]


def scrub_everywhere(scrubber: Scrubber) -> int:
    """Replace the identifiers in every text column of every table; return how many rows changed."""
    changed = 0
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in _text_fields(model):
            rows = model._base_manager.filter(scrubber.query(field)).values_list("pk", field.attname)
            for pk, value in rows:
                if value is None:
                    continue
                cleaned = (
                    scrubber.json(value) if isinstance(field, models.JSONField) else scrubber.text(value)
                )
                if cleaned != value:
                    # A plain update: no new audit copy holding the old value, no "modified" stamp.
                    model._base_manager.filter(pk=pk).update(**{field.attname: cleaned})
                    changed += 1
    return changed


def _delete_sessions(person: User) -> int:
    deleted = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(person.pk):
            session.delete()
            deleted += 1
    return deleted


def what_happens(person: User) -> dict:
    """What erasure would remove and keep, for the officer to read before confirming."""
    memberships = list(
        person.memberships.select_related("organisation").annotate(members=Count("organisation__memberships"))
    )
    return {
        "memberships": memberships,
        "sole_member_of": [membership.organisation for membership in memberships if membership.members == 1],
        "fund_roles": list(person.fund_roles.select_related("fund")),
        "contact_for": list(Organisation.objects.filter(contact_email__in=email_addresses(person))),
        "funds": list(connected_funds(person)),
    }


@transaction.atomic
def erase(person: User, *, by: User, reference: str) -> Erasure:
    """Erase ``person`` as ``by`` (an officer) for the request ``reference``."""
    person = User.objects.select_for_update().get(pk=person.pk)
    if not can_erase(by, person):
        raise ErasureError("You cannot erase this person's data. Ask the council's data protection officer.")
    placeholder = placeholder_for(person)
    found = identifiers(person)
    emails = found["emails"]

    summary = {
        "group_memberships": person.memberships.count(),
        "fund_roles": person.fund_roles.count(),
        "email_addresses": EmailAddress.objects.filter(user=person).count(),
        "authenticators": Authenticator.objects.filter(user=person).count(),
        "invitations": Invitation.objects.filter(email__in=emails).count(),
    }
    person.memberships.all().delete()
    person.fund_roles.all().delete()
    EmailAddress.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    Invitation.objects.filter(email__in=emails).delete()
    summary["mentor_profile"] = int(hasattr(person, "mentor_profile"))
    if summary["mentor_profile"]:
        person.mentor_profile.delete()
    summary["sessions"] = _delete_sessions(person)

    # The groups they were the contact for keep a placeholder until the group names another.
    summary["group_contacts"] = Organisation.objects.filter(contact_email__in=emails).update(
        contact_name=placeholder.name, contact_email=placeholder.email, contact_phone=""
    )
    person.full_name = placeholder.name
    person.email = placeholder.email
    person.set_unusable_password()
    person.is_active = False
    person.last_login = None
    person.save()

    scrubber = Scrubber(found, placeholder)
    summary["text_replaced"] = scrub_everywhere(scrubber)
    return Erasure.objects.create(
        person=person, reference=scrubber.text(reference.strip()), erased_by=by, summary=summary
    )
