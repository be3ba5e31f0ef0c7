from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class TreatmentAbroadConfig(AppConfig):
    name = "zdrave.treatment_abroad"
    label = "treatment_abroad"
    verbose_name = _("Treatment abroad")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        # The member's cases (Best Doctors members only, ``fetch.has_abroad_cover``).
        NavLink(frozenset({Role.MEMBER}), _("Treatment abroad"), "treatment_abroad:mine"),
        NavLink(
            frozenset({Role.CASE_MANAGER}), _("Treatment-abroad cases"), "treatment_abroad:queue"
        ),
    )
