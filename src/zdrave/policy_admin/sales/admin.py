"""Back office for online sales: read-only. Every change goes through the actions and the
pages (validated, audited). Declarations and underwriting reasons are health data: shown only
to the roles that see it, each view logged (``HealthDataAdmin``)."""

from __future__ import annotations

from django.contrib import admin

from zdrave.base.identity.admin import HealthDataAdmin
from zdrave.base.ui.admin import ReadOnlyAdmin
from zdrave.policy_admin.sales.models import Applicant, Application, Declaration


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("reference", "owner", "contract_type", "start", "status", "contract")
    list_filter = ("status", "contract_type")
    search_fields = ("reference", "owner__username", "contract__number")
    date_hierarchy = "start"


@admin.register(Applicant)
class ApplicantAdmin(HealthDataAdmin, ReadOnlyAdmin):
    list_display = ("application", "first_name", "last_name", "role", "decision", "card_number")
    list_filter = ("decision", "role")
    search_fields = ("application__reference", "last_name", "card_number")
    health_fields = ("reasons", "excluded_icd10", "excluded_services", "decision_note")


@admin.register(Declaration)
class DeclarationAdmin(HealthDataAdmin, ReadOnlyAdmin):
    list_display = ("applicant", "signed_on", "signed_by")
    health_model = True
