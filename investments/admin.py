"""Investments, tranches and the payment ledger in the admin: read-only, as every change to money
goes through the services that keep the budget rules."""

from django.contrib import admin

from investments.models import Investment, Payment, PaymentEntry
from kit.admin import ReadOnly


class PaymentInline(ReadOnly, admin.TabularInline):
    model = Payment
    extra = 0
    fields = ["number", "due_date", "amount", "status", "release_conditions"]


@admin.register(Investment)
class InvestmentAdmin(ReadOnly, admin.ModelAdmin):
    """Read-only: awards, their amounts and their payments change through the portal's pages, whose
    services keep every budget rule."""

    list_display = ["__str__", "round", "tier", "amount", "start_date", "status"]
    list_filter = ["status", "round__fund", "tier"]
    inlines = [PaymentInline]


class EntryInline(ReadOnly, admin.TabularInline):
    model = PaymentEntry
    fk_name = "payment"
    extra = 0
    fields = [
        "amount",
        "paid_on",
        "reference",
        "conditions_note",
        "reverses",
        "reason",
        "recorded_by",
        "recorded_at",
    ]


@admin.register(Payment)
class PaymentAdmin(ReadOnly, admin.ModelAdmin):
    """Read-only, with its ledger: finance records and reverses payments on the payments page."""

    list_display = ["__str__", "amount", "due_date", "status"]
    list_filter = ["status", "investment__round__fund"]
    inlines = [EntryInline]
