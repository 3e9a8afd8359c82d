"""After an award: the group's progress updates on its own goals, changing tack, reminders,
and closing the investment. Light touch by design: one short page, minutes not hours."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User, can_receive_mail
from accounts.tasks import send_email
from applications.models import ApplicationEvent, Goal
from applications.services.history import record
from fund.models import Fund, FundRole
from fund.permissions import can_manage_fund
from investments import photos
from investments.models import GoalProgress, Investment, ProgressUpdate, SpendReport
from investments.permissions import can_approve_story, can_write_update
from investments.rules import add_months
from investments.services import goal_changes
from kit.errors import RuleError
from kit.uploads import photo_problems
from kit.words import plural
from notifications.models import Kind
from notifications.services import fund_people, group_members, notify, tell_investment_team
from organisations.notify import email_group

# --- Scheduling ---------------------------------------------------------------------------------


def schedule_updates(*, investment: Investment) -> list[ProgressUpdate]:
    """The updates an investment is asked for, by its tier's cadence; the last is the final one.

    The investment runs for the tier's budget years. A cadence of 0 asks for one update at the end.
    """
    tier = investment.tier
    months = max(tier.budget_years, 1) * 12
    investment.end_date = add_months(investment.start_date, months)
    investment.save(update_fields=["end_date"])
    cadence = tier.update_cadence_months
    offsets = list(range(cadence, months + 1, cadence)) if cadence else [months]
    if offsets[-1] != months:
        offsets.append(months)
    updates = [
        ProgressUpdate(
            investment=investment,
            number=number,
            due_date=add_months(investment.start_date, offset),
            final=number == len(offsets),
        )
        for number, offset in enumerate(offsets, start=1)
    ]
    return ProgressUpdate.objects.bulk_create(updates)


# --- The group's update -------------------------------------------------------------------------


def _member_update(update: ProgressUpdate, by: User, today: date | None) -> ProgressUpdate:
    update = (
        ProgressUpdate.objects.select_for_update()
        .select_related("investment__application__organisation", "investment__round__fund")
        .get(pk=update.pk)
    )
    if not update.investment.application.organisation.memberships.filter(user=by).exists():
        raise RuleError("Only the group's members can write its updates.")
    if not (permission := can_write_update(update, today or timezone.localdate())):
        raise RuleError(permission.reason)
    return update


@dataclass(frozen=True)
class GoalAnswer:
    status: str
    value: Decimal | None
    note: str


@transaction.atomic
def save_update(
    *,
    update: ProgressUpdate,
    by: User,
    goals: dict[int, GoalAnswer],
    story: str = "",
    story_consent: bool = False,
    story_anonymous: bool = True,
    photo: UploadedFile | None = None,
    photo_description: str = "",
    photo_consent: bool = False,
    people_reached: int | None = None,
    volunteer_hours: Decimal | None = None,
    spend: dict[int, Decimal | None] | None = None,
    today: date | None = None,
) -> ProgressUpdate:
    """Save the update as a draft, once its window has opened (``can_write_update``). Only the
    group's current goals can be reported on."""
    update = _member_update(update, by, today)
    current = {goal.pk: goal for goal in update.investment.application.goals.current()}
    for goal_id in goals:
        if goal_id not in current:
            retired = Goal.objects.filter(pk=goal_id, application=update.investment.application).first()
            if retired is None:
                raise RuleError("That goal is not one of this investment's goals.")
            raise RuleError(
                {
                    f"goal_{goal_id}_status": [
                        f"‘{retired.description[:60]}’ was changed on "
                        f"{timezone.localtime(retired.retired_at):%-d %B %Y}: report on the goal as it is now"
                    ]
                }
            )
    if story.strip() and not story_consent:
        raise RuleError(
            {
                "story_consent": [
                    "Confirm the person agreed to their story being shared, or leave the story out"
                ]
            }
        )
    size = None
    if photo is not None:
        if problems := photo_problems(photo):
            raise RuleError({"photo": problems})
        if (size := photos.read_size(photo)) is None:
            raise RuleError({"photo": ["The selected photo cannot be opened. Choose another JPG or PNG"]})
    for goal_id, answer in goals.items():
        GoalProgress.objects.update_or_create(
            update=update,
            goal=current[goal_id],
            defaults={"status": answer.status, "value": answer.value, "note": answer.note.strip()},
        )
    lines = {line.pk: line for line in update.investment.application.budget_lines.all()}
    for line_id, amount in (spend or {}).items():
        if line_id not in lines:
            raise RuleError("That budget line is not one of this investment's.")
        if amount is None:
            SpendReport.objects.filter(update=update, budget_line_id=line_id).delete()
        else:
            SpendReport.objects.update_or_create(
                update=update, budget_line=lines[line_id], defaults={"amount": amount}
            )
    update.story = story.strip()
    update.story_consent = story_consent
    update.story_anonymous = story_anonymous
    update.people_reached = people_reached
    update.volunteer_hours = volunteer_hours
    update.photo_description = photo_description.strip()
    # Agreement is asked for each time, so a new photo never inherits the last one's.
    update.photo_consent = photo_consent
    if photo is not None and size is not None:  # size is read for every photo, above
        if update.photo.name:
            storage, old = update.photo.storage, update.photo.name
            transaction.on_commit(lambda: photos.delete_photo(storage, old))
        update.photo.save(photo.name or "photo", photo, save=False)
        update.photo_width, update.photo_height = size
    update.status = ProgressUpdate.Status.DRAFT
    update.save()
    return update


