"""Back office for billing: read-only. Payments, statements, tasks and terminations change
through the billing desk's actions (validated, audited); the admin shows and searches."""

from __future__ import annotations

from django.contrib import admin

from zdrave.base.ui.admin import ReadOnlyAdmin, ReadOnlyInline
from zdrave.policy_admin.billing.models import (
    BankStatement,
    BillingTask,
    PremiumPayment,
    StatementLine,
    Termination,
)


@admin.register(PremiumPayment)
class PremiumPaymentAdmin(ReadOnlyAdmin):
    list_display = ("contract", "received_on", "amount", "source", "payer")
    list_filter = ("source",)
    search_fields = ("contract__number", "payer")


class LineInline(ReadOnlyInline):
    model = StatementLine
    fields = ("index", "booked_on", "amount", "currency", "payer", "remittance", "status")


@admin.register(BankStatement)
class BankStatementAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "format", "imported_at", "imported_by")
    inlines = [LineInline]


@admin.register(BillingTask)
class BillingTaskAdmin(ReadOnlyAdmin):
    list_display = ("contract", "kind", "status", "opened_on", "closed_on")
    list_filter = ("kind", "status")
    search_fields = ("contract__number",)


@admin.register(Termination)
class TerminationAdmin(ReadOnlyAdmin):
    list_display = ("contract", "kind", "effective_on", "refund", "premium_to_claim")
    list_filter = ("kind",)
    search_fields = ("contract__number",)
