"""E-mails the task worker could not send, as the fund team sees them.

Every e-mail goes through ``accounts.tasks.send_email``; one that fails stays in the task queue
as a failed task with its error. Officers see those about their own funds (the administrators see
every one): when, the subject, how many people it was for and what went wrong in plain words; never
the addresses, the body or the raw error (the administrators have those in the log and the admin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from accounts.tasks import one_line, send_email
from fund.models import Fund
from fund.permissions import is_administrator

SHOWN_FOR_DAYS = 14

# The error's class, as the task queue stores it, to what it means for the fund team.
PLAIN_PROBLEMS = {
    "smtplib.SMTPRecipientsRefused": "The mail server refused the address it was going to",
    "smtplib.SMTPSenderRefused": "The mail server refused the portal's sending address",
    "smtplib.SMTPAuthenticationError": "The portal could not sign in to the mail server",
    "smtplib.SMTPDataError": "The mail server refused the message",
    "smtplib.SMTPConnectError": "The mail server could not be reached",
    "smtplib.SMTPServerDisconnected": "The mail server could not be reached",
    "builtins.ConnectionRefusedError": "The mail server could not be reached",
    "builtins.ConnectionResetError": "The mail server could not be reached",
    "builtins.TimeoutError": "The mail server did not answer in time",
    "socket.gaierror": "The mail server's address could not be found",
}
UNKNOWN_PROBLEM = "Something went wrong while sending it"


@dataclass(frozen=True)
class FailedEmail:
    failed_at: datetime
    subject: str
    recipients: int
    problem: str


def plain_problem(exception_class_path: str, traceback: str) -> str:
    if exception_class_path in PLAIN_PROBLEMS:
        return PLAIN_PROBLEMS[exception_class_path]
    if "linefeed or carriage return" in traceback or "newline" in traceback:
        return "The subject had a line break in it, which e-mail cannot carry"
    if exception_class_path.startswith("smtplib."):
        return "The mail server refused the message"
    return UNKNOWN_PROBLEM


def failed_emails(*, seen_by: User, days: int = SHOWN_FOR_DAYS) -> QuerySet[DBTaskResult]:
    """E-mails that failed in the last ``days`` days, newest first, as far as ``seen_by`` may know:
    an officer sees those about their funds; the portal's administrators see every one, those about
    no fund (invitations, sign-in e-mails) included."""
    failed = DBTaskResult.objects.failed().filter(
        task_path=send_email.module_path, finished_at__gte=timezone.now() - timedelta(days=days)
    )
    if not is_administrator(seen_by):
        funds = list(Fund.objects.managed_by(seen_by).values_list("pk", flat=True))
        failed = failed.filter(args_kwargs__kwargs__fund__in=funds)
    return failed.order_by("-finished_at")


def describe(result: DBTaskResult) -> FailedEmail:
    arguments = (result.args_kwargs or {}).get("kwargs", {})
    return FailedEmail(
        failed_at=result.finished_at,
        subject=one_line(str(arguments.get("subject", ""))),
        recipients=len(arguments.get("to") or []),
        problem=plain_problem(result.exception_class_path, result.traceback),
    )
