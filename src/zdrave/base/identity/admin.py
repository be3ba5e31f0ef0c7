from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from zdrave.base.audit.models import record_view
from zdrave.base.identity.models import User
from zdrave.base.identity.permissions import can_see_health_fields


class HealthDataAdmin(admin.ModelAdmin):
    """A back-office screen whose model holds health data (``accounts.permissions``).

    ``health_fields`` are left out of the form, the list and the search for users without a
    health-data role (superusers included); set ``health_model = True`` when the whole model is
    health data, so such users cannot open it at all. Every detail view that shows health data
    is written to the audit trail."""

    health_fields: tuple[str, ...] = ()
    health_model = False
    health_inlines: tuple = ()

    def _sees_health(self, request) -> bool:
        return can_see_health_fields(request.user)

    def has_view_permission(self, request, obj=None):
        if self.health_model and not self._sees_health(request):
            return False
        return super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        if self.health_model and not self._sees_health(request):
            return False
        return super().has_module_permission(request)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not self._sees_health(request):
            exclude += [name for name in self.health_fields if name not in exclude]
        return exclude

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._sees_health(request):
            return fields
        return [name for name in fields if name not in self.health_fields]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self._sees_health(request):
            return fields
        return [name for name in fields if name not in self.health_fields]

    def get_list_display(self, request):
        fields = super().get_list_display(request)
        if self._sees_health(request):
            return fields
        return [name for name in fields if name not in self.health_fields]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if self._sees_health(request):
            return fields
        return [name for name in fields if name.split("__")[0] not in self.health_fields]

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if self._sees_health(request):
            return inlines
        return [inline for inline in inlines if inline not in self.health_inlines]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if self._sees_health(request) and getattr(response, "status_code", 0) == 200:
            obj = self.get_object(request, object_id)
            if obj is not None and self.shows_health_data(obj):
                record_view(request, verb="admin_view_health_data", obj=obj)
        return response

    def shows_health_data(self, obj) -> bool:
        return True


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "role",
        "language",
        "partner_code",
        "is_active",
    )
    list_filter = ("role", "language", "is_active", "is_staff")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Platform"), {"fields": ("role", "language", "partner_code")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Platform"), {"fields": ("role", "language", "partner_code")}),
    )