def update_problems(update: ProgressUpdate) -> list[str]:
    answered = {progress.goal_id for progress in update.progress.all() if progress.status}
    return [
        f"Say how ‘{goal.description[:60]}’ is going"
        for goal in update.investment.application.goals.current()
        if goal.pk not in answered
    ]


@transaction.atomic
def submit_update(*, update: ProgressUpdate, by: User, today: date | None = None) -> ProgressUpdate:
    update = _member_update(update, by, today)
    if problems := update_problems(update):
        raise RuleError(problems)
    update.status = ProgressUpdate.Status.SUBMITTED
    update.submitted_at = timezone.now()
    update.submitted_by = by
    update.save(update_fields=["status", "submitted_at", "submitted_by"])
    investment = update.investment
    fund = investment.round.fund
    text = f"Progress update {update.number} from {investment.application.organisation.name}"
    if update.story and update.story_consent:
        text += ", with a story to approve"
    tell_investment_team(
        fund,
        investment.pk,
        kind=Kind.UPDATE_SENT,
        text=text,
        officer_url=reverse("investments:oversight_investment", args=[investment.pk]),
        by=by,
    )
    return update


@transaction.atomic
def acknowledge_update(*, update: ProgressUpdate, by: User, comment: str, base_url: str) -> ProgressUpdate:
    update = (
        ProgressUpdate.objects.select_for_update().select_related("investment__round__fund").get(pk=update.pk)
    )
    if not (permission := can_manage_fund(by, update.investment.round.fund)):
        raise RuleError(permission.reason)
    if update.status != ProgressUpdate.Status.SUBMITTED:
        raise RuleError("Only an update the group has sent can be acknowledged.")
    update.status = ProgressUpdate.Status.ACKNOWLEDGED
    update.acknowledged_at = timezone.now()
    update.acknowledged_by = by
    update.officer_comment = comment.strip()
    update.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "officer_comment"])
    _email_group(
        update.investment,
        subject="The fund team has read your update",
        template="investments/email/update_acknowledged.txt",
        base_url=base_url,
        update=update,
    )
    return update


# --- Publishing a story ------------------------------------------------------------------------


def _officers_update(update: ProgressUpdate, by: User) -> ProgressUpdate:
    update = (
        ProgressUpdate.objects.select_for_update(of=("self",))
        .select_related("investment__round__fund", "investment__application")
        .get(pk=update.pk)
    )
    fund = update.investment.round.fund
    if not can_manage_fund(by, fund):
        raise RuleError(f"Only fund officers of {fund.name} can decide which stories are published.")
    return update


