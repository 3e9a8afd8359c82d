"""`manage.py send_reminders`: the daily reminders, changes of goals whose days have passed, and
offers chased a week before their deadline or lapsed after it.

Run it once a day (cron, a platform scheduler, or `--queue` to hand it to the task
worker). Running it again the same day sends nothing twice.
"""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from assessment.services import remind_reviewers
from investments.services.monitoring import send_reminders
from investments.services.offers import chase_and_lapse
from investments.tasks import send_update_reminders


class Command(BaseCommand):
    help = (
        "Remind groups of progress updates due soon, due today or overdue, and officers of overdue ones; "
        "put into effect changes of goals nobody objected to in time; remind panel members of reviews due; "
        "remind groups of offers to accept and lapse those not accepted in time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="Queue the work for the task worker instead."
        )
        parser.add_argument(
            "--today", type=date.fromisoformat, help="Act as if today were this date (YYYY-MM-DD)."
        )

    def handle(self, *args, queue=False, today=None, **options):
        if queue:
            result = send_update_reminders.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        report = send_reminders(today=today or timezone.localdate(), base_url=settings.SITE_URL)
        officers = f"{report.officers_told} officer{'s' if report.officers_told != 1 else ''} told"
        self.stdout.write(
            f"Reminders sent: {report.before} before the due date, {report.due} on it, "
            f"{report.overdue} overdue; {officers}."
        )
        self.stdout.write(f"Changes of goals taken effect with no objection: {report.goals_taken_effect}.")
        before, late = remind_reviewers(today=today or timezone.localdate())
        self.stdout.write(f"Panel members reminded: {before} before their review deadline, {late} late.")
        offers = chase_and_lapse(today=today or timezone.localdate(), base_url=settings.SITE_URL)
        self.stdout.write(f"Offers: {offers.chased} groups reminded to accept, {offers.lapsed} lapsed.")
