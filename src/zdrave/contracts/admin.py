"""Back office for contracts: read-mostly. Changes go through the actions (validated, audited);
the admin shows and searches."""

from __future__ import annotations

from django.contrib import admin

from zdrave.base.ui.admin import ReadOnlyAdmin, ReadOnlyInline
from zdrave.contracts.models import Contract, ContractMember, Cover, InsuredPerson, PolicyHolder


class MemberInline(ReadOnlyInline):
    model = ContractMember
    fields = ("person", "role", "student", "covered_from")


class CoverInline(ReadOnlyInline):
    model = Cover
    fields = ("member", "product_code", "product_version", "package", "option", "clause")


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
    )
    list_filter = ("type", "status", "product_code")
    search_fields = ("number", "holder__name")
    inlines = [MemberInline, CoverInline]


@admin.register(PolicyHolder)
class PolicyHolderAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "identifier")
    list_filter = ("kind",)
    search_fields = ("name", "identifier")


@admin.register(InsuredPerson)
class InsuredPersonAdmin(ReadOnlyAdmin):
    list_display = ("last_name", "first_name", "id_kind", "id_number", "birth_date", "sex", "user")
    search_fields = ("last_name", "first_name", "id_number")
    list_filter = ("id_kind", "sex")


@admin.register(ContractMember)
class ContractMemberAdmin(ReadOnlyAdmin):
    list_display = ("contract", "person", "role", "student", "covered_from")
    list_filter = ("role",)


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
