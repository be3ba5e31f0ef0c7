"""Back office for contracts: read-mostly. Changes go through the actions (validated, audited);
the admin shows and searches."""

from __future__ import annotations

from django.contrib import admin

from zdrave.base.identity.admin import HealthDataAdmin
from zdrave.base.ui.admin import ReadOnlyAdmin, ReadOnlyInline
from zdrave.contracts.models import (
    Contract,
    ContractMember,
    Cover,
    InsuredPerson,
    PolicyHolder,
    PremiumInstalment,
    SpecialConditions,
)


class MemberInline(ReadOnlyInline):
    model = ContractMember
    fields = ("person", "role", "student", "covered_from")


class CoverInline(ReadOnlyInline):
    model = Cover
    fields = ("member", "product_code", "product_version", "package", "option", "clause")


class InstalmentInline(ReadOnlyInline):
    model = PremiumInstalment
    fields = ("due", "amount", "paid_amount", "paid_on")


class SpecialConditionsInline(ReadOnlyInline):
    model = SpecialConditions
    fields = (
        "agreed_on",
        "excluded_icd10",
        "excluded_services",
        "waiting",
        "limit",
        "loading_percent",
        "note",
    )


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "type",
        "holder",
        "product_code",
        "product_version",
        "start",
        "end",
        "status",
        "terminated_on",
    )
    list_filter = ("type", "status", "product_code", "termination_reason")
    search_fields = ("number", "holder__name")
    inlines = [MemberInline, CoverInline, InstalmentInline]


@admin.register(PolicyHolder)
class PolicyHolderAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "identifier")
    list_filter = ("kind",)
    search_fields = ("name", "identifier")


@admin.register(InsuredPerson)
class InsuredPersonAdmin(ReadOnlyAdmin):
    list_display = (
        "last_name",
        "first_name",
        "id_kind",
        "id_number",
        "birth_date",
        "sex",
        "nhif_rights",
        "user",
    )
    search_fields = ("last_name", "first_name", "id_number")
    list_filter = ("id_kind", "sex", "nhif_rights")


@admin.register(ContractMember)
class ContractMemberAdmin(HealthDataAdmin, ReadOnlyAdmin):
    """Special conditions name excluded diagnoses: health data (004 Чл.10), shown only to the
    roles that see it, and every view of them is logged."""

    list_display = ("contract", "person", "role", "student", "covered_from")
    list_filter = ("role",)
    inlines = [SpecialConditionsInline]
    health_inlines = (SpecialConditionsInline,)

    def shows_health_data(self, obj) -> bool:
        return SpecialConditions.objects.filter(member=obj).exists()


@admin.register(PremiumInstalment)
class PremiumInstalmentAdmin(ReadOnlyAdmin):
    list_display = ("contract", "due", "amount", "paid_amount", "paid_on")
    list_filter = ("paid_on",)
    search_fields = ("contract__number",)
    date_hierarchy = "due"


@admin.register(Cover)
class CoverAdmin(ReadOnlyAdmin):
    list_display = (
        "contract",
        "member",
        "product_code",
        "product_version",
        "package",
        "option",
        "clause",
    )
    list_filter = ("product_code", "package", "option", "clause")
