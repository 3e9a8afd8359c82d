"""Numbers and names in sentences people read: "1,100 volunteer hours", "1 person",
"Gardeners' scores". Pure Python, so services, views, templates and e-mails write them alike.
Money has its own: ``fund.money.pounds``."""

from __future__ import annotations

from decimal import Decimal


def number(value: int | Decimal | None) -> str:
    """1100 -> '1,100'; Decimal('12.50') -> '12.5'; nothing for a missing figure."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        # normalize() drops trailing zeros; "f" keeps 1.1E+3 written out as 1,100.
        return f"{value.normalize():,f}"
    return f"{value:,}"


def plural(count: int | Decimal, singular: str, plural: str | None = None) -> str:
    """'1 person', '2 people', '1,100 volunteer hours': the count with the word that fits it."""
    word = singular if count == 1 else (plural or f"{singular}s")
    return f"{number(count)} {word}"


def possessive(name: object) -> str:
    """Sam -> Sam's; a name ending in s, such as Gardeners, -> Gardeners'."""
    text = str(name)
    if text.endswith(("s", "S")):
        return f"{text}'"
    return f"{text}'s"
