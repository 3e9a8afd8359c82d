"""Filters (django-filter) for the officer's work queue and investments."""

import django_filters
from django import forms
from django.db.models import Q

from accounts.models import User
from applications.models import Application
from fund.models import FundRole, Investment, Place, Round, Theme, Tier
from kit.forms import PlainForm

SORTS = {
    "reference": "reference",
    "group": "organisation__name",
    "amount": "amount_requested",
    "submitted": "submitted_at",
    "status": "status",
}


class QueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Reference, project or group name")
    round = django_filters.ModelChoiceFilter(queryset=Round.objects.none(), empty_label="Any round")
    tier = django_filters.ModelChoiceFilter(queryset=Tier.objects.none(), empty_label="Any tier")
    status = django_filters.ChoiceFilter(
        choices=[choice for choice in Application.Status.choices if choice[0] != Application.Status.DRAFT],
        empty_label="Any status",
    )
    place = django_filters.ModelChoiceFilter(
        queryset=Place.objects.none(), field_name="places", empty_label="Any place", label="Place"
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.none(),
        field_name="goals__themes",
        empty_label="Any theme",
        distinct=True,
        label="Theme",
    )
    amount_min = django_filters.NumberFilter(
        field_name="amount_requested", lookup_expr="gte", label="Amount from (£)"
    )
    amount_max = django_filters.NumberFilter(
        field_name="amount_requested", lookup_expr="lte", label="Amount up to (£)"
    )

    class Meta:
        model = Application
        fields = ["q", "round", "tier", "status", "place", "theme", "amount_min", "amount_max"]
        form = PlainForm

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["round"].queryset = Round.objects.filter(fund__in=funds)
        self.filters["tier"].queryset = Tier.objects.filter(fund__in=funds)
        self.filters["place"].queryset = Place.objects.filter(fund__in=funds)
        self.filters["theme"].queryset = Theme.objects.filter(fund__in=funds)
        for name in ("amount_min", "amount_max"):
            self.form.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})
            self.form.fields[name].error_messages["invalid"] = "Enter an amount in pounds, like 2000"

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(organisation__name__icontains=value)
        )


class FundInvestmentFilter(django_filters.FilterSet):
    """Investments by round, tier, place and theme, with choices from the given funds only."""

    round = django_filters.ModelChoiceFilter(queryset=Round.objects.none(), empty_label="Any round")
    tier = django_filters.ModelChoiceFilter(queryset=Tier.objects.none(), empty_label="Any tier")
    place = django_filters.ModelChoiceFilter(
        queryset=Place.objects.none(),
        field_name="application__places",
        empty_label="Any place",
        label="Place",
    )
    theme = django_filters.ModelChoiceFilter(
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
        self.filters["round"].queryset = Round.objects.filter(fund__in=funds)
        self.filters["tier"].queryset = Tier.objects.filter(fund__in=funds)
        self.filters["place"].queryset = Place.objects.filter(fund__in=funds)
        self.filters["theme"].queryset = Theme.objects.filter(fund__in=funds)


class InvestmentFilter(FundInvestmentFilter):
    mentor = django_filters.ModelChoiceFilter(
        queryset=None, method="by_mentor", empty_label="Any mentor", label="Mentor"
    )

    class Meta(FundInvestmentFilter.Meta):
        fields = ["round", "tier", "place", "theme", "mentor"]

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, funds=funds, **kwargs)
        self.filters["mentor"].queryset = User.objects.filter(
            fund_roles__fund__in=funds, fund_roles__role=FundRole.Role.MENTOR
        ).distinct()
        self.form.fields["mentor"].label_from_instance = lambda user: user.get_full_name()

    def by_mentor(self, queryset, name, value):
        return queryset.filter(mentor_assignments__mentor=value, mentor_assignments__ended_at__isnull=True)
