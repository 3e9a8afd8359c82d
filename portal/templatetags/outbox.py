from django import template

from portal import outbox

register = template.Library()


@register.simple_tag
def emails_not_sent() -> dict[str, int]:
    """How many e-mails failed lately, for the notice on the fund management page."""
    return {"count": outbox.failed_emails().count(), "days": outbox.SHOWN_FOR_DAYS}
