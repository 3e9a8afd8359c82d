"""Investments answer what the apps below them ask or announce (connected in ``InvestmentsConfig``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.dispatch import receiver

from applications.models import Application
from assessment.signals import award_made
from fund.commitments import round_commitments
from fund.models import Round
from investments.models import Investment
from investments.services.monitoring import schedule_updates
from investments.services.payments import create_investment


@receiver(round_commitments, dispatch_uid="investments_committed_in_round")
def committed_in_round(sender: type, *, round: Round, **kwargs: Any) -> dict[int, Decimal]:
    """Every award in ``round`` that still counts against its budget, by tier."""
    return dict(
        Investment.objects.committed()
        .filter(round=round)
        .values("tier")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("tier", "total")
    )


@receiver(award_made, dispatch_uid="investments_award_made")
def invest(
    sender: type,
    *,
    application: Application,
    amount: Decimal,
    start_date: date,
    mentor_required: bool,
    conditions: str,
    **kwargs: Any,
) -> Investment:
    """An award becomes an investment with its tranches and its progress updates."""
    investment = create_investment(
        application=application,
        amount=amount,
        start_date=start_date,
        mentor_required=mentor_required,
        conditions=conditions,
    )
    schedule_updates(investment=investment)
    return investment
