"""Back office for the catalog: read-only. Product data changes only through the product files
(reviewed and versioned in git) and ``zdrave products load``, never by editing rows here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from zdrave.base.ui.admin import ReadOnlyAdmin, ReadOnlyInline
from zdrave.products import models as m


class ProductFilesAdmin(ReadOnlyAdmin):
    """Read-only, and says why on every page (the note points to the product files)."""

    change_list_template = "admin/products/read_only_change_list.html"
    change_form_template = "admin/products/read_only_change_form.html"


class ServiceInline(ReadOnlyInline):
    model = m.ServiceEntry
    fields = ("code", "name_bg", "name_en", "heading", "category")
    show_change_link = True

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(m.Product)
class ProductAdmin(ProductFilesAdmin):
    list_display = ("code", "name_bg", "name_en")
    search_fields = ("code", "name_bg", "name_en")


@admin.register(m.ProductVersion)
class ProductVersionAdmin(ProductFilesAdmin):
    list_display = ("product", "effective_from", "effective_to", "checksum", "loaded_at")
    list_filter = ("product",)
    date_hierarchy = "effective_from"
    exclude = ("document",)
    readonly_fields = ("product", "effective_from", "effective_to", "checksum", "loaded_at")
    inlines = [ServiceInline]


@admin.register(m.ServiceEntry)
class ServiceEntryAdmin(ProductFilesAdmin):
    list_display = ("code", "name_bg", "name_en", "package_number", "category", "version")
    list_filter = ("version__product", "package_number", "category", "heading")
    search_fields = ("code", "name_bg", "name_en", "search_text")
    list_select_related = ("version__product",)


@admin.register(m.CatalogLoad)
class CatalogLoadAdmin(ProductFilesAdmin):
    list_display = ("loaded_at", "actor", "created", "updated", "removed")
