"""Social return on investment, by the SROI Guide's method. Pure Python on Decimal.

For each outcome:

    year 1     = quantity * proxy value * (1 - deadweight) * (1 - displacement) * (1 - attribution)
    year t > 1 = year t-1 * (1 - drop-off), for as many years as the outcome lasts

The present value discounts every year, year 1 included, at the Green Book rate (3.5%):

    PV = sum over t of value in year t / (1 + rate) ** t

    NPV = PV - investment;  ratio = PV / investment;  net ratio = NPV / investment

Fiscal outcomes (savings to the public purse) are summed apart from social ones (wider
wellbeing value). Everything is computed at full precision; money is rounded half up to the
penny and ratios to two places only in the result.

``sensitivity`` moves each assumption by a stated amount and reports the range of ratios,
which is what a board should see beside the headline ratio.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import partial

GREEN_BOOK_RATE = Decimal("0.035")
PENNY = Decimal("0.01")
RATIO_PLACES = Decimal("0.01")
PRECISION = 50
FRACTIONS = ("deadweight", "attribution", "displacement", "drop_off")


@dataclass(frozen=True)
class Outcome:
    quantity: Decimal  # units in the first year
    proxy_value: Decimal  # £ per unit per year
    deadweight: Decimal = Decimal(0)  # fractions from 0 to 1
    attribution: Decimal = Decimal(0)
    displacement: Decimal = Decimal(0)
    drop_off: Decimal = Decimal(0)  # share lost each year after the first
    duration_years: int = 1
    fiscal: bool = False


@dataclass(frozen=True)
class SroiResult:
    yearly_values: tuple[Decimal, ...]  # undiscounted totals for years 1..n, to the penny
    present_value: Decimal
    fiscal_present_value: Decimal
    social_present_value: Decimal
    net_present_value: Decimal
    ratio: Decimal
    net_ratio: Decimal


def _decimal(value: object, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise ValueError(f"{name} must be a Decimal, not {type(value).__name__}")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{name} must be a finite number")
    return value


def _check(outcome: Outcome, index: int) -> None:
    where = f"outcome {index + 1}"
    if _decimal(outcome.quantity, f"{where} quantity") < 0:
        raise ValueError(f"{where} quantity must not be negative")
    if _decimal(outcome.proxy_value, f"{where} proxy_value") < 0:
        raise ValueError(f"{where} proxy_value must not be negative")
    for name in FRACTIONS:
        value = _decimal(getattr(outcome, name), f"{where} {name}")
        if not Decimal(0) <= value <= Decimal(1):
            raise ValueError(f"{where} {name} must be between 0 and 1, not {value}")
    if isinstance(outcome.duration_years, bool) or not isinstance(outcome.duration_years, int):
        raise ValueError(f"{where} duration_years must be a whole number of years")
    if outcome.duration_years < 1:
        raise ValueError(f"{where} duration_years must be at least 1, not {outcome.duration_years}")


def _money(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _ratio(value: Decimal) -> Decimal:
    return value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def yearly_impact(outcome: Outcome) -> list[Decimal]:
    """The outcome's value in each year it lasts, before discounting, at full precision."""
    first = (
        outcome.quantity
        * outcome.proxy_value
        * (1 - outcome.deadweight)
        * (1 - outcome.displacement)
        * (1 - outcome.attribution)
    )
    values = [first]
    for _ in range(outcome.duration_years - 1):
        values.append(values[-1] * (1 - outcome.drop_off))
    return values


def evaluate(
    outcomes: Iterable[Outcome],
    investment: Decimal,
    discount_rate: Decimal = GREEN_BOOK_RATE,
    *,
    checked: bool = False,
) -> SroiResult:
    """The value of ``outcomes`` against ``investment``. Each outcome is checked first, unless
    ``checked`` says the caller made them from values already checked (the report builds them from
    rows the database keeps within bounds): an outcome valued many times is checked once."""
    outcomes = list(outcomes)
    investment = _decimal(investment, "investment")
    if investment <= 0:
        raise ValueError(f"investment must be more than 0, not {investment}")
    discount_rate = _decimal(discount_rate, "discount_rate")
    if discount_rate < 0:
        raise ValueError(f"discount_rate must not be negative, not {discount_rate}")
    if not checked:
        for index, outcome in enumerate(outcomes):
            _check(outcome, index)

    with localcontext() as context:
        context.prec = PRECISION
        years = max((outcome.duration_years for outcome in outcomes), default=0)
        totals = [Decimal(0)] * years
        fiscal = social = Decimal(0)
        for outcome in outcomes:
            present = Decimal(0)
            for year, value in enumerate(yearly_impact(outcome), start=1):
                totals[year - 1] += value
                present += value / (1 + discount_rate) ** year
            if outcome.fiscal:
                fiscal += present
            else:
                social += present
        present_value = fiscal + social
        net = present_value - investment
        return SroiResult(
            yearly_values=tuple(_money(total) for total in totals),
            present_value=_money(present_value),
            fiscal_present_value=_money(fiscal),
            social_present_value=_money(social),
            net_present_value=_money(net),
            ratio=_ratio(present_value / investment),
            net_ratio=_ratio(net / investment),
        )


@dataclass(frozen=True)
class Sensitivity:
    """The headline ratio, the ratio for each assumption moved down and up, and the range."""

    ratio: Decimal
    cases: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(0)


DEFAULT_MOVES: dict[str, Decimal | int] = {
    "deadweight": Decimal("0.10"),
    "attribution": Decimal("0.10"),
    "displacement": Decimal("0.10"),
    "drop_off": Decimal("0.10"),
    "duration_years": 1,
}


def _moved(outcome: Outcome, assumption: str, by: Decimal | int) -> Outcome:
    if assumption == "duration_years":
        return replace(outcome, duration_years=max(1, outcome.duration_years + int(by)))
    value = getattr(outcome, assumption) + by
    return replace(outcome, **{assumption: min(Decimal(1), max(Decimal(0), value))})


def _moved_ratio(
    outcomes: list[Outcome], investment: Decimal, discount_rate: Decimal, assumption: str, by: Decimal | int
) -> Decimal:
    moved = [_moved(outcome, assumption, by) for outcome in outcomes]
    return evaluate(moved, investment, discount_rate, checked=True).ratio


def sensitivity(
    outcomes: Sequence[Outcome],
    investment: Decimal,
    discount_rate: Decimal = GREEN_BOOK_RATE,
    moves: dict[str, Decimal | int] | None = None,
    *,
    checked: bool = False,
) -> Sensitivity:
    """The ratio when each assumption moves by a stated amount, for every outcome at once:
    fractions by points (0.10 is ten points, kept within 0 and 1), duration by whole years
    (never below one). ``low`` and ``high`` span every case and the headline."""
    outcomes = list(outcomes)
    moves = DEFAULT_MOVES if moves is None else moves
    for assumption in moves:
        if assumption not in (*FRACTIONS, "duration_years"):
            raise ValueError(f"{assumption} is not an assumption sensitivity can move")
    headline = evaluate(outcomes, investment, discount_rate, checked=checked).ratio
    # The moved outcomes are made here from checked ones, kept within bounds by ``_moved``.
    move = partial(_moved_ratio, outcomes, investment, discount_rate)
    cases = {}
    for assumption, by in moves.items():
        down, up = move(assumption, -by), move(assumption, by)
        cases[assumption] = (down, up)
    every = [headline, *(ratio for pair in cases.values() for ratio in pair)]
    return Sensitivity(ratio=headline, cases=cases, low=min(every), high=max(every))
