"""Erasing a person: their personal data goes, the council's records stay.

The person's account row stays as a placeholder ("Removed person 17", an address under
``.invalid`` that can never receive mail), so every decision, score, payment and note they were
part of still points somewhere and every total still adds up. Their sign-in (password, e-mail
addresses, authenticators, sessions), group memberships, fund roles, invitations and mentor
profile are deleted.

Erasure changes only what belongs to the person (``linked_rows``): rows that point at them
(what they wrote, started, submitted or changed), the parts of what they wrote, the audit trail's
copies of those rows, the e-mails queued to them, and the contact fields of groups they are the
contact for. In those rows the name they gave is replaced only where it stands whole: a whole
value or line (their name on a declaration, in a contact), or, for a name of two words or more,
the name as a phrase. A person's name is never searched for across the database: someone called
"Wigan" must not rename the borough. Their e-mail addresses and phone numbers are exact, so they
are replaced wherever they occur.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from encrypted_fields.fields import EncryptedFieldMixin

from accounts.models import REMOVED_DOMAIN, User
from applications.models import (
    Answer,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    BudgetLine,
    Document,
    Goal,
    MatchFunding,
    Partner,
)
from assessment.models import Review, Score
from assessment.panel_summary import panel_changed
from audit import exports as audit_exports
from audit.models import AuditExport
from conversations.models import Message, Reading
from fund.models import Fund, FundRole
from fund.permissions import has_fund_role, is_administrator
from investments.models import AwardCondition, GoalChange, GoalProgress, Offer, ProgressUpdate
from kit.permissions import ALLOWED, Permission
from notifications.models import Notification, Preference
from organisations.models import Invitation, Membership, Organisation
from privacy.models import Erasure
from privacy.personal_data import contacts_of, email_addresses
from privacy.retention import GROUP_EVENTS
from reporting.cache import figures_changed
from team.models import TeamInvitation

PLACEHOLDER_DOMAIN = REMOVED_DOMAIN
# Shorter names than this are too likely to be part of ordinary words to replace in free text.
SHORTEST_NAME = 3
SHORTEST_PHONE = 6
CLOSED_BY_THEMSELVES = "Account closed by its holder"

# The parts of what a person wrote, which hold their words too: (part, its link to the whole).
PARTS: dict[type[models.Model], list[tuple[type[models.Model], str]]] = {
    Application: [
        (Goal, "application"),
        (BudgetLine, "application"),
        (MatchFunding, "application"),
        (Partner, "application"),
        (Document, "application"),
        (Answer, "application"),
    ],
    ProgressUpdate: [(GoalProgress, "update")],
    Review: [(Score, "review")],
}
# Deleted outright, so never scrubbed.
DELETED = {
    Membership,
    FundRole,
    EmailAddress,
    Authenticator,
    Session,
    Invitation,
    Reading,
    Notification,
    Preference,
}


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


# --- Who may erase whom ----------------------------------------------------------------------------


def groups_of(person: User) -> models.QuerySet[Organisation]:
    """The groups holding data about ``person``: theirs, those they are the contact for, and those
    they invited people to."""
    return Organisation.objects.filter(
        Q(memberships__user=person)
        | Q(pk__in=contacts_of(email_addresses(person)).values("pk"))
        | Q(invitations__invited_by=person)
    ).distinct()


def connected_funds(person: User) -> models.QuerySet[Fund]:
    """The funds holding data about ``person``: their roles; the applications of their groups
    (``groups_of``), and those they started, signed, sent, uploaded to or wrote messages on; the
    investments they reported on."""
    applications = Application.objects.filter(
        Q(organisation__in=groups_of(person))
        | Q(created_by=person)
        | Q(declared_by=person)
        | Q(versions__submitted_by=person)
        | Q(versions__declared_by=person)
        | Q(documents__uploaded_by=person)
        | Q(investment__updates__submitted_by=person)
        | Q(messages__author=person)
        | Q(investment__award_conditions__evidence_sent_by=person)
        | Q(investment__goal_changes__proposed_by=person)
        | Q(investment__offer__responded_by=person)
    )
    return Fund.objects.filter(Q(roles__user=person) | Q(rounds__applications__in=applications)).distinct()


# What a group member's own actions leave pointing at them; any other link is a record kept as staff.
GROUP_SIDE = {
    (Application, "created_by"),
    (Application, "declared_by"),
    (ApplicationVersion, "submitted_by"),
    (ApplicationVersion, "declared_by"),
    (Document, "uploaded_by"),
    (ProgressUpdate, "submitted_by"),
    (Invitation, "invited_by"),
    (AwardCondition, "evidence_sent_by"),
    (GoalChange, "proposed_by"),
    (Offer, "responded_by"),
}


def staff_records(person: User) -> list[str]:
    """What ``person`` did as staff (reviews, decisions, notes, payments...), by kind: such a person
    is for the administrators to erase, even once their roles are gone."""
    found = []
    for model in apps.get_models():
        if model in DELETED or model is User or hasattr(model, "instance_type") or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not (field.is_relation and field.related_model is User) or (model, field.name) in GROUP_SIDE:
                continue
            rows = model._base_manager.filter(**{field.name: person})
            if model is ApplicationEvent and field.name == "actor":
                rows = rows.exclude(kind__in=GROUP_EVENTS)
            if model is Message:  # a group member's own messages are the group's side
                rows = rows.filter(from_team=True)
            if rows.exists():
                found.append(str(model._meta.verbose_name_plural))
                break
    return found


def can_handle_erasures(user: User) -> Permission:
    """Fund officers handle requests from their funds' groups; administrators handle the rest."""
    if is_administrator(user) or has_fund_role(user, FundRole.Role.OFFICER):
        return ALLOWED
    return Permission(False, "Erasure requests are handled by fund officers and the portal's administrators.")


