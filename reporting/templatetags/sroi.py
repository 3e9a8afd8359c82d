from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(fraction):
    """{{ version.deadweight|percent }} -> 25%  (0.125 -> 12.5%)"""
    if fraction in (None, ""):
        return ""
    value = (Decimal(fraction) * 100).quantize(Decimal("0.01")).normalize()
    return f"{value:f}%"


@register.filter
def per_pound(ratio):
    """{{ result.ratio|per_pound }} -> £1.63 (of value for each £1)"""
    if ratio in (None, ""):
        return "–"
    return f"£{Decimal(ratio):,.2f}"


@register.filter
def years(count):
    return f"{count} year" if count == 1 else f"{count} years"


ADJUSTMENT_LABELS = {
    "deadweight": "deadweight",
    "attribution": "attribution",
    "displacement": "displacement",
    "drop_off": "drop-off",
}


@register.filter
def adjustment(pair):
    """{{ name_and_value|adjustment }}: ('drop_off', 0.2) -> 'drop-off 20%'."""
    name, value = pair
    if name == "duration_years":
        return f"duration {years(value)}"
    return f"{ADJUSTMENT_LABELS.get(name, name)} {percent(value)}"


@register.filter
def moved(name):
    """The assumption a sensitivity case moved, and by how much."""
    if name == "duration_years":
        return "Duration (by a year)"
    return f"{ADJUSTMENT_LABELS.get(name, name).capitalize()} (by 10 points)"
