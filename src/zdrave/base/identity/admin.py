from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.models import User


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
