"""The filters over investments: by round, tier, place and theme, and for officers by mentor and by
what needs the fund team."""

import django_filters
from django.utils import timezone

from accounts.models import User
from fund.models import FundRole, Place, Round, Theme, Tier
from investments.models import AwardCondition, GoalChange, Investment, ProgressUpdate
from kit.filters import ModelChoiceFilter
from kit.forms import PlainForm


class FundInvestmentFilter(django_filters.FilterSet):
    """Investments by round, tier, place and theme, with choices from the given funds only."""

    round = ModelChoiceFilter(queryset=Round.objects.none(), empty_label="Any round")
    tier = ModelChoiceFilter(queryset=Tier.objects.none(), empty_label="Any tier")
    place = ModelChoiceFilter(
        queryset=Place.objects.none(),
        field_name="application__places",
        empty_label="Any place",
        label="Place",
    )
    theme = ModelChoiceFilter(
        queryset=Theme.objects.none(),
        field_name="application__goals__themes",
        empty_label="Any theme",
        distinct=True,
        label="Theme",
    )

    class Meta:
        model = Investment
        fields = ["round", "tier", "place", "theme"]
        form = PlainForm

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["round"].queryset = Round.objects.filter(fund__in=funds).select_related("fund")
        self.filters["tier"].queryset = Tier.objects.filter(fund__in=funds)
        self.filters["place"].queryset = Place.objects.filter(fund__in=funds)
        self.filters["theme"].queryset = Theme.objects.filter(fund__in=funds)


NEEDS = [
    ("waiting", "An update to read"),
    ("overdue", "An update overdue"),
    ("concern", "A mentor's concern"),
    ("story", "A story to approve"),
    ("condition", "Evidence of a condition to check"),
    ("goals", "A change of goals to agree"),
]


class InvestmentFilter(FundInvestmentFilter):
    mentor = ModelChoiceFilter(queryset=None, method="by_mentor", empty_label="Any mentor", label="Mentor")
    needs = django_filters.ChoiceFilter(
        choices=NEEDS, method="by_need", empty_label="Anything", label="Needs"
    )

    class Meta(FundInvestmentFilter.Meta):
        fields = ["round", "tier", "place", "theme", "mentor", "needs"]

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, funds=funds, **kwargs)
        self.filters["mentor"].queryset = User.objects.filter(
            fund_roles__fund__in=funds, fund_roles__role=FundRole.Role.MENTOR
        ).distinct()
        self.form.fields["mentor"].label_from_instance = lambda user: user.get_full_name()

    def by_need(self, queryset, name, value):
        if value == "waiting":
            return queryset.filter(pk__in=ProgressUpdate.objects.waiting_to_be_read().values("investment"))
        if value == "overdue":
            return queryset.filter(
                pk__in=ProgressUpdate.objects.overdue(timezone.localdate()).values("investment")
            )
        if value == "goals":
            waiting = GoalChange.objects.filter(status=GoalChange.Status.PROPOSED, investment__closed_at=None)
            return queryset.filter(pk__in=waiting.values("investment"))
        if value == "condition":
            sent = AwardCondition.objects.filter(status=AwardCondition.Status.SENT)
            return queryset.filter(pk__in=sent.values("investment"))
        if value == "story":
            return queryset.filter(pk__in=ProgressUpdate.objects.stories_to_approve().values("investment"))
        # Concerns are mentoring's, read through the relation it declares.
        return queryset.filter(concerns__resolved_at__isnull=True).distinct()

    def by_mentor(self, queryset, name, value):
        return queryset.filter(mentor_assignments__mentor=value, mentor_assignments__ended_at__isnull=True)
