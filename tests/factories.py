"""factory-boy factories for every model of the portal's apps (``tests/test_factories.py`` holds
them to that), and helpers that build a whole scene through the services.

Neither changes an object it is given or one other objects share: a helper that needs something set
up differently builds its own (``awarded_investment`` makes its own fund unless given a round)."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from applications.models import (
    Answer,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    BudgetLine,
    Document,
    Goal,
    MatchFunding,
    Partner,
)
from assessment.models import Decision, PanelMeeting, Review, Score
from audit.models import AuditExport
from conversations.models import Message, Reading
from fund.models import (
    DEFAULT_OFFER_TERMS,
    Criterion,
    Fund,
    FundRole,
    Place,
    Round,
    Theme,
    Tier,
    TierAllocation,
)
from fund.presets import DEAL_FOR_COMMUNITIES_TIERS
from investments.models import (
    AwardCondition,
    GoalChange,
    GoalProgress,
    Investment,
    Offer,
    Payment,
    PaymentEntry,
    PaymentRun,
    PaymentRunLine,
    ProgressUpdate,
    SpendReport,
)
from investments.rules import add_months
from mentoring.models import Assignment, Concern, MentorProfile, Note
from notifications.models import Kind, Notification, Preference
from organisations.models import BankDetails, Invitation, Membership, Organisation
from privacy.models import Erasure
from questions.models import Kind as QuestionKind
from questions.models import LibraryQuestion, Placement, Question, QuestionSection
from reporting.models import BoardPack, FinancialProxy, OutcomeRecord, ProxyVersion
from team.models import TeamInvitation

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Email addresses are verified unless ``verified=False`` is passed."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    name = factory.Sequence(lambda n: f"Community Fund {n}")
    slug = factory.Sequence(lambda n: f"community-fund-{n}")
    council_name = "Example Borough Council"
    org_identifier = "GB-LAE-EXA"
    grant_prefix = "360G-example"
    reference_prefix = "CIF"


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Footprint {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Outcome objective {n}")


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Tier {n}")
    minimum_amount = Decimal("0.01")
    maximum_amount = Decimal("2000.00")
    decision_route = Tier.DecisionRoute.OFFICER
    reviewers_needed = 0
    update_cadence_months = 0
    mentor_policy = Tier.MentorPolicy.NONE


def fund_with_tiers(*, decided_by_officer: bool = False, **kwargs) -> Fund:
    """A fund with the Deal for Communities bands: small, start-up and big idea.

    With ``decided_by_officer`` every tier is decided by a fund officer without a panel, as
    ``awarded_investment`` needs."""
    fund = FundFactory(**kwargs)
    officer_route = dict(decision_route=Tier.DecisionRoute.OFFICER, reviewers_needed=0)
    for values in DEAL_FOR_COMMUNITIES_TIERS:
        TierFactory(fund=fund, **{**values, **(officer_route if decided_by_officer else {})})
    return fund


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    budget = Decimal("100000.00")
    status = Round.Status.PUBLISHED


class TierAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TierAllocation

    round = factory.SubFactory(RoundFactory)
    tier = factory.SubFactory(TierFactory, fund=factory.SelfAttribute("..round.fund"))
    amount = Decimal("10000.00")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(RoundFactory)
    title = factory.Sequence(lambda n: f"Criterion {n}")
    guidance = "What a strong answer shows."
    weight = Decimal("1.00")
    scale_max = 5


class QuestionSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionSection

    round = factory.SubFactory(RoundFactory)
    title = factory.Sequence(lambda n: f"About your venue {n}")
    placement = Placement.IDEA


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(QuestionSectionFactory)
    kind = QuestionKind.SHORT_TEXT
    label = factory.Sequence(lambda n: f"Where will you meet? ({n})")
    position = factory.Sequence(lambda n: n + 1)


class LibraryQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryQuestion

    fund = factory.SubFactory(FundFactory)
    kind = QuestionKind.YES_NO
    label = factory.Sequence(lambda n: f"Is your group based in the borough? ({n})")


def question_of_each_kind(section: QuestionSection) -> dict[str, Question]:
    """One question of every kind in ``section``, each required, by kind."""
    extra = {
        QuestionKind.LONG_TEXT: {"word_limit": 5},
        QuestionKind.ONE_OF: {"options": ["A hall", "A park", "Online"]},
        QuestionKind.SEVERAL_OF: {"options": ["Older people", "Young people", "Families"]},
    }
    return {
        kind: QuestionFactory(section=section, kind=kind, label=f"The {kind} question", **extra.get(kind, {}))
        for kind in QuestionKind.values
    }


class FundRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundRole

    user = factory.SubFactory(UserFactory)
    fund = factory.SubFactory(FundFactory)
    role = FundRole.Role.OFFICER


def staff(role: str, fund: Fund, **user_kwargs) -> User:
    """A person holding ``role`` in ``fund``."""
    user = UserFactory(**user_kwargs)
    FundRoleFactory(user=user, fund=fund, role=role)
    return user


# --- Applications -----------------------------------------------------------


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Hindley Green Community Group {n}")
    legal_form = Organisation.LegalForm.UNINCORPORATED
    address_line_1 = "12 Market Street"
    town = "Wigan"
    postcode = "WN1 1YN"
    contact_name = factory.Faker("name", locale="en_GB")
    contact_email = factory.Sequence(lambda n: f"contact{n}@group.example.org")

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        """``members=[user, ...]``: the first is the owner."""
        if create and extracted:
            for index, user in enumerate(extracted):
                role = Membership.Role.OWNER if index == 0 else Membership.Role.MEMBER
                Membership.objects.create(organisation=obj, user=user, role=role)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


class BankDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankDetails

    organisation = factory.SubFactory(OrganisationFactory)
    account_name = factory.SelfAttribute("organisation.name")
    sort_code = "309089"
    account_number = "00733445"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft small-tier application in an open round of a fund with the usual tiers."""

    class Meta:
        model = Application

    round = factory.SubFactory(RoundFactory, fund=factory.LazyFunction(fund_with_tiers))
    organisation = factory.SubFactory(OrganisationFactory)
    amount_requested = Decimal("1500.00")
    tier = factory.LazyAttribute(
        lambda o: Tier.objects.filter(fund=o.round.fund).for_amount(o.amount_requested).get()
    )
    title = "Warm Wednesdays"


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    application = factory.SubFactory(ApplicationFactory)
    description = "Fewer older people in Hindley feel lonely"
    position = factory.Sequence(lambda n: n)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    application = factory.SubFactory(ApplicationFactory)
    item = "Hall hire"
    amount = Decimal("500.00")


class MatchFundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchFunding

    application = factory.SubFactory(ApplicationFactory)
    source = "Our own fundraising"
    amount = Decimal("250.00")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    application = factory.SubFactory(ApplicationFactory)
    name = "Hindley Library"
    role = "Lends the room and tells people about the sessions"


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    application = factory.SubFactory(ApplicationFactory)
    kind = Document.Kind.CONSTITUTION
    file = factory.django.FileField(filename="constitution.pdf", data=PDF_BYTES)
    original_name = "constitution.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    application = factory.SubFactory(ApplicationFactory)
    question = factory.LazyAttribute(lambda answer: QuestionFactory(section__round=answer.application.round))
    value = "The church hall"


class ApplicationVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationVersion

    application = factory.SubFactory(ApplicationFactory)
    number = 1
    answers = factory.LazyFunction(list)
    submitted_at = factory.LazyFunction(timezone.now)


class ApplicationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationEvent

    application = factory.SubFactory(ApplicationFactory)
    kind = ApplicationEvent.Kind.SUBMITTED
    actor = factory.SubFactory(UserFactory)


ANSWERS_BY_KIND = {
    QuestionKind.SHORT_TEXT: "The church hall",
    QuestionKind.LONG_TEXT: "Warm and dry",
    QuestionKind.WHOLE_NUMBER: 12,
    QuestionKind.MONEY: "250.00",
    QuestionKind.DATE: "2027-03-27",
}


