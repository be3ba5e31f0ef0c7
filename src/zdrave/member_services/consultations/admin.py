"""Read-only back-office view: every write goes through ``zdrave.member_services.consultations.actions``, so the
admin shows consultations and their history but changes nothing."""

from django.contrib import admin

from zdrave.base.ui.admin import ReadOnlyAdmin, ReadOnlyInline
from zdrave.member_services.consultations.models import (
    Consultation,
    ConsultationEvent,
    ProposedSlot,
)


class SlotInline(ReadOnlyInline):
    model = ProposedSlot
    fields = ["round", "starts_at", "proposed_by", "created_at"]


class EventInline(ReadOnlyInline):
    model = ConsultationEvent
    fields = ["at", "kind", "from_status", "to_status", "actor", "note"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "member",
        "therapist",
        "partner_code",
        "status",
        "channel",
        "starts_at",
        "reminder_sent_at",
    ]
    list_filter = ["status", "channel", "partner_code"]
    search_fields = ["member__username", "member__last_name", "email"]
    # The theme is health data: it stays out of the list and the search.
    exclude = ["theme"]
    inlines = [SlotInline, EventInline]
