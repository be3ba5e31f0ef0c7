"""The network in the back office: provider relations may correct a listing here; every change
that members are told of (joining, leaving) goes through the staff pages' actions."""

from __future__ import annotations

from django.contrib import admin

from zdrave.base.identity.permissions import can_manage_provider_network
from zdrave.base.ui.admin import ReadOnlyAdmin, ReadOnlyInline
from zdrave.providers.network.models import (
    AgreedPrice,
    Doctor,
    EligibilityCheck,
    Institution,
    Location,
    NetworkChange,
    ProviderUser,
)


class NetworkAdmin(admin.ModelAdmin):
    """Provider relations (``can_manage_provider_network``) edit; nobody else sees it."""

    def has_module_permission(self, request) -> bool:
        return can_manage_provider_network(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_manage_provider_network(request.user)

    def has_add_permission(self, request) -> bool:
        return False  # joining the network tells members: the staff page's action does it

    def has_change_permission(self, request, obj=None) -> bool:
        return can_manage_provider_network(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0


class DoctorInline(admin.TabularInline):
    model = Doctor
    extra = 0


class PriceInline(admin.TabularInline):
    model = AgreedPrice
    extra = 0


class ChangeInline(ReadOnlyInline):
    model = NetworkChange
    fields = ("kind", "effective", "notified", "notified_at")


@admin.register(Institution)
class InstitutionAdmin(NetworkAdmin):
    list_display = ("name", "city", "eik", "status", "agreement_from", "agreement_to")
    list_filter = ("status", "city")
    search_fields = ("name", "eik", "city")
    readonly_fields = ("eik", "status", "created_at")
    inlines = (LocationInline, DoctorInline, PriceInline, ChangeInline)


@admin.register(ProviderUser)
class ProviderUserAdmin(NetworkAdmin):
    list_display = ("user", "institution")
    readonly_fields = ("user", "institution")


@admin.register(EligibilityCheck)
class EligibilityCheckAdmin(ReadOnlyAdmin):
    """Who asked about whom: provider relations see the log, not the reasons' health detail."""

    list_display = ("at", "institution", "asked_by", "service", "verdict", "via_api")
    list_filter = ("verdict", "via_api")
    fields = ("at", "institution", "asked_by", "service", "day", "verdict", "via_api")

    def has_module_permission(self, request) -> bool:
        return can_manage_provider_network(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_manage_provider_network(request.user)
