"""Demo social value: a past round of small investments that have reported back, with their
outcomes valued, so the SROI page and the board pack have something real to show.

Used by ``seed_demo`` only. The groups and people are made up. Everything goes through the
same services a person would use, then dates are moved back a year so the round is in the past.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from applications.models import BudgetLine, Goal, MatchFunding
from applications.services import applying
from assessment import services as assessment
from fund import services as fund_services
from fund.models import Fund, Round
from investments.models import GoalProgress, Investment, PaymentEntry
from investments.services import monitoring, offers, payments
from organisations import services as organisation_services
from organisations.models import Organisation
from reporting.models import FinancialProxy, OutcomeRecord
from reporting.starter import load_starter_proxies

PAST_ROUND = "Round 0: 2025 to 2026"
BASE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class PastGroup:
    name: str
    email: str
    person: str
    place: str
    theme: str
    amount: str
    title: str
    goal: str
    story: str
    anonymous: bool
    people: int
    hours: str
    outcomes: tuple[tuple[str, str], ...]  # (proxy name, quantity)
    self_sustaining: bool
    match_funding: tuple[str, str] | None = None  # (from whom, amount) secured alongside


PAST_GROUPS = [
    PastGroup(
        name="Leigh Walking Football",
        email="walkingfootball@demo.example",
        person="Wes Walker",
        place="Leigh",
        theme="Healthy years of life",
        amount="1800.00",
        title="Walking football for the over-60s",
        goal="Older men in Leigh get active every week",
        story="Ray had not left the house much since his heart operation. He now plays every Tuesday "
        "and says his GP has cut one of his tablets.",
        anonymous=True,
        people=46,
        hours="310",
        outcomes=(("GP appointment avoided", "24"), ("Regular volunteering", "2")),
        self_sustaining=True,
        match_funding=("Leigh Sports Village Trust, pitch time in kind", "1200.00"),
    ),
    PastGroup(
        name="Standish Community Pantry",
        email="pantry@demo.example",
        person="Pat Pantry",
        place="Standish, Orrell and Shevington",
        theme="Early intervention and prevention",
        amount="2000.00",
        title="A community pantry with debt advice on Thursdays",
        goal="Families in Standish can put food on the table without a crisis",
        story="A mum of three came in for food and left with her rent arrears on a payment plan. "
        "She volunteers on the till now.",
        anonymous=True,
        people=180,
        hours="300",
        outcomes=(("Volunteer hour", "300"), ("GP appointment avoided", "20")),
        self_sustaining=True,
        match_funding=("A supermarket's community grant", "1500.00"),
    ),
    PastGroup(
        name="Ashton Young Carers",
        email="youngcarers@demo.example",
        person="Yasmin Young",
        place="Ashton, Bryn and Hindley",
        theme="Children get the best start in life",
        amount="1500.00",
        title="Saturday club for young carers",
        goal="Young carers get a break and someone to talk to",
        story="Our Saturday club gave twelve young carers a morning off each week. Two told their "
        "teachers about home for the first time.",
        anonymous=False,
        people=12,
        hours="220",
        outcomes=(("Regular volunteering", "1"), ("A&E attendance avoided", "3")),
        self_sustaining=False,
    ),
    PastGroup(
        name="Wigan North Job Club",
        email="jobclub@demo.example",
        person="Jo Jobs",
        place="Wigan North",
        theme="Work and skills",
        amount="1950.00",
        title="A weekly job club in the library",
        goal="People out of work in Wigan North find jobs that last",
        story="Seven people found work through the club this year, two of them after more than a year out.",
        anonymous=False,
        people=64,
        hours="150",
        outcomes=(("Person into work from out-of-work benefits", "1"), ("Volunteer hour", "150")),
        self_sustaining=False,
    ),
]


def seed_social_value(fund: Fund, current_round: Round) -> None:
    """Starter proxies, a past round of four reported investments, and outcome records for them
    and for the men's shed in the current round. Does nothing it has done before."""
    finance = User.objects.get(email="finance@demo.example")
    officer = User.objects.get(email="officer@demo.example")
    load_starter_proxies(fund=fund, by=finance)
    proxies = {
        current.name: proxy
        for proxy in FinancialProxy.objects.filter(fund=fund)
        if (current := proxy.current) is not None
    }
    past = Round.objects.filter(fund=fund, name=PAST_ROUND).first()
    if past is None:
        past = _past_round(fund, officer, proxies)
    shed = Investment.objects.filter(
        round=current_round, application__organisation__name="Atherton Men's Shed"
    ).first()
    if shed and not shed.outcome_records.exists():
        OutcomeRecord.objects.create(
            investment=shed,
            proxy=proxies["Regular volunteering"],
            quantity=Decimal("4"),
            period_start=shed.start_date,
            period_end=shed.start_date + timedelta(days=180),
            evidence="Four members run the tool library rota every week (the shed's sign-in book).",
            deadweight=Decimal("0.40"),
            override_reason="Half the members already met informally before the shed opened.",
            recorded_by=finance,
        )