def can_erase(by: User, person: User) -> Permission:
    """An officer may erase a group member whose data is held only in funds the officer manages.
    Anyone holding a staff role, with data in another fund or in no fund at all, is for the portal's
    administrators, who may erase anyone but another administrator."""
    if is_erased(person):
        return Permission(False, "This person's data has already been erased.")
    if person.pk == by.pk:
        return Permission(False, "You cannot erase your own account here.")
    if is_administrator(person):
        return Permission(False, "This is an administrator's account: remove their admin access first.")
    if is_administrator(by):
        return ALLOWED
    administrators = "The portal's administrators handle this request."
    held = FundRole.history.filter(user=person).exists()
    if person.fund_roles.exists() or held or staff_records(person):
        return Permission(False, f"They hold, or held, a staff role in a fund. {administrators}")
    funds = set(connected_funds(person).values_list("pk", flat=True))
    if not funds:
        return Permission(False, f"None of their data is held in a fund. {administrators}")
    if not funds <= set(Fund.objects.managed_by(by).values_list("pk", flat=True)):
        return Permission(False, f"Some of their data is held in funds you do not manage. {administrators}")
    if groups_of(person).filter(applications__isnull=True).exists():
        return Permission(False, f"They belong to a group that has applied to no fund. {administrators}")
    return ALLOWED


def only_member_of(person: User) -> models.QuerySet[Organisation]:
    """The groups nobody but ``person`` belongs to."""
    others = Membership.objects.filter(organisation=OuterRef("pk")).exclude(user=person)
    return Organisation.objects.filter(memberships__user=person).exclude(Exists(others))


def close_account_problems(person: User) -> list[str]:
    """Why a group member cannot close their own account (an empty list when they can)."""
    if is_administrator(person) or person.fund_roles.exists() or staff_records(person):
        return ["Staff accounts are closed by the portal's administrators. Ask them."]
    alone = (
        only_member_of(person)
        .filter(
            Q(applications__status__in=Application.UNDECIDED, applications__submitted_at__isnull=False)
            | Q(applications__investment__closed_at__isnull=True, applications__status="awarded")
        )
        .distinct()
    )
    return [
        f"You are the only member of {organisation.name}, which has an application or investment "
        "in progress. Invite someone to the group first, so the fund can still reach it."
        for organisation in alone
    ]


# --- What erasure touches --------------------------------------------------------------------------


