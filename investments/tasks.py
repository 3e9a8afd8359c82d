"""Long or outside work for applications, run by the task worker."""

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from assessment.services import remind_reviewers
from investments.services.monitoring import send_reminders
from investments.services.offers import chase_and_lapse


@task()
def send_update_reminders() -> dict:
    """The daily reminders about progress updates; safe to run more than once a day."""
    report = send_reminders(today=timezone.localdate(), base_url=settings.SITE_URL)
    reviews_before, reviews_late = remind_reviewers(today=timezone.localdate())
    offers = chase_and_lapse(today=timezone.localdate(), base_url=settings.SITE_URL)
    return {
        "before": report.before,
        "due": report.due,
        "overdue": report.overdue,
        "goals_taken_effect": report.goals_taken_effect,
        "reviews_before": reviews_before,
        "reviews_late": reviews_late,
        "offers_chased": offers.chased,
        "offers_lapsed": offers.lapsed,
    }
