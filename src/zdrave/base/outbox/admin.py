from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from zdrave.base.identity.admin import HealthDataAdmin
from zdrave.base.outbox.actions import requeue_message
from zdrave.base.outbox.models import OutboxAttachment, OutboxMessage


class AttachmentInline(admin.TabularInline):
    model = OutboxAttachment
    fields = ["filename", "mimetype", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(HealthDataAdmin):
    """Delivery data for every staff user; subject, body, headers and attachments of mail that
    carries health data only for the health-data roles (``can_read_outbox_content``)."""

    health_fields = ("subject", "headers", "body_text", "body_html")
    health_inlines = (AttachmentInline,)
    list_display = ["created_at", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "to", "message_id"]
    exclude = ["raw_mime"]
    readonly_fields = [
        f.name for f in OutboxMessage._meta.fields if f.name not in {"id", "raw_mime"}
    ]
    inlines = [AttachmentInline]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def shows_health_data(self, obj) -> bool:
        return obj.health_data

    @admin.action(description=_("Retry delivery now (failed messages)"))
    def retry_now(self, request, queryset):
        count = sum(requeue_message(message, actor=request.user) for message in queryset)
        self.message_user(
            request,
            ngettext("%d message queued again.", "%d messages queued again.", count) % count,
            messages.SUCCESS,
        )
