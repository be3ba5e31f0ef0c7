"""Back office: cases and objections to look up, read-only (every write is an action on the
case page); the whole model is health data (diagnosis, documents), so only the health-data
roles open it and each view is audited (``HealthDataAdmin``)."""

from __future__ import annotations

from django.contrib import admin

from zdrave.base.identity.admin import HealthDataAdmin
from zdrave.base.ui.admin import ReadOnlyAdmin
from zdrave.treatment_abroad.models import AbroadCase, Objection


@admin.register(AbroadCase)
class AbroadCaseAdmin(HealthDataAdmin, ReadOnlyAdmin):
    health_model = True
    list_display = ("number", "member", "condition", "status", "next_due", "owner")
    list_filter = ("status", "condition")
    search_fields = ("number",)


@admin.register(Objection)
class ObjectionAdmin(HealthDataAdmin, ReadOnlyAdmin):
    health_model = True
    list_display = ("number", "case", "filed_on", "due", "answered_on", "upheld")
    search_fields = ("number",)
