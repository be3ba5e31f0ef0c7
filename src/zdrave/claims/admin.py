"""Back office for claims: read-mostly, for support staff answering "where is my claim, was it
paid". Every change goes through the actions (validated, audited) and the staff pages.

A claim is health data in its medical parts: what was treated (kind, provider, diagnosis,
circumstances, the lines' services, the documents, the engine's reasons, the history's notes).
Those are shown to the health-data roles only (``HealthDataAdmin``); a service coordinator or an
administrator sees the number, the person, the status, the dates, the amounts and the payments.
"""

from __future__ import annotations

from django.contrib import admin

from zdrave.base.identity.admin import HealthDataAdmin
from zdrave.base.ui.admin import ReadOnlyAdmin, ReadOnlyInline
from zdrave.claims.models import (
    Claim,
    ClaimEvent,
    ClaimFile,
    ClaimLine,
    DecisionVersion,
    Payment,
    PaymentBatch,
)


class LineInline(ReadOnlyInline):
    model = ClaimLine
    fields = (
        "index",
        "service",
        "date",
        "quantity",
        "amount",
        "currency",
        "invoice_number",
        "nhif_paid",
        "other_insurer_paid",
        "outcome",
        "eligible",
        "copay",
        "payable",
        "reasons",
    )


class FileInline(ReadOnlyInline):
    model = ClaimFile
    fields = ("key", "file", "added_at")


class EventInline(ReadOnlyInline):
    """The history without its notes (a referral's question, a medical opinion)."""

    model = ClaimEvent
    fields = ("at", "kind", "from_status", "to_status", "actor")


class EventNoteInline(ReadOnlyInline):
    model = ClaimEvent
    fields = ("at", "kind", "from_status", "to_status", "actor", "note")


class VersionInline(ReadOnlyInline):
    model = DecisionVersion
    fields = (
        "number",
        "decided_at",
        "decided_by",
        "outcome",
        "payable",
        "needs_approval",
        "approved_by",
        "approved_at",
        "reason",
        "lines",
    )


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = (
        "end_to_end_id",
        "amount",
        "status",
        "payee",
        "payee_name",
        "iban",
        "bank_fee_borne_by_insured",
        "batch",
        "paid_at",
        "return_reason",
    )


@admin.register(Claim)
class ClaimAdmin(HealthDataAdmin, ReadOnlyAdmin):
    health_fields = (
        "kind",
        "provider",
        "diagnosis",
        "diagnosis_text",
        "circumstances",
        "documents",
        "missing_documents",
        "duplicate_flags",
    )
    health_inlines = (LineInline, FileInline, EventNoteInline, VersionInline)
    list_display = (
        "number",
        "status",
        "member",
        "contract",
        "kind",
        "submitted",
        "payable",
        "assigned_to",
    )
    list_filter = ("status", "form", "decided_automatically")
    search_fields = ("number", "contract__number", "member__person__last_name", "diagnosis")
    list_select_related = ("member__person", "contract", "assigned_to")
    exclude = ("idempotency_key", "site_url")
    inlines = [LineInline, FileInline, EventInline, EventNoteInline, VersionInline, PaymentInline]

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if self._sees_health(request):
            # The history with its notes replaces the one without.
            return [inline for inline in inlines if inline is not EventInline]
        return inlines

    def get_list_filter(self, request):
        if self._sees_health(request):
            return (*self.list_filter, "kind")
        return self.list_filter


class BatchPaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("end_to_end_id", "claim", "amount", "status", "payee_name", "iban")


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "message_id",
        "created_at",
        "created_by",
        "execution_date",
        "count",
        "total",
        "confirmed_at",
    )
    search_fields = ("message_id",)
    exclude = ("xml",)
    inlines = [BatchPaymentInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = (
        "end_to_end_id",
        "claim",
        "amount",
        "status",
        "payee",
        "payee_name",
        "iban",
        "batch",
        "created_at",
        "paid_at",
    )
    list_filter = ("status", "payee", "bank_fee_borne_by_insured")
    search_fields = ("end_to_end_id", "claim__number", "iban", "payee_name")
    list_select_related = ("claim", "batch")