@transaction.atomic
def approve_story(*, update: ProgressUpdate, by: User, with_photo: bool = False) -> ProgressUpdate:
    """An officer approves the story for the fund's public pages and board packs, with its photo
    only if they say so and the group said the people in it agreed."""
    update = _officers_update(update, by)
    if not (permission := can_approve_story(update)):
        raise RuleError(permission.reason)
    if with_photo and not update.photo_may_be_published:
        raise RuleError(
            "The group did not say the people in the photo agreed to it being published, "
            "so publish the story without it."
        )
    if update.story_approved_at and update.photo_approved == with_photo:
        raise RuleError("This story is already approved for publishing.")
    update.story_approved_at = timezone.now()
    update.story_approved_by = by
    update.photo_approved = with_photo
    update.story_withheld_reason = ""
    update.save(
        update_fields=["story_approved_at", "story_approved_by", "photo_approved", "story_withheld_reason"]
    )
    record(
        application=update.investment.application,
        kind=ApplicationEvent.Kind.STORY_APPROVED,
        by=by,
        details=f"Update {update.number}" + (", with its photo" if with_photo else ""),
    )
    return update


@transaction.atomic
def withhold_story(*, update: ProgressUpdate, by: User, reason: str) -> ProgressUpdate:
    """An officer decides a story is not to be published, or withdraws their approval, saying why:
    the group reads the reason on its investment page."""
    update = _officers_update(update, by)
    if not update.is_sent or not update.story:
        raise RuleError("Only a story the group has sent can be kept from publishing.")
    if not reason.strip():
        raise RuleError({"reason": ["Enter why the story is not to be published"]})
    update.story_approved_at = None
    update.story_approved_by = None
    update.photo_approved = False
    update.story_withheld_reason = reason.strip()
    update.save(
        update_fields=["story_approved_at", "story_approved_by", "photo_approved", "story_withheld_reason"]
    )
    record(
        application=update.investment.application,
        kind=ApplicationEvent.Kind.STORY_WITHHELD,
        by=by,
        details=f"Update {update.number}: {update.story_withheld_reason}",
    )
    return update


def _email_group(
    investment: Investment, *, subject: str, template: str, base_url: str, **context: object
) -> None:
    organisation = investment.application.organisation
    email_group(
        organisation,
        fund=investment.round.fund,
        subject=subject,
        template=template,
        context={
            "investment": investment,
            "organisation": organisation,
            "link": base_url + reverse("investments:investment", args=[investment.pk]),
            "service_name": settings.SERVICE_NAME,
            "support_email": settings.SUPPORT_EMAIL,
            **context,
        },
    )


# --- Reminders ----------------------------------------------------------------------------------


@dataclass
class ReminderReport:
    before: int = 0
    due: int = 0
    overdue: int = 0
    officers_told: int = 0
    goals_taken_effect: int = 0


