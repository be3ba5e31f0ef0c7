from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zdrave.member_services.specialists.models import Specialist, Specialty


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ("code", "name_bg", "name_en")
    search_fields = ("code", "name_bg", "name_en")


@admin.register(Specialist)
class SpecialistAdmin(admin.ModelAdmin):
    list_display = ("name_bg", "name_en", "kind", "partner_code", "country_code", "active")
    list_filter = ("kind", "partner_code", "active", "country_code", "specialties")
    search_fields = ("code", "name_bg", "name_en", "institution_bg", "institution_en")
    filter_horizontal = ("specialties",)
    autocomplete_fields = ("user",)
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("partner_code", "code", "kind", "active", "user")}),
        (_("Names"), {"fields": ("name_bg", "name_en", "title_bg", "title_en", "photo")}),
        (_("Practice"), {"fields": ("specialties", "languages", "experience_years")}),
        (
            _("Place"),
            {
                "fields": (
                    "institution_bg",
                    "institution_en",
                    "city_bg",
                    "city_en",
                    "country_code",
                    "country_bg",
                    "country_en",
                )
            },
        ),
        (_("Profile"), {"fields": ("conditions_bg", "conditions_en", "bio_bg", "bio_en")}),
        (None, {"fields": ("updated_at",)}),
    )
