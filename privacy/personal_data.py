"""Everything the portal holds about one person, as plain data they can download.

The export has the person's profile and sign-in settings, the groups they belong to and their
roles in funds, every piece of text they wrote (application answers, progress updates and stories,
reviews and scores, decisions, mentoring notes and concerns, outcome evidence, proxy notes), the
files they uploaded (names; the files themselves are in the portal) and the audit trail's record of
the changes they made. Secrets (password hashes, authenticator keys, invitation tokens) are left
out: they are not information about the person, and exporting them would weaken the account.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from accounts.models import User
from applications.models import Answer, Application, Document
from applications.sections import IDEA_FIELDS
from assessment.models import Decision, PanelMeeting, Review
from audit import trail
from conversations.models import Message
from investments.models import AwardCondition, GoalChange, Offer, PaymentEntry, ProgressUpdate
from mentoring.models import Concern, Note
from notifications.models import Channel, Kind, Notification, Preference
from organisations.models import BankDetails, Invitation, Organisation
from organisations.services import bank_details_of
from questions.answering import readable
from reporting.models import OutcomeRecord, ProxyVersion


def email_addresses(user: User) -> set[str]:
    """Every address the person signs in or is reached with, in lower case: their account's, and
    the others they confirmed. An address added but never confirmed may be anyone's."""
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {user.email.lower()} | {address.lower() for address in addresses}


def contacts_of(emails: Iterable[str]) -> QuerySet[Organisation]:
    """The groups whose contact address is one of ``emails``, whatever its capitals."""
    return Organisation.objects.annotate(contact=Lower("contact_email")).filter(
        contact__in=[email.lower() for email in emails]
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj, *fields: str, **extra) -> dict:
    row = {name: _plain(getattr(obj, name)) for name in fields}
    row.update({name: _plain(value) for name, value in extra.items()})
    return row


