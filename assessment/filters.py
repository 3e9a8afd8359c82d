"""The officers' queue: filters and the columns it sorts by."""

import django_filters
from django import forms
from django.db.models import Q

from applications.models import Application
from assessment.selectors import STAGES, at_stage
from fund.models import Place, Round, Theme, Tier
from kit.filters import ModelChoiceFilter
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
    round = ModelChoiceFilter(queryset=Round.objects.none(), empty_label="Any round")
    tier = ModelChoiceFilter(queryset=Tier.objects.none(), empty_label="Any tier")
    status = django_filters.ChoiceFilter(
        choices=[choice for choice in Application.Status.choices if choice[0] != Application.Status.DRAFT],
        empty_label="Any status",
    )
    place = ModelChoiceFilter(
        queryset=Place.objects.none(), field_name="places", empty_label="Any place", label="Place"
    )
    theme = ModelChoiceFilter(
        queryset=Theme.objects.none(),
        field_name="goals__themes",
        empty_label="Any theme",
        distinct=True,
        label="Theme",
    )
    stage = django_filters.ChoiceFilter(
        choices=STAGES, method="by_stage", empty_label="Any stage", label="Stage"
    )
    amount_min = django_filters.NumberFilter(
        field_name="amount_requested", lookup_expr="gte", label="Amount from (£)"
    )
    amount_max = django_filters.NumberFilter(
        field_name="amount_requested", lookup_expr="lte", label="Amount up to (£)"
    )

    class Meta:
        model = Application
        fields = ["q", "round", "tier", "status", "stage", "place", "theme", "amount_min", "amount_max"]
        form = PlainForm

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["round"].queryset = Round.objects.filter(fund__in=funds).select_related("fund")
        self.filters["tier"].queryset = Tier.objects.filter(fund__in=funds)
        self.filters["place"].queryset = Place.objects.filter(fund__in=funds)
        self.filters["theme"].queryset = Theme.objects.filter(fund__in=funds)
        for name in ("amount_min", "amount_max"):
            self.form.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})
            self.form.fields[name].error_messages["invalid"] = "Enter an amount in pounds, like 2000"

    def by_stage(self, queryset, name, value):
        return at_stage(queryset, value)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(organisation__name__icontains=value)
        )