def _user_links(model: type[models.Model]) -> list[str]:
    """The model's columns that say a person wrote, started, signed or recorded the row. An audit
    copy's "who" (``history_user``) is not one: it names who saved a change, often to someone
    else's words, and simply points at the placeholder afterwards."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User and field.name != "history_user"
    ]


def _history_of(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def linked_rows(person: User, emails: Iterable[str]) -> dict[type[models.Model], set]:
    """Every row that belongs to ``person``, by model: rows pointing at them, the parts of those,
    and the audit trail's copies of them; the e-mails queued to them."""
    linked: dict[type[models.Model], set] = defaultdict(set)
    for model in apps.get_models():
        if model in DELETED or model is User or model._meta.proxy or not model._meta.managed:
            continue
        links = _user_links(model)
        if not links:
            continue
        condition = Q()
        for attname in links:
            condition |= Q(**{attname: person.pk})
        pks = set(model._base_manager.filter(condition).values_list("pk", flat=True))
        original = getattr(model, "instance_type", None)
        if original is not None:
            # An audit copy naming them as its author makes the object theirs (retention may since
            # have unlinked the object itself).
            linked[original] |= set(model._base_manager.filter(pk__in=pks).values_list("id", flat=True))
        else:
            linked[model] |= pks
    for whole, parts in PARTS.items():
        for part, link in parts:
            linked[part] |= set(
                part._base_manager.filter(**{f"{link}__in": linked[whole]}).values_list("pk", flat=True)
            )
    for model, pks in list(linked.items()):
        history = _history_of(model)
        if history is not None and pks:
            linked[history] |= set(history._base_manager.filter(id__in=pks).values_list("pk", flat=True))
    queued = Q()
    for email in emails:
        queued |= Q(args_kwargs__icontains=email)
    if queued:
        linked[DBTaskResult] |= set(DBTaskResult.objects.filter(queued).values_list("pk", flat=True))
    return {model: pks for model, pks in linked.items() if pks}


def identifiers(person: User) -> dict[str, set[str]]:
    """What identifies the person: the names they gave, their e-mail addresses and phone numbers."""
    emails = email_addresses(person)
    contacts = contacts_of(emails)
    names = {person.full_name}
    names |= set(contacts.values_list("contact_name", flat=True))
    # The names they signed declarations with, which may differ from their profile's: never the
    # name someone else in the group signed with later.
    names |= set(Application.objects.filter(declared_by=person).values_list("declaration_name", flat=True))
    names |= set(Offer.objects.filter(responded_by=person).values_list("signed_name", flat=True))
    signed = ApplicationVersion.objects.filter(
        Q(declared_by=person) | Q(declared_by__isnull=True, submitted_by=person)
    )
    names |= {
        row["answer"]
        for answers in signed.values_list("answers", flat=True)
        for section in answers
        for row in section.get("rows", [])
        if row.get("question") == "Declared by" and isinstance(row.get("answer"), str)
    }
    phones = set(contacts.values_list("contact_phone", flat=True))
    profile = getattr(person, "mentor_profile", None)
    if profile is not None:
        phones.add(profile.phone)
    return {
        "names": {" ".join(name.split()) for name in names if name.strip()},
        "emails": emails,
        "phones": {phone.strip() for phone in phones if len(phone.strip()) >= SHORTEST_PHONE},
    }


def _alternatives(values: Iterable[str]) -> str:
    return "|".join(re.escape(value) for value in sorted(values, key=len, reverse=True))


# Columns that hold nothing but a person's name, and the answers of a submitted copy that name one
# per line: only there may a name of one word be replaced, and only where it is the whole value.
NAME_COLUMNS = {"full_name", "contact_name", "declaration_name", "signed_name"}
NAME_ANSWERS = {"Contact", "Declared by"}


