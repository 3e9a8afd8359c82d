"""What a round has already awarded, for the budget rule.

Awards are held above the fund's configuration (``investments``), so the fund asks for them
through a signal instead of importing them: each app that holds awards connects a receiver
that answers, for one round, the amount committed to each tier.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import cast

from django.dispatch import Signal

from fund.models import Round

# Sent with ``round``, ``before`` (a moment or None) and ``leaving_out`` (application pks); each
# receiver returns {tier pk: amount committed in that round}.
round_commitments = Signal()


def awarded_in(
    round: Round, *, before: datetime | None = None, leaving_out: Iterable[int] = ()
) -> dict[int, Decimal]:
    """The money already committed in ``round``, by tier (tiers with none are left out); with
    ``before``, only the awards made before then, and never those to the applications in
    ``leaving_out``."""
    totals: dict[int, Decimal] = {}
    answers = round_commitments.send(sender=Round, round=round, before=before, leaving_out=list(leaving_out))
    for _receiver, answer in answers:
        # The stubs type a receiver's answer as str | None; Django passes on what it returns.
        for tier_pk, amount in cast(dict[int, Decimal], answer).items():
            totals[tier_pk] = totals.get(tier_pk, Decimal(0)) + amount
    return totals
