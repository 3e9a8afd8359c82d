"""Payment schedules on their own: tranches to the penny, on dates that exist."""

from datetime import date
from decimal import Decimal

from investments.rules import payment_schedule

D = Decimal


def test_payments_split_to_the_penny_with_the_odd_pence_first():
    schedule = payment_schedule(amount=D("10000.00"), tranches=3, interval_months=6, start=date(2027, 1, 31))
    assert schedule == [
        (date(2027, 1, 31), D("3333.34")),
        (date(2027, 7, 31), D("3333.33")),
        (date(2028, 1, 31), D("3333.33")),
    ]
    assert sum(amount for _, amount in schedule) == D("10000.00")


def test_quarterly_payments_land_on_the_last_day_of_short_months():
    schedule = payment_schedule(
        amount=D("73969.00"), tranches=12, interval_months=3, start=date(2026, 11, 30)
    )
    assert schedule[1][0] == date(2027, 2, 28)
    assert len(schedule) == 12 and sum(amount for _, amount in schedule) == D("73969.00")