def answer_every_question(application: Application) -> None:
    """Answer each of the round's own questions the application is asked, with an answer that
    lets it go on."""
    from applications import round_questions

    answered = set(application.question_answers.values_list("question_id", flat=True))
    for own in round_questions.own_sections(application):
        for question in own.questions:
            if question.pk in answered:
                continue
            if question.kind == QuestionKind.FILE:
                document = DocumentFactory(application=application, kind=Document.Kind.ANSWER)
                Answer.objects.create(application=application, question=question, document=document)
                continue
            choices = [choice for choice in question.choices if choice not in question.stopping_answers]
            value = ANSWERS_BY_KIND.get(
                question.kind,
                choices[:1] if question.kind == QuestionKind.SEVERAL_OF else choices[0] if choices else None,
            )
            Answer.objects.create(application=application, question=question, value=value)
    round_questions.forget(application)


def ready_to_submit(application: Application) -> Application:
    """Fill in every section the application's tier asks, as a group would."""
    from applications.sections import required_documents, sections_for

    answer_every_question(application)

    place = application.round.fund.places.create(name=f"Place for {application.pk}")
    application.summary = application.who_it_helps = application.why_it_matters = "Answered"
    application.how_people_involved = application.sustainability_plan = "Answered"
    application.save()
    application.places.add(place)
    GoalFactory(application=application)
    BudgetLineFactory(application=application, amount=application.amount_requested)
    if application.tier.partners_required:
        PartnerFactory(application=application)
    for kind in required_documents(application):
        DocumentFactory(application=application, kind=kind)
    application.declared_at = timezone.now()
    application.declaration_name = "Sam Hughes"
    application.completed_sections = [section.slug for section in sections_for(application)]
    application.save()
    return application


def submitted_application(**kwargs) -> Application:
    """A submitted application, ready for the fund team's check."""
    member = kwargs.pop("member", None) or UserFactory()
    if "organisation" not in kwargs:
        kwargs["organisation"] = OrganisationFactory(members=[member])
    application = ready_to_submit(ApplicationFactory(**kwargs))
    from applications.services.applying import submit_application

    return submit_application(application=application, by=member, base_url="http://testserver")


def first_update_due_now() -> date:
    """A start date for a start-up investment (an update every six months) whose first update is
    due about today, so its window is open and the group can write it."""
    return add_months(timezone.localdate(), -6)


def awarded_investment(
    *, amount_requested=Decimal("5000.00"), member=None, start_date=None, round=None, accepted=True, **kwargs
):
    """An application awarded in full by a fund officer, with its investment, whose offer the
    group's member has accepted (``accepted=False``: the offer still waits).

    Without ``round`` it is made in a round of its own fund, whose tiers an officer decides. A
    ``round`` given must be of such a fund (``fund_with_tiers(decided_by_officer=True)``): the
    helper never changes the tier, which the round's other applications share."""
    from assessment import services as assessment

    member = member or UserFactory()
    round = round or RoundFactory(fund=fund_with_tiers(decided_by_officer=True))
    application = submitted_application(
        amount_requested=amount_requested, member=member, round=round, **kwargs
    )
    if application.tier.decision_route != Tier.DecisionRoute.OFFICER:
        raise ValueError(
            f"awarded_investment decides as an officer, but {application.tier.name} applications in "
            f"{round.name} go to a panel: pass a round of fund_with_tiers(decided_by_officer=True)."
        )
    officer = staff(FundRole.Role.OFFICER, application.round.fund)
    assessment.mark_eligible(application=application, by=officer)
    assessment.decide(
        application=application,
        by=officer,
        outcome="award",
        amount=amount_requested,
        start_date=start_date or timezone.localdate(),
        base_url="http://testserver",
    )
    application.refresh_from_db()
    if accepted:
        accept(application.investment)
    return application.investment


def accept(investment):
    """The investment's offer, accepted by one of the group's owners (or, in a group with none, by
    whoever started the application, as if they were one)."""
    from investments.models import Offer
    from investments.services.offers import accept_offer

    memberships = investment.application.organisation.memberships
    owner = memberships.filter(role="owner").first()
    if owner is not None:
        accept_offer(
            offer=investment.offer,
            by=owner.user,
            signed_name="Pat Example",
            signed_position="Chair",
            agreed=True,
        )
    else:
        Offer.objects.filter(investment=investment).update(
            status=Offer.Status.ACCEPTED,
            responded_by=investment.application.created_by,
            responded_at=timezone.now(),
            signed_name="Pat Example",
            signed_position="Chair",
        )
    return investment


