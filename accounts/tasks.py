import logging
import unicodedata

from django.core.mail import EmailMultiAlternatives
from django.tasks import task

logger = logging.getLogger(__name__)


def one_line(text: str) -> str:
    """A subject as e-mail can carry it: every run of line breaks, tabs and spaces made one space.

    Forms refuse line breaks in names, but a subject is built from stored words (a group's
    name, a reference) and one line break there would make the message impossible to send.
    """
    breaks = {"Cc", "Zl", "Zp"}  # control characters (line breaks among them) and line separators
    return " ".join(
        "".join(" " if unicodedata.category(character) in breaks else character for character in text).split()
    )


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html_body: str | None = None,
    fund: int | None = None,
) -> None:
    """Send one e-mail from the task worker, so no page waits on the mail server.

    A failure is logged and left as a failed task, listed on "E-mails that could not be sent"
    (``portal.outbox``) for the officers of ``fund`` (the fund the e-mail is about, kept with the
    task), or for the portal's administrators when it is about no fund.
    """
    subject = one_line(subject)
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    try:
        message.send()
    except Exception:
        logger.exception('Could not send the email "%s" to %d recipient(s)', subject, len(to))
        raise
