from django.contrib import admin

from applications.models import (
    Application,
    ApplicationVersion,
    BudgetLine,
    Document,
    Goal,
    MatchFunding,
    Partner,
)


class GoalInline(admin.StackedInline):
    model = Goal
    extra = 0


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class MatchFundingInline(admin.TabularInline):
    model = MatchFunding
    extra = 0


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


DOCUMENT_FIELDS = ("kind", "original_name", "content_type", "size", "uploaded_at")


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = readonly_fields = DOCUMENT_FIELDS


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "round", "tier", "amount_requested", "status", "submitted_at"]
    list_filter = ["status", "round__fund", "round", "tier"]
    search_fields = ["reference", "title", "organisation__name"]
    readonly_fields = ["reference", "submitted_at", "withdrawn_at", "created_at", "updated_at"]
    filter_horizontal = ["places"]
    inlines = [GoalInline, BudgetLineInline, MatchFundingInline, PartnerInline, DocumentInline]


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(admin.ModelAdmin):
    list_display = ["application", "number", "submitted_at", "submitted_by"]
    readonly_fields = ["application", "number", "answers", "submitted_by", "submitted_at"]

    def has_add_permission(self, request):
        return False
