from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from accounts.admin import UserAdmin
from accounts.models import User
from fund.models import Criterion, Fund, FundRole, Place, Round, Theme, Tier, TierAllocation
from fund.rules import Band, allocation_problems, commitment_problems, tier_band_problems
from fund.services import committed_in


class TierBandFormSet(BaseInlineFormSet):
    """Checks the fund's tier bands as a whole: contiguous, inclusive at the top."""

    def clean(self):
        super().clean()
        bands = [
            Band(
                form.cleaned_data["name"],
                form.cleaned_data["minimum_amount"],
                form.cleaned_data.get("maximum_amount"),
            )
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("minimum_amount") is not None
        ]
        if problems := tier_band_problems(bands):
            raise ValidationError(problems)


class TierInline(admin.TabularInline):
    model = Tier
    formset = TierBandFormSet
    extra = 0
    fields = [
        "name",
        "minimum_amount",
        "maximum_amount",
        "decision_route",
        "reviewers_needed",
        "update_cadence_months",
        "mentor_policy",
    ]


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "council_name", "org_identifier", "reference_prefix"]
    search_fields = ["name", "council_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TierInline, PlaceInline, ThemeInline]


class AllocationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        budget = self.instance.budget
        if budget is None:
            return
        allocations = [
            (str(form.cleaned_data["tier"]), form.cleaned_data["amount"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("amount") is not None
        ]
        if problems := allocation_problems(budget=budget, allocations=allocations):
            raise ValidationError(problems)
        if self.instance.pk:
            # The admin saves in one transaction: holding the round's row until it commits means an
            # award (which locks it too) cannot slip in between this check and the save.
            Round.objects.select_for_update().filter(pk=self.instance.pk).first()
            chosen = {
                form.cleaned_data["tier"]: form.cleaned_data["amount"]
                for form in self.forms
                if form.cleaned_data
                and form.cleaned_data.get("tier")
                and form.cleaned_data.get("amount") is not None
                and not form.cleaned_data.get("DELETE")
            }
            tiers = {tier: chosen.get(tier) for tier in self.instance.fund.tiers.all()}
            if cuts := commitment_problems(**committed_in(self.instance, budget=budget, allocations=tiers)):
                raise ValidationError([problem for problem, _ in cuts])


class AllocationInline(admin.TabularInline):
    model = TierAllocation
    formset = AllocationFormSet
    extra = 0


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "fund", "opens_at", "closes_at", "budget", "status"]
    list_filter = ["fund", "status"]
    search_fields = ["name"]
    inlines = [AllocationInline, CriterionInline]


@admin.register(FundRole)
class FundRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "fund", "role", "granted_at"]
    list_filter = ["fund", "role"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "fund"]


class FundRoleInline(admin.TabularInline):
    model = FundRole
    extra = 0
    autocomplete_fields = ["fund"]


class PersonWithRolesAdmin(UserAdmin):
    """A person's account with the roles they hold in each fund."""

    list_filter = [*UserAdmin.list_filter, "fund_roles__role"]
    inlines = [FundRoleInline]


admin.site.unregister(User)
admin.site.register(User, PersonWithRolesAdmin)
