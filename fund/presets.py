"""Tier bands a council can start a fund from.

The Deal for Communities shape: small investments up to £2,000 decided by an
officer on a short form; start-ups up to £10,000 scored by a panel; big ideas
over £10,000 for constituted organisations, with partners, a sustainability plan,
a three-year budget and a named mentor.
"""

from decimal import Decimal

from fund.models import Tier

DEAL_FOR_COMMUNITIES_TIERS = [
    dict(
        name="Small",
        minimum_amount=Decimal("0.01"),
        maximum_amount=Decimal("2000.00"),
        description="For a small project, decided quickly by a fund officer.",
        decision_route=Tier.DecisionRoute.OFFICER,
        reviewers_needed=0,
        update_cadence_months=0,
        mentor_policy=Tier.MentorPolicy.NONE,
        asks_match_funding=False,
        asks_partners=False,
        payment_tranches=1,
        payment_interval_months=0,
    ),
    dict(
        name="Start-up",
        minimum_amount=Decimal("2000.01"),
        maximum_amount=Decimal("10000.00"),
        description="To start something new, scored by a panel.",
        decision_route=Tier.DecisionRoute.PANEL,
        reviewers_needed=2,
        update_cadence_months=6,
        mentor_policy=Tier.MentorPolicy.OFFERED,
        needs_constitution=True,
        needs_safeguarding_policy=True,
        payment_tranches=2,
        payment_interval_months=6,
    ),
    dict(
        name="Big idea",
        minimum_amount=Decimal("10000.01"),
        maximum_amount=None,
        description="For an idea that changes how services work, with a mentor.",
        decision_route=Tier.DecisionRoute.PANEL,
        reviewers_needed=3,
        update_cadence_months=3,
        mentor_policy=Tier.MentorPolicy.REQUIRED,
        constituted_only=True,
        asks_sustainability_plan=True,
        partners_required=True,
        budget_years=3,
        payment_tranches=12,
        payment_interval_months=3,
        needs_constitution=True,
        needs_accounts=True,
        needs_safeguarding_policy=True,
    ),
]
