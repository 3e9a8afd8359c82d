"""Money as people read it. Amounts are Decimal pounds with pence, never floats."""

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def to_pence(amount: Decimal) -> Decimal:
    """Round half up to the penny, the way a finance officer would."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def pounds(amount: Decimal | None) -> str:
    """'£2,000' for whole pounds, '£2,000.01' otherwise, as GOV.UK style writes money."""
    if amount is None:
        return ""
    amount = to_pence(Decimal(amount))
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}£{amount:,.0f}"
    return f"{sign}£{amount:,.2f}"