def _past_round(fund: Fund, officer: User, proxies: dict[str, FinancialProxy]) -> Round:
    now = timezone.now()
    small = fund.tiers.get(name="Small")
    past = fund_services.save_round(
        fund=fund,
        round=None,
        name=PAST_ROUND,
        description="The first round: small investments decided by a fund officer.",
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=7),
        budget=Decimal("50000.00"),
        status=Round.Status.PUBLISHED,
        allocations={small: Decimal("50000.00")},
    )
    for group in PAST_GROUPS:
        _award(past, group, officer)
    # Move the round and what happened in it back a year.
    year = timedelta(days=364)
    Round.objects.filter(pk=past.pk).update(opens_at=F("opens_at") - year, closes_at=F("closes_at") - year)
    investments = Investment.objects.filter(round=past)
    investments.update(
        start_date=F("start_date") - year, end_date=F("end_date") - year, created_at=F("created_at") - year
    )
    for investment in investments.select_related("application__organisation"):
        investment.updates.update(
            due_date=F("due_date") - year,
            submitted_at=F("submitted_at") - year,
            acknowledged_at=F("acknowledged_at") - year,
            story_approved_at=F("story_approved_at") - year,
        )
        investment.payments.update(due_date=F("due_date") - year)
        PaymentEntry.objects.filter(payment__investment=investment).update(
            paid_on=F("paid_on") - year, recorded_at=F("recorded_at") - year
        )
        _value(investment, proxies)
    past.refresh_from_db()
    return past


def _award(round: Round, group: PastGroup, officer: User) -> None:
    owner = User.objects.filter(email=group.email).first() or User.objects.create_user(
        email=group.email, password=None, full_name=group.person
    )
    EmailAddress.objects.update_or_create(user=owner, email=owner.email, defaults={"verified": True})
    places = list(round.fund.places.filter(name=group.place))
    organisation = organisation_services.create_organisation(
        by=owner,
        places=places,
        name=group.name,
        legal_form=Organisation.LegalForm.UNINCORPORATED,
        address_line_1="Community Centre",
        town=group.place.split(",")[0],
        postcode="WN1 1AA",
        contact_name=group.person,
        contact_email=group.email,
    )
    amount = Decimal(group.amount)
    application = applying.start_application(round=round, organisation=organisation, amount=amount, by=owner)
    applying.save_idea(
        application=application,
        places=places,
        by=owner,
        title=group.title,
        summary=group.title,
        who_it_helps=group.goal,
        why_it_matters=group.goal,
        how_people_involved="Members planned it together.",
    )
    applying.save_item(
        application=application,
        item=Goal(description=group.goal),
        by=owner,
        themes=[round.fund.themes.get(name=group.theme)],
    )
    applying.save_item(application=application, item=BudgetLine(item=group.title, amount=amount), by=owner)
    for slug in ("organisation", "idea", "goals", "budget"):
        applying.mark_section(application=application, slug=slug, completed=True, by=owner)
    applying.declare(application=application, name=owner.full_name, by=owner)
    applying.submit_application(application=application, by=owner, base_url=BASE_URL)
    assessment.mark_eligible(application=application, by=officer)
    assessment.decide(application=application, by=officer, outcome="award", amount=amount, base_url=BASE_URL)
    investment = Investment.objects.get(application=application)
    offers.accept_offer(
        offer=investment.offer, by=owner, signed_name=owner.full_name, signed_position="Chair", agreed=True
    )
    if group.match_funding:
        source, value = group.match_funding
        MatchFunding.objects.create(
            application=application, source=source, amount=Decimal(value), in_kind="in kind" in source
        )
    finance = User.objects.get(email="finance@demo.example")
    for payment in investment.payments.all():
        payments.record_payment(
            payment=payment,
            by=finance,
            paid_on=timezone.localdate(),
            amount=payment.amount,
            reference=f"DEMO-{payment.pk:05d}",
        )
    goal = application.goals.get()
    for update in investment.updates.order_by("number"):
        monitoring.save_update(
            update=update,
            by=owner,
            goals={goal.pk: monitoring.GoalAnswer(status=GoalProgress.Status.ON_TRACK, value=None, note="")},
            story=group.story if update.final else "",
            story_consent=update.final,
            story_anonymous=group.anonymous,
            people_reached=group.people,
            volunteer_hours=Decimal(group.hours),
            today=update.due_date,  # each sent on the day it was due
        )
        monitoring.submit_update(update=update, by=owner, today=update.due_date)
        monitoring.acknowledge_update(update=update, by=officer, comment="Thank you.", base_url=BASE_URL)
        if update.final:
            # The fund team read each story and approved it for the public pages and the board pack.
            monitoring.approve_story(update=update, by=officer)
    monitoring.close_investment(
        investment=investment,
        by=officer,
        outcome=(Investment.Outcome.SELF_SUSTAINING if group.self_sustaining else Investment.Outcome.ENDED),
        lessons="Small, local and run by the people it helps.",
    )


def _value(investment: Investment, proxies: dict[str, FinancialProxy]) -> None:
    group = next(g for g in PAST_GROUPS if g.name == investment.application.organisation.name)
    update = investment.updates.filter(final=True).first()
    for proxy_name, quantity in group.outcomes:
        OutcomeRecord.objects.create(
            investment=investment,
            proxy=proxies[proxy_name],
            quantity=Decimal(quantity),
            period_start=investment.start_date,
            period_end=investment.end_date or investment.start_date + timedelta(days=364),
            evidence=f"From the group's final update and its own records ({group.person}).",
            goal=investment.application.goals.first(),
            update=update,
        )
