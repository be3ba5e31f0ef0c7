from django.contrib import admin

from zdrave.base.documents.models import DocumentAccessLog, MedicalFile
from zdrave.base.ui.admin import ReadOnlyAdmin


@admin.register(MedicalFile)
class MedicalFileAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "owner", "kind", "mime_type", "pages", "size", "uploaded_at"]
    list_filter = ["kind", "mime_type"]
    search_fields = ["original_name", "sha256", "owner__username", "subject_id"]
    exclude = ["storage_name"]


@admin.register(DocumentAccessLog)
class DocumentAccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "file", "outcome", "ip_address"]
    list_filter = ["outcome"]
    search_fields = ["requested_id", "user__username", "ip_address"]
