from __future__ import annotations

from django.contrib import admin

from zdrave.base.audit.models import AuditEvent
from zdrave.base.ui.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is append-only: nobody edits or deletes history, not even in the back office."""

    list_display = ("at", "actor", "verb", "object_type", "object_id")
    list_filter = ("verb", "object_type")
    search_fields = ("object_id", "verb")
    date_hierarchy = "at"
