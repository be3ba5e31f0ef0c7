from django.contrib import admin

from zdrave.base.documents.models import DocumentAccessLog, MedicalFile
from zdrave.base.identity.admin import HealthDataAdmin
from zdrave.base.ui.admin import ReadOnlyAdmin


@admin.register(MedicalFile)
class MedicalFileAdmin(HealthDataAdmin, ReadOnlyAdmin):
    """A member's medical file is health data as a whole (its name, kind and owner): only the
    health-data roles open this screen (``can_see_health_fields``)."""

    health_model = True
    list_display = ["original_name", "owner", "kind", "mime_type", "pages", "size", "uploaded_at"]
    list_filter = ["kind", "mime_type"]
    search_fields = ["original_name", "sha256", "owner__username", "subject_id"]
    exclude = ["storage_name"]


@admin.register(DocumentAccessLog)
class DocumentAccessLogAdmin(HealthDataAdmin, ReadOnlyAdmin):
    # The file's name ("епикриза …") is health data; who asked, when and from where is not.
    health_fields = ("file",)

    def shows_health_data(self, obj) -> bool:
        return obj.file_id is not None

    list_display = ["at", "user", "file", "outcome", "ip_address"]
    list_filter = ["outcome"]
    search_fields = ["requested_id", "user__username", "ip_address"]
