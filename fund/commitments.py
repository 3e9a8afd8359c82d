"""What a round has already awarded, for the budget rule.

Awards are held above the fund's configuration (``investments``), so the fund asks for them
through a signal instead of importing them: each app that holds awards connects a receiver
that answers, for one round, the amount committed to each tier.
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django.dispatch import Signal

from fund.models import Round

# Sent with ``round``; each receiver returns {tier pk: amount committed in that round}.
round_commitments = Signal()


def awarded_in(round: Round) -> dict[int, Decimal]:
    """The money already committed in ``round``, by tier (tiers with none are left out)."""
    totals: dict[int, Decimal] = {}
    for _receiver, answer in round_commitments.send(sender=Round, round=round):
        # The stubs type a receiver's answer as str | None; Django passes on what it returns.
        for tier_pk, amount in cast(dict[int, Decimal], answer).items():
            totals[tier_pk] = totals.get(tier_pk, Decimal(0)) + amount
    return totals
