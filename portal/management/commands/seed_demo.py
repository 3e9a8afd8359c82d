"""Demo data: a fund modelled on Wigan's Deal for Communities Investment Fund.

Safe to run again: it finds what it made before instead of making it twice.
The organisations and people are made up; the fund's shape follows the public
record (three tiers, seven service delivery footprints, seven outcome themes).
"""

from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applications import round_questions
from applications.models import BudgetLine, Document, Goal, MatchFunding, Partner
from applications.services import applying
from assessment import meetings
from assessment import services as assessment
from conversations import services as conversations
from fund import services
from fund.models import Fund, FundRole, Place, Round, Theme, Tier
from fund.presets import DEAL_FOR_COMMUNITIES_TIERS
from investments.models import GoalChange
from investments.services import goal_changes, offers
from mentoring import services as mentoring_services
from mentoring.models import MentorProfile
from organisations import services as organisation_services
from organisations.models import Organisation
from questions import services as question_builder
from questions.models import Kind, Placement
from reporting.demo import seed_social_value

DEMO_PASSWORD = "demo-password-2026"

DEMO_ACCOUNTS = [
    ("officer@demo.example", "Olivia Officer", FundRole.Role.OFFICER),
    ("finance@demo.example", "Farid Finance", FundRole.Role.FINANCE),
    ("panel@demo.example", "Priya Panel", FundRole.Role.PANEL),
    # A big idea needs three panel reviews, a start-up two: the demo panel has three members.
    ("panel2@demo.example", "Peter Panel", FundRole.Role.PANEL),
    ("panel3@demo.example", "Pauline Panel", FundRole.Role.PANEL),
    ("mentor@demo.example", "Martin Mentor", FundRole.Role.MENTOR),
    ("applicant@demo.example", "Alex Applicant", None),
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

DEMO_GROUP = dict(
    name="Hindley Green Knit and Natter",
    legal_form=Organisation.LegalForm.UNINCORPORATED,
    address_line_1="Hindley Green Library, Atherton Road",
    town="Wigan",
    postcode="WN2 4SQ",
    contact_name="Alex Applicant",
    contact_email="applicant@demo.example",
)

DEMO_SHED = dict(
    name="Atherton Men's Shed",
    legal_form=Organisation.LegalForm.UNINCORPORATED,
    address_line_1="Unit 3, Colliery Lane",
    town="Atherton",
    postcode="M46 0RD",
    contact_name="Sid Shed",
    contact_email="shed@demo.example",
)

DEMO_HUB = dict(
    name="Scholes Community Hub",
    legal_form=Organisation.LegalForm.CIO,
    charity_number="1180000",
    address_line_1="Scholes Precinct",
    town="Wigan",
    postcode="WN1 3NH",
    contact_name="Hannah Hub",
    contact_email="hub@demo.example",
)

# A tiny valid PDF standing in for a group's documents.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CRITERIA = [
    ("Difference for local people", "Who will be better off, and how, in the group's own words.", 3),
    ("Community involvement", "Local people shaped the idea and will help run it.", 2),
    ("Becoming self-sustaining", "A believable route to keep going without the council's money.", 2),
    ("Working with others", "Partners, match funding and links to local services.", 1),
    ("Value for money", "The budget is realistic and the investment is proportionate.", 1),
]


