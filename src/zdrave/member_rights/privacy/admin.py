from __future__ import annotations

from django.contrib import admin

from zdrave.base.ui.admin import ReadOnlyAdmin
from zdrave.member_rights.privacy.models import ConsentEvent, DataRequest


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdmin):
    """The consent history is proof (GDPR Art. 7(1)): read-only; members change it on "My data"."""

    list_display = ("at", "member", "purpose", "given", "channel", "text_version", "recorded_by")
    list_filter = ("purpose", "given", "channel")
    search_fields = ("member__username", "member__email")
    date_hierarchy = "at"


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    """Requests are answered on the data protection officer's page (privacy:request)."""

    list_display = ("number", "member", "kind", "status", "received_at", "due_on", "decided_at")
    list_filter = ("kind", "status")
    search_fields = ("number", "member__username")
