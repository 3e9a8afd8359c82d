"""The SROI page's filters: round, tier, place, theme and the financial year investments started."""

from datetime import date

import django_filters

from fund.models import Fund
from investments.filters import FundInvestmentFilter
from investments.models import Investment
from reporting.figures import financial_year, financial_year_label


class SroiFilter(FundInvestmentFilter):
    year = django_filters.ChoiceFilter(
        label="Financial year started", method="started_in", empty_label="All years", choices=[]
    )

    class Meta(FundInvestmentFilter.Meta):
        fields = ["round", "tier", "place", "theme", "year"]

    def __init__(self, *args, fund: Fund, **kwargs):
        kwargs.setdefault("queryset", Investment.objects.committed().filter(round__fund=fund))
        super().__init__(*args, funds=[fund], **kwargs)
        starts = Investment.objects.filter(round__fund=fund).dates("start_date", "month")
        years = sorted({financial_year(day) for day in starts}, reverse=True)
        self.filters["year"].extra["choices"] = [(str(year), financial_year_label(year)) for year in years]

    def started_in(self, queryset, name, value):
        year = int(value)
        return queryset.filter(start_date__gte=date(year, 4, 1), start_date__lt=date(year + 1, 4, 1))

    @property
    def scope(self) -> str:
        """The filters chosen, in words: 'All investments' when none are."""
        if not self.is_bound or not self.form.is_valid():
            return "All investments"
        words = []
        for name in self.Meta.fields:
            value = self.form.cleaned_data.get(name)
            if not value:
                continue
            if name == "year":
                words.append(f"started in {financial_year_label(int(value))}")
            else:
                words.append(f"{self.form.fields[name].label or name.title()}: {value}")
        return "; ".join(words) or "All investments"

    @property
    def chosen(self) -> dict[str, str]:
        """The filters chosen, as stored with a board pack so it can be made again."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {name: str(self.data[name]) for name in self.Meta.fields if self.data.get(name)}
