from django import template

from portal import outbox

register = template.Library()


@register.simple_tag(takes_context=True)
def emails_not_sent(context) -> dict[str, int]:
    """How many e-mails about the person's funds failed lately, for the notice on their home page."""
    seen_by = context["request"].user
    return {"count": outbox.failed_emails(seen_by=seen_by).count(), "days": outbox.SHOWN_FOR_DAYS}
