from django import template

from fund import money

register = template.Library()


@register.filter
def pounds(amount):
    """{{ round.budget|pounds }} -> £1,000,000; nothing for a figure that is missing."""
    if amount in (None, ""):
        return ""
    return money.pounds(amount)