def _profile(user: User) -> dict:
    return {
        "full_name": user.full_name,
        "email": user.email,
        "date_joined": _plain(user.date_joined),
        "last_sign_in": _plain(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "two_factor_methods": sorted(
            Authenticator.Type(kind).label
            for kind in Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "mentor_profile": _mentor_profile(user),
    }


def _mentor_profile(user: User) -> dict | None:
    profile = getattr(user, "mentor_profile", None)
    if profile is None:
        return None
    return {
        "capacity": profile.capacity,
        "phone": profile.phone,
        "expertise": [theme.name for theme in profile.expertise.all()],
        "places": [place.name for place in profile.places.all()],
    }


def _applications(user: User) -> list[dict]:
    """Applications they started or submitted, with the answers they wrote."""
    applications = (
        Application.objects.filter(Q(created_by=user) | Q(versions__submitted_by=user))
        .distinct()
        .select_related("organisation", "round__fund", "tier")
        .prefetch_related(
            "goals",
            Prefetch(
                "question_answers",
                queryset=Answer.objects.select_related("question", "document").order_by(
                    "question__section__position", "question__position", "question_id"
                ),
            ),
        )
        .order_by("created_at")
    )
    return [
        _row(
            application,
            "reference",
            *IDEA_FIELDS,
            "declaration_name",
            "declared_at",
            "created_at",
            "submitted_at",
            group=application.organisation.name,
            fund=application.round.fund.name,
            status=application.get_status_display(),
            goals=[goal.description for goal in application.goals.all()],
            answers=[
                {
                    "question": answer.question.label,
                    "answer": readable(
                        answer.question.kind,
                        answer.value,
                        answer.document.original_name if answer.document else "",
                    ),
                }
                for answer in application.question_answers.all()
            ],
        )
        for application in applications
    ]


def _written(user: User) -> dict:
    updates = (
        ProgressUpdate.objects.filter(submitted_by=user)
        .with_publication()
        .select_related("investment__application")
        .prefetch_related("progress__goal")
    )
    reviews = (
        Review.objects.filter(reviewer=user)
        .select_related("application")
        .prefetch_related("scores__criterion")
    )
    return {
        "progress_updates": [
            _row(
                update,
                "number",
                "submitted_at",
                "story",
                "story_consent",
                "story_anonymous",
                "story_published",
                "story_withheld_reason",
                "photo_description",
                "photo_consent",
                "photo_published",
                "people_reached",
                "volunteer_hours",
                investment=update.investment.application.reference,
                goals=[
                    {
                        "goal": progress.goal.description,
                        "status": progress.get_status_display(),
                        "note": progress.note,
                    }
                    for progress in update.progress.all()
                ],
            )
            for update in updates
        ],
        "comments_on_updates": [
            _row(
                update,
                "acknowledged_at",
                "officer_comment",
                investment=update.investment.application.reference,
            )
            for update in ProgressUpdate.objects.filter(acknowledged_by=user).select_related(
                "investment__application"
            )
        ],
        "stories_approved_for_publishing": [
            _row(update, "number", "story_approved_at", investment=update.investment.application.reference)
            for update in ProgressUpdate.objects.filter(story_approved_by=user).select_related(
                "investment__application"
            )
        ],
        "reviews": [
            _row(
                review,
                "conflict_reason",
                "declared_at",
                "recommendation",
                "comment",
                "submitted_at",
                application=review.application.reference,
                scores=[
                    {"criterion": score.criterion.title, "score": score.score, "comment": score.comment}
                    for score in review.scores.all()
                ],
            )
            for review in reviews
        ],
        "decisions": [
            _row(
                decision,
                "amount",
                "conditions",
                "reason",
                "feedback",
                "decided_at",
                application=decision.application.reference,
                outcome=decision.get_outcome_display(),
            )
            for decision in Decision.objects.filter(Q(decided_by=user) | Q(approved_by=user)).select_related(
                "application"
            )
        ],
        # What they wrote in conversations: a member of staff's notes are theirs; a group member
        # never wrote one, and never sees the fund team's notes about their group here.
        "messages": [
            _row(
                message,
                "text",
                "sent_at",
                "attachment_name",
                application=message.application.reference,
                kind="note for the fund team" if message.team_note else "message",
            )
            for message in Message.objects.filter(author=user).select_related("application")
        ],
        "evidence_for_conditions": [
            _row(
                condition,
                "text",
                "evidence_note",
                "evidence_name",
                "evidence_sent_at",
                investment=condition.investment.application.reference,
            )
            for condition in AwardCondition.objects.filter(evidence_sent_by=user).select_related(
                "investment__application"
            )
        ],
        "conditions_decided": [
            _row(condition, "text", "asked_again", "decided_at", status=condition.get_status_display())
            for condition in AwardCondition.objects.filter(decided_by=user)
        ],
        "changes_of_goals": [
            _row(
                change,
                "description",
                "reason",
                "proposed_at",
                "objection",
                kind=change.get_kind_display(),
                status=change.get_status_display(),
                investment=change.investment.application.reference,
                you=", ".join(
                    role
                    for role, person in (
                        ("proposed it", change.proposed_by_id),
                        ("decided it", change.decided_by_id),
                    )
                    if person == user.pk
                ),
            )
            for change in GoalChange.objects.filter(Q(proposed_by=user) | Q(decided_by=user)).select_related(
                "investment__application"
            )
        ],
        "offers_answered": [
            _row(
                offer,
                "signed_name",
                "signed_position",
                "responded_at",
                "decline_reason",
                status=offer.get_status_display(),
                investment=offer.investment.application.reference,
            )
            for offer in Offer.objects.filter(responded_by=user).select_related("investment__application")
        ],
        "panel_meetings": [
            _row(meeting, "held_on", "attendees", "released_at", round=meeting.round.name)
            for meeting in PanelMeeting.objects.filter(
                Q(created_by=user) | Q(released_by=user)
            ).select_related("round")
        ],
        "mentoring_notes": [
            _row(note, "met_on", "text", "created_at", investment=note.investment.application.reference)
            for note in Note.objects.filter(author=user).select_related("investment__application")
        ],
        "concerns": [
            _row(
                concern,
                "text",
                "raised_at",
                "resolution",
                investment=concern.investment.application.reference,
            )
            for concern in Concern.objects.filter(Q(raised_by=user) | Q(resolved_by=user)).select_related(
                "investment__application"
            )
        ],
        "outcome_records": [
            _row(
                record,
                "quantity",
                "period_start",
                "period_end",
                "evidence",
                "override_reason",
                investment=record.investment.application.reference,
            )
            for record in OutcomeRecord.objects.filter(recorded_by=user).select_related(
                "investment__application"
            )
        ],
        "financial_proxy_versions": [
            _row(version, "number", "change_reason", "notes", "created_at", proxy=version.name)
            for version in ProxyVersion.objects.filter(created_by=user)
        ],
        "payments_recorded": [
            _row(
                entry,
                "amount",
                "paid_on",
                "reference",
                "conditions_note",
                "reason",
                "recorded_at",
                payment=entry.payment.number,
                investment=entry.payment.investment.application.reference,
            )
            for entry in PaymentEntry.objects.filter(recorded_by=user).select_related(
                "payment__investment__application"
            )
        ],
    }


def _changes(user: User) -> list[dict]:
    """The audit trail's record of what they changed: what, when and how, without the values."""
    changes = []
    for model, label, _ in trail.TRACKED:
        history = get_history_manager_for_model(model)
        records = list(history.filter(history_user=user).order_by("history_date"))
        names = trail.names_of(model, {record.id for record in records})
        for record in records:
            changes.append(
                {
                    "what": label,
                    "object": names.get(record.id, f"{label} {record.id}"),
                    "action": trail.ACTIONS[record.history_type],
                    "when": _plain(record.history_date),
                }
            )
    return sorted(changes, key=lambda change: change["when"])


def export(user: User) -> dict:
    """Every piece of personal data the portal holds about ``user``."""
    emails = email_addresses(user)
    return {
        "about_this_file": (
            f"The personal data {settings.SERVICE_NAME} holds about you, as at the time below. "
            f"Write to {settings.PRIVACY_CONTACT_EMAIL} with any question about it."
        ),
        "exported_at": _plain(timezone.now()),
        "profile": _profile(user),
        "group_memberships": [
            _row(
                membership,
                "joined_at",
                group=membership.organisation.name,
                role=membership.get_role_display(),
                # The group's own account, as its pages show it: masked, never in full.
                bank_details=details.masked if (details := bank_details_of(membership.organisation)) else "",
            )
            for membership in user.memberships.select_related("organisation")
        ],
        "bank_details_given": [
            _row(details, "given_at", group=details.organisation.name, account=details.masked)
            for details in BankDetails.objects.filter(given_by=user).select_related("organisation")
        ],
        "fund_roles": [
            {"fund": role.fund.name, "council": role.fund.council_name, "role": role.get_role_display()}
            for role in user.fund_roles.select_related("fund")
        ],
        "named_as_group_contact": [
            _row(organisation, "contact_name", "contact_email", "contact_phone", group=organisation.name)
            for organisation in contacts_of(emails)
        ],
        "invitations": [
            _row(invitation, "email", "created_at", "accepted_at", group=invitation.organisation.name)
            for invitation in Invitation.objects.filter(
                Q(email__in=emails) | Q(invited_by=user)
            ).select_related("organisation")
        ],
        "applications": _applications(user),
        "written": _written(user),
        "files_uploaded": [
            _row(
                document,
                "original_name",
                "uploaded_at",
                kind=document.get_kind_display(),
                application=document.application.reference or f"Draft {document.application_id}",
            )
            for document in Document.objects.filter(uploaded_by=user).select_related("application")
        ],
        "changes_recorded_in_the_audit_trail": _changes(user),
        "notifications": [
            _row(notification, "text", "created_at", "read_at", kind=notification.get_kind_display())
            for notification in Notification.objects.filter(user=user)
        ],
        "how_you_hear_of_things": {
            Kind(kind).label: Channel(channel).label
            for kind, channel in Preference.objects.filter(user=user).values_list("kind", "channel")
        },
    }
