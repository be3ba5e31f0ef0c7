"""Back office for group administration: read-only. Annexes, census uploads and examination
requests are made through the actions (validated, audited, all or nothing)."""

from __future__ import annotations

from django.contrib import admin

from zdrave.base.ui.admin import ReadOnlyAdmin
from zdrave.policy_admin.groups.models import Annex, ExaminationRequest


@admin.register(Annex)
class AnnexAdmin(ReadOnlyAdmin):
    list_display = ("number", "contract", "notified_on", "effective", "premium_difference")
    # The lines (up to 20 000 people) are on the annex's page, paginated, not inline here.
    search_fields = ("number", "contract__number")


@admin.register(ExaminationRequest)
class ExaminationRequestAdmin(ReadOnlyAdmin):
    list_display = ("contract", "period_from", "period_to", "status", "provider")
    list_filter = ("status",)
