"""Demo data: a fund modelled on Wigan's Deal for Communities Investment Fund.

Safe to run again: it finds what it made before instead of making it twice.
The organisations and people are made up; the fund's shape follows the public
record (three tiers, seven service delivery footprints, seven outcome themes).
"""

from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from fund import services
from fund.models import Fund, FundRole, Place, Round, Theme, Tier

DEMO_PASSWORD = "demo-password-2026"

DEMO_ACCOUNTS = [
    ("officer@demo.example", "Olivia Officer", FundRole.Role.OFFICER),
    ("finance@demo.example", "Farid Finance", FundRole.Role.FINANCE),
    ("panel@demo.example", "Priya Panel", FundRole.Role.PANEL),
    ("mentor@demo.example", "Martin Mentor", FundRole.Role.MENTOR),
    ("applicant@demo.example", "Alex Applicant", None),
]

TIERS = [
    dict(
        name="Small",
        minimum_amount=Decimal("0.01"),
        maximum_amount=Decimal("2000.00"),
        description="Up to £2,000 for a small project, decided quickly by a fund officer.",
        decision_route=Tier.DecisionRoute.OFFICER,
        reviewers_needed=0,
        update_cadence_months=0,
        mentor_policy=Tier.MentorPolicy.NONE,
        asks_match_funding=False,
        asks_partners=False,
    ),
    dict(
        name="Start-up",
        minimum_amount=Decimal("2000.01"),
        maximum_amount=Decimal("10000.00"),
        description="Up to £10,000 to start something new, scored by a panel.",
        decision_route=Tier.DecisionRoute.PANEL,
        reviewers_needed=2,
        update_cadence_months=6,
        mentor_policy=Tier.MentorPolicy.OFFERED,
        needs_constitution=True,
        needs_safeguarding_policy=True,
    ),
    dict(
        name="Big idea",
        minimum_amount=Decimal("10000.01"),
        maximum_amount=None,
        description="More than £10,000 for an idea that changes how services work, with a mentor.",
        decision_route=Tier.DecisionRoute.PANEL,
        reviewers_needed=3,
        update_cadence_months=3,
        mentor_policy=Tier.MentorPolicy.REQUIRED,
        constituted_only=True,
        asks_sustainability_plan=True,
        partners_required=True,
        budget_years=3,
        needs_constitution=True,
        needs_accounts=True,
        needs_safeguarding_policy=True,
    ),
]

PLACES = [
    "Wigan Central",
    "Wigan North",
    "Wigan South",
    "Leigh",
    "Atherton and Tyldesley",
    "Ashton, Bryn and Hindley",
    "Standish, Orrell and Shevington",
]

THEMES = [
    "Wellbeing and independence",
    "Early intervention and prevention",
    "Healthy years of life",
    "Confident, connected communities",
    "Work and skills",
    "Children get the best start in life",
    "Less loneliness and isolation",
]

CRITERIA = [
    ("Difference for local people", "Who will be better off, and how, in the group's own words.", 3),
    ("Community involvement", "Local people shaped the idea and will help run it.", 2),
    ("Becoming self-sustaining", "A believable route to keep going without the council's money.", 2),
    ("Working with others", "Partners, match funding and links to local services.", 1),
    ("Value for money", "The budget is realistic and the investment is proportionate.", 1),
]


class Command(BaseCommand):
    help = "Create (or refresh) the demo fund and one demo account per role. Safe to rerun."

    @transaction.atomic
    def handle(self, *args, **options):
        fund, _ = Fund.objects.update_or_create(
            slug="deal-for-communities",
            defaults=dict(
                name="Deal for Communities Investment Fund",
                council_name="Wigan Council",
                description=(
                    "Investment in community groups' ideas that help local people live healthier, "
                    "more independent lives and reduce demand on public services."
                ),
                org_identifier="GB-LAE-WGN",
                grant_prefix="360G-wigan",
                reference_prefix="DFC",
            ),
        )
        tiers = []
        for values in TIERS:
            tier = Tier.objects.filter(fund=fund, name=values["name"]).first() or Tier(fund=fund)
            for key, value in values.items():
                setattr(tier, key, value)
            tiers.append(tier)
        services.save_tier_bands(fund=fund, tiers=tiers)
        for name in PLACES:
            Place.objects.get_or_create(fund=fund, name=name)
        for name in THEMES:
            Theme.objects.get_or_create(fund=fund, name=name)

        now = timezone.now()
        existing = Round.objects.filter(fund=fund, name="Round 1: 2026 to 2027").first()
        small, start_up, big_idea = tiers
        round = services.save_round(
            fund=fund,
            round=existing,
            name="Round 1: 2026 to 2027",
            description="Ideas that help people stay well and independent in their own community.",
            opens_at=existing.opens_at if existing else now - timedelta(days=14),
            closes_at=existing.closes_at if existing else now + timedelta(days=60),
            budget=Decimal("1000000.00"),
            status=Round.Status.PUBLISHED,
            allocations={
                small: Decimal("100000.00"),
                start_up: Decimal("300000.00"),
                big_idea: Decimal("600000.00"),
            },
        )
        for position, (title, guidance, weight) in enumerate(CRITERIA, start=1):
            criterion = round.criteria.filter(title=title).first()
            services.save_criterion(
                round=round,
                criterion=criterion,
                title=title,
                guidance=guidance,
                weight=Decimal(weight),
                scale_max=5,
            )
            round.criteria.filter(title=title).update(position=position)

        for email, name, role in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if role:
                services.grant_fund_role(user=user, fund=fund, role=role)

        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {fund.name}, {round.name}."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, _name, role in DEMO_ACCOUNTS:
            label = FundRole.Role(role).label if role else "Applicant (community group member)"
            self.stdout.write(f"  {label:<36} {email}")
