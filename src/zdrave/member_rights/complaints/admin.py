"""Back office for complaints: read-only. Every change goes through the actions (validated,
audited) and the staff pages; the complaint's text and reasons are shown to the complaints
staff's pages, not here (they may speak of a person's health)."""

from __future__ import annotations

from django.contrib import admin

from zdrave.base.ui.admin import ReadOnlyAdmin, ReadOnlyInline
from zdrave.member_rights.complaints.models import Complaint, ComplaintEvent


class EventInline(ReadOnlyInline):
    model = ComplaintEvent
    fields = ("at", "kind", "from_status", "to_status", "actor")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "received_on",
        "channel",
        "category",
        "status",
        "due_on",
        "answered_on",
        "outcome",
    )
    list_filter = ("status", "category", "channel", "outcome")
    search_fields = ("number", "complainant_name")
    fields = (
        "number",
        "channel",
        "received_on",
        "category",
        "status",
        "complainant_name",
        "complainant_kind",
        "claim",
        "contract",
        "case",
        "reassessment_requested",
        "owner",
        "escalated_to",
        "due_on",
        "deadline_clause",
        "answered_on",
        "outcome",
        "claim_reopened",
        "case_reassessed",
    )
    inlines = (EventInline,)