class Scrubber:
    """Replaces a person's identifiers in text, and in strings anywhere inside JSON.

    ``everywhere`` replaces only the exact identifiers (e-mail addresses, phone numbers), for
    columns of any row. Otherwise the names they gave are replaced too: in a column or answer that
    holds names (``NAME_COLUMNS``, ``NAME_ANSWERS``) where a whole value or line is the name; in any
    other text only a name of two words or more, as a phrase. A one-word name ("Leigh") is never
    replaced inside a sentence, an address or a list of places.
    """

    def __init__(self, found: dict[str, set[str]], placeholder: Placeholder, *, everywhere: bool):
        self.placeholder = placeholder
        self.searches = sorted(found["emails"] | found["phones"])
        self.exact: list[tuple[re.Pattern, str]] = []
        if found["emails"]:
            # Whole addresses only: "jo@example.org" is not inside "bojo@example.org" or
            # "jo@example.org.uk".
            self.exact.append(
                (
                    re.compile(rf"(?<![\w@.+-])(?:{_alternatives(found['emails'])})(?![\w@-]|\.\w)", re.I),
                    placeholder.email,
                )
            )
        if found["phones"]:
            self.exact.append((re.compile(rf"(?<![\w+])(?:{_alternatives(found['phones'])})(?!\w)"), ""))
        self.names = set() if everywhere else {name.casefold() for name in found["names"]}
        phrases = [name for name in found["names"] if len(name.split()) > 1 and len(name) >= SHORTEST_NAME]
        self.phrase = (
            re.compile(
                "(?<![\\w-])(?:"
                + "|".join(
                    r"\s+".join(re.escape(word) for word in name.split())
                    for name in sorted(phrases, key=len, reverse=True)
                )
                + ")(?![\\w-])",
                re.I,
            )
            if phrases and not everywhere
            else None
        )
        if not everywhere:
            self.searches = sorted({*self.searches, *found["names"]})

    def _line(self, line: str) -> str:
        body = line.rstrip("\r\n")
        if " ".join(body.split()).casefold() in self.names:
            # The whole line is their name: keep the indentation and the line's end.
            return body[: len(body) - len(body.lstrip())] + self.placeholder.name + line[len(body) :]
        return line

    def text(self, value: str, *, names: bool = False) -> str:
        """``names``: the value holds people's names, one a line (a name column or answer)."""
        if names and self.names:
            value = "".join(self._line(line) for line in value.splitlines(keepends=True))
        if self.phrase is not None:
            value = self.phrase.sub(self.placeholder.name, value)
        for pattern, replacement in self.exact:
            value = pattern.sub(replacement, value)
        return value

    def json(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            if value.get("question") in NAME_ANSWERS and isinstance(value.get("answer"), str):
                return {
                    **self.json({k: v for k, v in value.items() if k != "answer"}),
                    "answer": self.text(value["answer"], names=True),
                }
            return {key: self.json(item) for key, item in value.items()}
        return value

    def clean(self, field: models.Field, value):
        if isinstance(field, models.JSONField):
            return self.json(value)
        return self.text(value, names=field.name in NAME_COLUMNS)

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


# Columns that are set as a whole by ``erase``, never rewritten by the scrubbers.
SET_WHOLE = {
    (User, "full_name"),
    (User, "email"),
    (User, "password"),
    (Organisation, "contact_name"),
    (Organisation, "contact_email"),
    (Organisation, "contact_phone"),
}


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
        and not field.is_relation
        and not field.choices
        and not field.primary_key
        and (model, field.name) not in SET_WHOLE
        # Encrypted at rest (a group's bank details): no text search reaches inside, and none is tried.
        and not isinstance(field, EncryptedFieldMixin)
    ]


def _scrub(model: type[models.Model], rows: models.QuerySet, scrubber: Scrubber) -> int:
    changed = 0
    for field in _text_fields(model):
        if not (condition := scrubber.query(field)):
            continue
        for pk, value in rows.filter(condition).values_list("pk", field.attname):
            if value is None:
                continue
            cleaned = scrubber.clean(field, value)
            if cleaned != value:
                # A plain update: no new audit copy holding the old value, no "modified" stamp.
                model._base_manager.filter(pk=pk).update(**{field.attname: cleaned})
                changed += 1
    return changed


def scrub_linked(linked: dict[type[models.Model], set], scrubber: Scrubber) -> int:
    """Replace the person's names, e-mail addresses and phone numbers in the rows that are theirs."""
    return sum(
        _scrub(model, model._base_manager.filter(pk__in=pks), scrubber)
        for model, pks in linked.items()
        if model not in DELETED and model is not User
    )


def scrub_everywhere(scrubber: Scrubber) -> int:
    """Replace the person's e-mail addresses and phone numbers in every text column of every table."""
    return sum(
        _scrub(model, model._base_manager.all(), scrubber)
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    )


def _delete_sessions(person: User) -> int:
    deleted = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(person.pk):
            session.delete()
            deleted += 1
    return deleted


@dataclass(frozen=True)
class Plan:
    """What erasure would remove and keep, as far as the person reading may know."""

    funds: list[Fund]
    memberships: list[Membership]
    sole_member_of: list[Organisation]
    contact_for: list[Organisation]
    fund_roles: list[FundRole]