ELIGIBLE = "Is your group based in Wigan borough, or does it work mainly with people who live here?"
ACCESS = "Can wheelchair users get into the building?"


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
                # A big idea over £25,000 needs a second officer's approval at the panel meeting.
                signoff_limit=Decimal("25000.00"),
            ),
        )
        tiers = []
        for values in DEAL_FOR_COMMUNITIES_TIERS:
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
        closes_at = existing.closes_at if existing else now + timedelta(days=60)
        round = services.save_round(
            fund=fund,
            round=existing,
            name="Round 1: 2026 to 2027",
            description="Ideas that help people stay well and independent in their own community.",
            opens_at=existing.opens_at if existing else now - timedelta(days=14),
            closes_at=closes_at,
            # Three weeks for the panel after the round closes.
            review_deadline=timezone.localdate(closes_at) + timedelta(days=21),
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

        self._seed_questions(round)
        self._seed_groups(round)
        seed_social_value(fund, round)

        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {fund.name}, {round.name}."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, _name, role in DEMO_ACCOUNTS:
            label = FundRole.Role(role).label if role else "Applicant (community group member)"
            self.stdout.write(f"  {label:<36} {email}")

    def _seed_questions(self, round: Round) -> None:
        """The round's own questions: one that checks a group can apply, and a section on the venue."""
        if round.question_sections.exists():
            return
        start = question_builder.save_section(
            round=round,
            title="Can you apply?",
            hint="A question to check this fund is for you",
            placement=Placement.START,
        )
        question_builder.add_question(
            section=start,
            wording={
                "kind": Kind.YES_NO,
                "label": ELIGIBLE,
                "stopping_answers": ["No"],
                "stop_reason": (
                    "This fund is for groups based in Wigan borough, or working mainly with people who live "
                    "here. Your local council or community foundation may have a fund for your area."
                ),
            },
            tiers=[],
        )
        venue = question_builder.save_section(
            round=round,
            title="Where it happens",
            hint="The place your project uses",
            placement=Placement.IDEA,
        )
        question_builder.add_question(
            section=venue,
            wording={
                "kind": Kind.SHORT_TEXT,
                "label": "Where will your project meet?",
                "hint": "For example: Hindley Green library, the community room",
            },
            tiers=[],
        )
        question_builder.add_question(
            section=venue,
            wording={"kind": Kind.YES_NO, "label": ACCESS},
            tiers=[],
        )

    def _answer_questions(
        self, application, by: User, answers: dict[str, str], *, complete: bool = True
    ) -> None:
        """Answer the round's own questions by their wording, and say each section is done."""
        for own in round_questions.own_sections(application):
            values = {
                question.pk: answers[question.label]
                for question in own.questions
                if question.label in answers
            }
            if not values:
                continue
            applying.save_answers(
                application=application, section_pk=own.section.pk, values=values, uploads={}, by=by
            )
            if complete and len(values) == len(own.questions):
                applying.mark_section(application=application, slug=own.slug, completed=True, by=by)

    def _seed_groups(self, round: Round) -> None:
        """A made-up group for the demo applicant, with an application part-way through,
        and a submitted big idea from another made-up group for the officer to read."""
        applicant = User.objects.get(email="applicant@demo.example")
        knitters = Organisation.objects.filter(name=DEMO_GROUP["name"]).first()
        if knitters is None:
            knitters = organisation_services.create_organisation(
                by=applicant, places=list(round.fund.places.filter(name="Wigan South")), **DEMO_GROUP
            )
        if not knitters.applications.exists():
            draft = applying.start_application(
                round=round, organisation=knitters, amount=Decimal("1800.00"), by=applicant
            )
            applying.save_idea(
                application=draft,
                places=list(round.fund.places.filter(name="Wigan South")),
                by=applicant,
                title="Knit and natter at Hindley Green library",
                summary="Weekly afternoons of knitting, tea and conversation, with lifts if needed.",
            )
            self._answer_questions(draft, applicant, {ELIGIBLE: "Yes"})

        hub_owner = User.objects.filter(email="hub@demo.example").first() or User.objects.create_user(
            email="hub@demo.example", password=DEMO_PASSWORD, full_name="Hannah Hub"
        )
        EmailAddress.objects.update_or_create(
            user=hub_owner, email=hub_owner.email, defaults={"verified": True, "primary": True}
        )
        hub = Organisation.objects.filter(name=DEMO_HUB["name"]).first()
        if hub is None:
            hub = organisation_services.create_organisation(
                by=hub_owner, places=list(round.fund.places.filter(name="Wigan Central")), **DEMO_HUB
            )
        if not hub.applications.exists():
            self._submitted_big_idea(round, hub, hub_owner)
        if not round.meetings.exists():
            # The panel meets once the reviews are in: the big idea is on its agenda.
            meetings.save_meeting(
                round=round,
                by=User.objects.get(email="officer@demo.example"),
                held_on=timezone.localdate() + timedelta(days=21),
                attendees="Councillor Jones (chair), two residents from the area, the fund officer",
                notes="",
            )
        self._awarded_small(round)

    def _awarded_small(self, round: Round) -> None:
        """A made-up men's shed with a small investment awarded, and the demo mentor named for it."""
        mentor = User.objects.get(email="mentor@demo.example")
        profile, _ = MentorProfile.objects.get_or_create(user=mentor, defaults={"capacity": 4})
        profile.places.set(round.fund.places.filter(name__in=["Atherton and Tyldesley", "Leigh"]))
        profile.expertise.set(
            round.fund.themes.filter(name__in=["Less loneliness and isolation", "Work and skills"])
        )
        owner = User.objects.filter(email="shed@demo.example").first() or User.objects.create_user(
            email="shed@demo.example", password=DEMO_PASSWORD, full_name="Sid Shed"
        )
        EmailAddress.objects.update_or_create(
            user=owner, email=owner.email, defaults={"verified": True, "primary": True}
        )
        shed = Organisation.objects.filter(name=DEMO_SHED["name"]).first()
        if shed is None:
            shed = organisation_services.create_organisation(
                by=owner, places=list(round.fund.places.filter(name="Atherton and Tyldesley")), **DEMO_SHED
            )
        if shed.applications.exists():
            return
        application = applying.start_application(
            round=round, organisation=shed, amount=Decimal("1950.00"), by=owner
        )
        applying.save_idea(
            application=application,
            places=list(round.fund.places.filter(name="Atherton and Tyldesley")),
            by=owner,
            title="Atherton men's shed tool library",
            summary="Tools to borrow and a weekly repair morning in the shed.",
            who_it_helps="Retired men living alone in Atherton.",
            why_it_matters="Men here are the least likely to come to any group.",
            how_people_involved="Twelve members designed the tool library.",
        )
        theme = round.fund.themes.get(name="Less loneliness and isolation")
        applying.save_item(
            application=application,
            item=Goal(description="Fewer older men in Atherton feel alone"),
            by=owner,
            themes=[theme],
        )
        applying.save_item(
            application=application,
            item=BudgetLine(item="Tools and a lockable cabinet", amount=Decimal("1950.00")),
            by=owner,
        )
        self._answer_questions(
            application,
            owner,
            {ELIGIBLE: "Yes", "Where will your project meet?": "The shed behind St Michael's", ACCESS: "Yes"},
        )
        for slug in ("organisation", "idea", "goals", "budget"):
            applying.mark_section(application=application, slug=slug, completed=True, by=owner)
        applying.declare(application=application, name=owner.full_name, by=owner)
        applying.submit_application(application=application, by=owner, base_url="http://127.0.0.1:8000")
        officer = User.objects.get(email="officer@demo.example")
        assessment.mark_eligible(application=application, by=officer)
        assessment.decide(
            application=application,
            by=officer,
            outcome="award",
            amount=Decimal("1950.00"),
            # A condition holding back the first payment, for the group to show it is met.
            conditions="Send a copy of the shed's public liability insurance.",
            base_url="http://127.0.0.1:8000",
        )
        application.refresh_from_db()
        # Its owner accepted the offer for the shed.
        offers.accept_offer(
            offer=application.investment.offer,
            by=owner,
            signed_name=owner.full_name,
            signed_position="Treasurer",
            agreed=True,
        )
        mentoring_services.assign_mentor(investment=application.investment, mentor=mentor, by=officer)
        # The shed's bank details, given by its owner and waiting for finance's check by phone.
        organisation_services.give_bank_details(
            organisation=shed,
            by=owner,
            account_name="Atherton Mens Shed",
            sort_code="30-90-89",
            account_number="00733445",
        )
        # A question waiting for the fund team's answer.
        conversations.send(
            application=application,
            by=owner,
            text="Could some of the award pay for a dust extractor? The woodwork corner needs one.",
        )
        # A change of tack waiting for the fund team: a second goal the shed has found it has.
        goal_changes.propose(
            investment=application.investment,
            by=owner,
            kind=GoalChange.Kind.ADD,
            reason="Men who came for the tools now run a repair morning for the whole street.",
            description="Neighbours get things mended instead of thrown away",
            indicator="Items mended at the Saturday repair morning",
            target=Decimal("200"),
            unit="items",
        )

    def _submitted_big_idea(self, round: Round, hub: Organisation, by: User) -> None:
        application = applying.start_application(
            round=round, organisation=hub, amount=Decimal("73969.00"), by=by
        )
        applying.save_idea(
            application=application,
            places=list(round.fund.places.filter(name="Wigan Central")),
            by=by,
            title="Scholes digital skills hub",
            summary="Free computer classes, a job club and devices to borrow.",
            who_it_helps="People out of work in Scholes, and older people cut off by digital services.",
            why_it_matters="One household in five here has no internet at home.",
            how_people_involved="Forty residents came to two planning days and chose the classes.",
            sustainability_plan="Room hire and a training contract with the college pay for it from year 3.",
        )
        theme = round.fund.themes.get(name="Work and skills")
        for description in ("More people in Scholes get work", "People feel confident doing things online"):
            applying.save_item(
                application=application, item=Goal(description=description), by=by, themes=[theme]
            )
        applying.save_item(
            application=application,
            item=MatchFunding(source="National Lottery Community Fund", amount=Decimal("20000.00")),
            by=by,
        )
        for year, amount in ((1, "40000.00"), (2, "35000.00"), (3, "18969.00")):
            applying.save_item(
                application=application,
                item=BudgetLine(
                    item=f"Tutors, rooms and devices, year {year}", amount=Decimal(amount), year=year
                ),
                by=by,
            )
        applying.save_item(
            application=application,
            item=Partner(name="Wigan and Leigh College", role="Accredits the courses and lends tutors."),
            by=by,
        )
        for kind in (Document.Kind.CONSTITUTION, Document.Kind.ACCOUNTS, Document.Kind.SAFEGUARDING):
            applying.upload_document(
                application=application,
                kind=kind,
                upload=SimpleUploadedFile(f"{kind}.pdf", DEMO_PDF, "application/pdf"),
                by=by,
            )
        self._answer_questions(
            application,
            by,
            {ELIGIBLE: "Yes", "Where will your project meet?": "Scholes community centre", ACCESS: "Yes"},
        )
        for slug in ("organisation", "idea", "goals", "match-funding", "budget", "partners", "documents"):
            applying.mark_section(application=application, slug=slug, completed=True, by=by)
        applying.declare(application=application, name=by.full_name, by=by)
        applying.submit_application(application=application, by=by, base_url="http://127.0.0.1:8000")
        # The fund team has checked it and asked the three demo panel members to review it.
        officer = User.objects.get(email="officer@demo.example")
        assessment.mark_eligible(application=application, by=officer, notes="Constitution checked.")
        for email in ("panel@demo.example", "panel2@demo.example", "panel3@demo.example"):
            assessment.assign_reviewer(
                application=application, reviewer=User.objects.get(email=email), by=officer
            )
