from typing import Any

from django import template

from kit import words

register = template.Library()


@register.filter
def number(value: Any) -> str | bool:
    """{{ total.volunteer_hours|number }} -> 1,100; nothing for a figure that is missing."""
    if isinstance(value, bool):
        return value
    return words.number(value)


@register.filter
def possessive(name: object) -> str:
    """{{ organisation.name|possessive }} -> Gardeners' or Sam's."""
    return words.possessive(name)
