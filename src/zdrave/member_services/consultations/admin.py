"""Read-only back-office view: every write goes through ``zdrave.member_services.consultations.actions``, so the
admin shows consultations and their history but changes nothing."""

from django.contrib import admin

from zdrave.base.identity.permissions import can_view_therapy_theme
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

    def get_fields(self, request, obj=None):
        # The booking event's note is the theme (actions.book_consultation).
        if obj is not None and can_view_therapy_theme(request.user, obj):
            return self.fields
        return [name for name in self.fields if name != "note"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


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
    # The theme is health data that members are told only their therapist and the partner team
    # see (``can_view_therapy_theme``): it is on no back-office screen, for any role.
    exclude = ["theme"]
    inlines = [SlotInline, EventInline]