@transaction.atomic
def send_reminders(*, today: date, base_url: str) -> ReminderReport:
    """Tell groups, as a notification each member hears of by their chosen channel, before an
    update is due, on the day, and when it is overdue; tell each fund's officers about newly
    overdue updates. Each reminder goes once, however often this runs; a run that starts late
    sends only the latest reminder that applies."""
    before_days = settings.UPDATE_REMINDER_DAYS_BEFORE
    report = ReminderReport()
    newly_overdue: dict[Fund, list[ProgressUpdate]] = defaultdict(list)
    updates = (
        ProgressUpdate.objects.select_for_update(of=("self",))
        .open()
        .of_running_investments()
        .filter(due_date__lte=today + timedelta(days=before_days))
        .select_related("investment__application__organisation", "investment__round__fund")
        .order_by("due_date", "pk")
    )
    for update in updates:
        investment = update.investment
        if update.is_overdue(today):
            if update.reminded_overdue_on:
                continue
            update.reminded_overdue_on = today
            update.reminded_due_on = update.reminded_due_on or today
            update.reminded_before_on = update.reminded_before_on or today
            kind = "overdue"
            report.overdue += 1
            newly_overdue[investment.round.fund].append(update)
        elif today >= update.due_date:
            if update.reminded_due_on:
                continue
            update.reminded_due_on = today
            update.reminded_before_on = update.reminded_before_on or today
            kind = "due"
            report.due += 1
        else:
            # Remind only once the group can act on it, whatever the two settings say.
            if update.reminded_before_on or not update.has_opened(today):
                continue
            update.reminded_before_on = today
            kind = "before"
            report.before += 1
        update.save(update_fields=["reminded_before_on", "reminded_due_on", "reminded_overdue_on"])
        title = investment.application.title
        text = {
            "before": f"Your update on {title} is due on {update.due_date:%-d %B %Y}",
            "due": f"Your update on {title} is due today",
            "overdue": f"Your update on {title} is overdue",
        }[kind]
        body = render_to_string(
            "investments/email/update_reminder.txt", {"support_email": settings.SUPPORT_EMAIL, "kind": kind}
        )
        url = reverse("investments:investment", args=[investment.pk])
        members = group_members(investment.application.organisation_id)
        notify(
            members,
            kind=Kind.UPDATE_DUE,
            text=text,
            url=url,
            fund=investment.round.fund,
            base_url=base_url,
            body=body,
        )
        # The group's contact hears too, as before, if they are not a member with an account.
        contact = investment.application.organisation.contact_email
        if can_receive_mail(contact) and contact.lower() not in {person.email.lower() for person in members}:
            message = render_to_string(
                "investments/email/update_reminder_contact.txt",
                {"text": text, "body": body, "link": f"{base_url or settings.SITE_URL}{url}"},
            )
            transaction.on_commit(
                partial(
                    send_email.enqueue,
                    subject=text,
                    body=message,
                    to=[contact],
                    fund=investment.round.fund_id,
                )
            )
    for fund, overdue in newly_overdue.items():
        body = render_to_string(
            "investments/email/overdue_for_officers.txt", {"fund": fund, "updates": overdue}
        )
        told = notify(
            fund_people(fund, FundRole.Role.OFFICER),
            kind=Kind.UPDATE_DUE,
            text=f"{plural(len(overdue), 'progress update')} overdue in {fund.name}",
            url=f"{reverse('investments:investments')}?needs=overdue",
            fund=fund,
            base_url=base_url,
            body=body,
        )
        report.officers_told += len(told)
    report.goals_taken_effect = goal_changes.apply_unopposed(today=today)
    return report


# --- Closing ----------------------------------------------------------------------------------------


@transaction.atomic
def close_investment(
    *,
    investment: Investment,
    by: User,
    outcome: str = "",
    lessons: str = "",
    ended_early: bool = False,
    end_reason: str = "",
) -> Investment:
    investment = Investment.objects.select_for_update().select_related("round__fund").get(pk=investment.pk)
    if not (permission := can_manage_fund(by, investment.round.fund)):
        raise RuleError(permission.reason)
    if investment.closed_at:
        raise RuleError("This investment is already closed.")
    if ended_early:
        if not end_reason.strip():
            raise RuleError({"end_reason": ["Say why the investment is ending early"]})
        investment.status = Investment.Status.ENDED_EARLY
        investment.end_reason = end_reason.strip()
    else:
        final = investment.updates.filter(final=True).first()
        if final and final.status not in (
            ProgressUpdate.Status.SUBMITTED,
            ProgressUpdate.Status.ACKNOWLEDGED,
        ):
            raise RuleError("The group has not sent its final update yet. Close it when it has.")
        if outcome not in Investment.Outcome.values:
            raise RuleError({"outcome": ["Choose how the project ended up"]})
        investment.status = Investment.Status.COMPLETED
        investment.outcome = outcome
    investment.lessons = lessons.strip()
    investment.closed_at = timezone.now()
    investment.save(update_fields=["status", "outcome", "end_reason", "lessons", "closed_at"])
    goal_changes.close_waiting(investment)
    return investment