# --- Assessment -------------------------------------------------------------


def reviewed(round, amount, score=4, *, member=None, conflict_by=None):
    """An application to ``round`` (which has one criterion) with its panel's reviews submitted,
    each scoring ``score``, ready to decide; ``conflict_by`` declared a conflict of interest."""
    from assessment import services as assessment

    application = submitted_application(
        round=round,
        amount_requested=Decimal(amount),
        tier=round.fund.tiers.for_amount(Decimal(amount)).get(),
        member=member,
    )
    officer = staff(FundRole.Role.OFFICER, round.fund)
    assessment.mark_eligible(application=application, by=officer)
    criterion = round.criteria.get()
    for _ in range(application.tier.reviewers_needed):
        review = Review.objects.create(
            application=application,
            reviewer=UserFactory(),
            status=Review.Status.SUBMITTED,
            recommendation="fund",
            submitted_at=timezone.now(),
        )
        Score.objects.create(review=review, criterion=criterion, score=score)
    if conflict_by is not None:
        Review.objects.create(
            application=application,
            reviewer=conflict_by,
            status=Review.Status.CONFLICTED,
            conflict_reason="My sister runs the group.",
            declared_at=timezone.now(),
        )
    Application.objects.filter(pk=application.pk).update(status=Application.Status.IN_REVIEW)
    application.refresh_from_db()
    return application


class ReviewFactory(factory.django.DjangoModelFactory):
    """A panel member's review, waiting for their declaration of interests."""

    class Meta:
        model = Review

    application = factory.SubFactory(
        ApplicationFactory, amount_requested=Decimal("5000.00"), status=Application.Status.IN_REVIEW
    )
    reviewer = factory.SubFactory(UserFactory)
    status = Review.Status.ASSIGNED


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    review = factory.SubFactory(ReviewFactory, status=Review.Status.IN_PROGRESS)
    criterion = factory.SubFactory(
        CriterionFactory, round=factory.SelfAttribute("..review.application.round")
    )
    score = 3


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision not to fund. An award made this way creates no investment: use
    ``awarded_investment`` (or ``InvestmentFactory``) for that."""

    class Meta:
        model = Decision

    application = factory.SubFactory(ApplicationFactory, status=Application.Status.DECLINED)
    outcome = Decision.Outcome.DECLINE
    feedback = "The panel would like to see more about who will run the sessions."
    decided_by = factory.SubFactory(UserFactory)
    decided_at = factory.LazyFunction(timezone.now)


class PanelMeetingFactory(factory.django.DjangoModelFactory):
    """A panel meeting arranged for a round, its decisions not recorded or released yet."""

    class Meta:
        model = PanelMeeting

    round = factory.SubFactory(RoundFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    attendees = "Councillor Ada Jones (chair), two residents, the fund officer"
    created_by = factory.SubFactory(UserFactory)


# --- Investments ------------------------------------------------------------


class InvestmentFactory(factory.django.DjangoModelFactory):
    """An investment of the whole amount asked, with no payments or updates scheduled: for those
    made as an award makes them, use ``awarded_investment``."""

    class Meta:
        model = Investment

    application = factory.SubFactory(ApplicationFactory, status=Application.Status.AWARDED)
    round = factory.SelfAttribute("application.round")
    tier = factory.SelfAttribute("application.tier")
    amount = factory.SelfAttribute("application.amount_requested")
    start_date = factory.LazyFunction(timezone.localdate)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    investment = factory.SubFactory(InvestmentFactory)
    number = factory.Sequence(lambda n: n + 1)
    due_date = factory.SelfAttribute("investment.start_date")
    amount = Decimal("500.00")


class OfferFactory(factory.django.DjangoModelFactory):
    """An offer waiting for the group's answer, on the fund's standard terms."""

    class Meta:
        model = Offer

    investment = factory.SubFactory(InvestmentFactory)
    respond_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=28))
    terms = DEFAULT_OFFER_TERMS


class SpendReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendReport

    update = factory.SubFactory("tests.factories.ProgressUpdateFactory")
    budget_line = factory.SubFactory(BudgetLineFactory)
    amount = Decimal("120.00")


class PaymentRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentRun

    fund = factory.SubFactory(FundFactory)
    number = factory.Sequence(lambda n: n + 1)


class PaymentRunLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentRunLine

    run = factory.SubFactory(PaymentRunFactory)
    payment = factory.SubFactory("tests.factories.PaymentFactory")
    amount = factory.SelfAttribute("payment.amount")
    bank_details = factory.SubFactory(BankDetailsFactory)


class PaymentEntryFactory(factory.django.DjangoModelFactory):
    """Finance's record of the whole tranche paid on its due date."""

    class Meta:
        model = PaymentEntry

    payment = factory.SubFactory(PaymentFactory)
    amount = factory.SelfAttribute("payment.amount")
    paid_on = factory.SelfAttribute("payment.due_date")
    reference = factory.Sequence(lambda n: f"BACS-{n}")
    recorded_by = factory.SubFactory(UserFactory)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    """An update due today, not yet started."""

    class Meta:
        model = ProgressUpdate

    investment = factory.SubFactory(InvestmentFactory)
    number = factory.Sequence(lambda n: n + 1)
    due_date = factory.LazyFunction(timezone.localdate)
    status = ProgressUpdate.Status.DUE


class GoalProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalProgress

    update = factory.SubFactory(ProgressUpdateFactory)
    goal = factory.SubFactory(
        GoalFactory, application=factory.SelfAttribute("..update.investment.application")
    )
    status = GoalProgress.Status.ON_TRACK
    note = "Twelve people came to the first session."


# --- Mentoring --------------------------------------------------------------


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile

    user = factory.SubFactory(UserFactory)
    capacity = 3


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    investment = factory.SubFactory(InvestmentFactory)
    mentor = factory.SubFactory(UserFactory)
    assigned_by = factory.SubFactory(UserFactory)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    investment = factory.SubFactory(InvestmentFactory)
    author = factory.SubFactory(UserFactory)
    kind = Note.Kind.MEETING
    met_on = factory.LazyFunction(timezone.localdate)
    text = "Met the group at the hall; the first sessions are going well."
    visibility = Note.Visibility.PRIVATE


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    investment = factory.SubFactory(InvestmentFactory)
    raised_by = factory.SubFactory(UserFactory)
    text = "The treasurer has left and nobody has taken over the accounts."


# --- Reporting --------------------------------------------------------------


class ProxyVersionFactory(factory.django.DjangoModelFactory):
    """A proxy's values; adjustments default to none, so values are easy to work out."""

    class Meta:
        model = ProxyVersion

    proxy = factory.SubFactory("tests.factories.FinancialProxyFactory", version=None)
    number = factory.LazyAttribute(lambda o: o.proxy.versions.count() + 1)
    name = "Volunteer hour"
    unit = factory.LazyAttribute(lambda o: o.name.lower())
    value = Decimal("19.00")
    kind = ProxyVersion.Kind.SOCIAL
    source = "A published source"
    source_year = 2024
    price_base = "2023/24"
    deadweight = Decimal(0)
    attribution = Decimal(0)
    displacement = Decimal(0)
    drop_off = Decimal(0)
    duration_years = 1
    needs_review = False


class FinancialProxyFactory(factory.django.DjangoModelFactory):
    """A proxy with its first version (``version__value=...`` and so on set it; ``version=None``
    leaves it without one)."""

    class Meta:
        model = FinancialProxy
        skip_postgeneration_save = True

    fund = factory.SubFactory(FundFactory)
    version = factory.RelatedFactory(ProxyVersionFactory, factory_related_name="proxy", number=1)


def financial_proxy(fund: Fund, *, name: str = "Volunteer hour", value: str = "19.00", **values):
    """A proxy with one version; adjustments default to none, so values are easy to work out."""
    values = {f"version__{field}": given for field, given in values.items()}
    return FinancialProxyFactory(fund=fund, version__name=name, version__value=Decimal(value), **values)


