"""A tranche's schedule and the conditions that must hold before it is paid, as plain functions."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from decimal import ROUND_DOWN, Decimal

from fund.money import PENNY


def payment_schedule(
    *, amount: Decimal, tranches: int, interval_months: int, start: date
) -> list[tuple[date, Decimal]]:
    """Equal payments to the penny, any odd pence in the first; the first on the start date."""
    tranches = max(tranches, 1)
    share = (amount / tranches).quantize(PENNY, rounding=ROUND_DOWN)
    first = amount - share * (tranches - 1)
    return [
        (add_months(start, number * interval_months), first if number == 0 else share)
        for number in range(tranches)
    ]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def release_conditions(*, number: int, mentor_required: bool, reports_progress: bool) -> list[str]:
    """What must hold before a tranche is paid: a mentor first where one is required; for later
    tranches, the group's latest update read by the fund team. Values of Payment.Condition."""
    conditions = []
    if number == 1 and mentor_required:
        conditions.append("mentor_assigned")
    if number > 1 and reports_progress:
        conditions.append("update_acknowledged")
    return conditions


def release_problems(*, conditions: list[str], mentor_assigned: bool, updates_read: list[bool]) -> list[str]:
    """The release conditions of a tranche that do not hold, in words: ``updates_read`` says, for
    each update due so far, whether the fund team has read it."""
    problems = []
    if "mentor_assigned" in conditions and not mentor_assigned:
        problems.append("a mentor must be assigned first")
    if "update_acknowledged" in conditions and not all(updates_read):
        problems.append("every update due so far must be sent by the group and read by the fund team")
    return problems