def what_happens(person: User, *, viewer: User) -> Plan:
    """What erasing ``person`` would change, limited to the funds ``viewer`` manages (all of it for an
    administrator): a fund officer never learns about groups or roles outside their funds."""
    if viewer.pk == person.pk or is_administrator(viewer):
        funds = connected_funds(person)
        in_view = Organisation.objects.all()
    else:
        funds = connected_funds(person).filter(pk__in=Fund.objects.managed_by(viewer))
        in_view = Organisation.objects.filter(applications__round__fund__in=funds).distinct()
    memberships = list(person.memberships.select_related("organisation"))
    visible = set(in_view.filter(memberships__user=person).values_list("pk", flat=True))
    shown = [membership for membership in memberships if membership.organisation_id in visible]
    alone = set(only_member_of(person).values_list("pk", flat=True))
    return Plan(
        funds=list(funds),
        memberships=shown,
        sole_member_of=[m.organisation for m in shown if m.organisation_id in alone],
        contact_for=list(in_view.filter(pk__in=contacts_of(email_addresses(person)).values("pk"))),
        fund_roles=list(person.fund_roles.select_related("fund"))
        if viewer.pk == person.pk or is_administrator(viewer)
        else [],
    )


@transaction.atomic
def erase(*, person: User, by: User, reference: str) -> Erasure:
    """Erase ``person`` for the request ``reference``: ``by`` is an officer or administrator, or the
    person closing their own account."""
    person = User.objects.select_for_update().get(pk=person.pk)
    closing_own = person.pk == by.pk
    if closing_own:
        if problems := close_account_problems(person):
            raise ErasureError(" ".join(problems))
    elif not (permission := can_erase(by, person)):
        raise ErasureError(permission.reason)
    placeholder = placeholder_for(person)
    found = identifiers(person)
    emails = found["emails"]
    linked = linked_rows(person, emails)

    summary = {
        "group_memberships": person.memberships.count(),
        "fund_roles": person.fund_roles.count(),
        "email_addresses": EmailAddress.objects.filter(user=person).count(),
        "authenticators": Authenticator.objects.filter(user=person).count(),
        "invitations": Invitation.objects.filter(email__in=emails).count(),
        "team_invitations": TeamInvitation.objects.filter(email__in=emails).count(),
    }
    person.memberships.all().delete()
    person.fund_roles.all().delete()
    EmailAddress.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    Invitation.objects.filter(email__in=emails).delete()
    TeamInvitation.objects.filter(email__in=emails).delete()  # their copies are scrubbed below
    summary["mentor_profile"] = int(hasattr(person, "mentor_profile"))
    if summary["mentor_profile"]:
        person.mentor_profile.delete()
    summary["sessions"] = _delete_sessions(person)
    summary["conversations_read"] = Reading.objects.filter(user=person).delete()[0]
    summary["notifications"] = Notification.objects.filter(user=person).delete()[0]
    Preference.objects.filter(user=person).delete()
    # A log already made may name them; whoever needs it again asks for it again.
    summary["audit_logs_made"] = audit_exports.remove(AuditExport.objects.all())

    # The groups they were the contact for keep a placeholder until the group names another.
    summary["group_contacts"] = Organisation.objects.filter(pk__in=contacts_of(emails).values("pk")).update(
        contact_name=placeholder.name, contact_email=placeholder.email, contact_phone=""
    )
    person.full_name = placeholder.name
    person.email = placeholder.email
    person.set_unusable_password()
    person.is_active = False
    person.last_login = None
    person.save()

    summary["text_replaced"] = scrub_linked(linked, Scrubber(found, placeholder, everywhere=False))
    summary["text_replaced"] += scrub_everywhere(Scrubber(found, placeholder, everywhere=True))
    figures_changed()  # the text replaced, row by row without signals, may be in a report's stories
    panel_changed()  # and a group's name in a panel summary
    exact = Scrubber(found, placeholder, everywhere=True)
    return Erasure.objects.create(
        person=person,
        reference=CLOSED_BY_THEMSELVES if closing_own else exact.text(reference.strip()),
        erased_by=person if closing_own else by,
        summary=summary,
    )