class OutcomeRecordFactory(factory.django.DjangoModelFactory):
    """One unit of a proxy of the investment's fund, over the investment's first 90 days."""

    class Meta:
        model = OutcomeRecord

    investment = factory.SubFactory(InvestmentFactory)
    proxy = factory.SubFactory(FinancialProxyFactory, fund=factory.SelfAttribute("..investment.round.fund"))
    quantity = Decimal("1")
    period_start = factory.SelfAttribute("investment.start_date")
    period_end = factory.LazyAttribute(lambda o: o.investment.start_date + timedelta(days=90))


def outcome_record(investment, proxy, quantity: str = "1", **values):
    return OutcomeRecordFactory(investment=investment, proxy=proxy, quantity=Decimal(quantity), **values)


class BoardPackFactory(factory.django.DjangoModelFactory):
    """A board pack asked for, not yet made."""

    class Meta:
        model = BoardPack

    fund = factory.SubFactory(FundFactory)
    scope = "All investments"
    status = BoardPack.Status.REQUESTED
    requested_by = factory.SubFactory(UserFactory)


# --- Privacy ----------------------------------------------------------------


class ErasureFactory(factory.django.DjangoModelFactory):
    """The record of an erasure. It erases nobody: ``person`` is the placeholder left behind."""

    class Meta:
        model = Erasure

    person = factory.SubFactory(
        UserFactory,
        full_name="Removed person",
        email=factory.Sequence(lambda n: f"removed-{n}@removed.invalid"),
        verified=False,
    )
    reference = factory.Sequence(lambda n: f"DP-2026-{n:04d}")
    erased_by = factory.SubFactory(UserFactory)
    summary = factory.LazyFunction(dict)


# --- Team and audit -------------------------------------------------------


class TeamInvitationFactory(factory.django.DjangoModelFactory):
    """An invitation to join a fund's panel, waiting to be accepted."""

    class Meta:
        model = TeamInvitation

    fund = factory.SubFactory(FundFactory)
    email = factory.Sequence(lambda n: f"invited{n}@council.example")
    role = FundRole.Role.PANEL
    invited_by = factory.SubFactory(UserFactory)


class AuditExportFactory(factory.django.DjangoModelFactory):
    """A long period's audit log asked for, not yet made."""

    class Meta:
        model = AuditExport

    requested_by = factory.SubFactory(UserFactory)
    start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    end = factory.LazyFunction(timezone.localdate)


# --- Conversations ----------------------------------------------------------


class MessageFactory(factory.django.DjangoModelFactory):
    """A group member's message on their sent application."""

    class Meta:
        model = Message

    application = factory.SubFactory(
        ApplicationFactory,
        status=Application.Status.SUBMITTED,
        submitted_at=factory.LazyFunction(timezone.now),
    )
    author = factory.SubFactory(UserFactory)
    from_team = False
    text = "We have the quote for the hall now: it is attached."


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reading

    application = factory.SubFactory(
        ApplicationFactory,
        status=Application.Status.SUBMITTED,
        submitted_at=factory.LazyFunction(timezone.now),
    )
    user = factory.SubFactory(UserFactory)
    read_at = factory.LazyFunction(timezone.now)


class AwardConditionFactory(factory.django.DjangoModelFactory):
    """A condition of an award holding back its first tranche, not yet met."""

    class Meta:
        model = AwardCondition

    payment = factory.SubFactory(PaymentFactory, number=1)
    investment = factory.SelfAttribute("payment.investment")
    text = "Send the landowner's written permission for the garden."


class GoalChangeFactory(factory.django.DjangoModelFactory):
    """A group's proposal to change its first goal, waiting for the fund team."""

    class Meta:
        model = GoalChange

    investment = factory.SubFactory(InvestmentFactory)
    kind = GoalChange.Kind.CHANGE
    goal = factory.SubFactory(GoalFactory, application=factory.SelfAttribute("..investment.application"))
    description = "More people who live alone join in each month"
    reason = "Fewer came to the café than we hoped; home visits reach more."
    takes_effect_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


# --- Notifications ----------------------------------------------------------


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = Kind.MESSAGE
    text = "New message about DFC-2026-00001"
    url = "/applications/1/messages/"


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    user = factory.SubFactory(UserFactory)
    kind = Kind.MESSAGE
    channel = "digest"
