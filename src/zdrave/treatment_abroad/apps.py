from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


def _has_abroad_cover(user) -> bool:
    """``NavLink.shown_to``: a member with a Best Doctors contract in force or a case. Imported
    when called: the app registry is not ready when this module loads (as
    ``member_services.navigation`` does)."""
    from zdrave.treatment_abroad.fetch import has_abroad_cover  # noqa: PLC0415

    return has_abroad_cover(user)


class TreatmentAbroadConfig(AppConfig):
    name = "zdrave.treatment_abroad"
    label = "treatment_abroad"
    verbose_name = _("Treatment abroad")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        # The member's cases (Best Doctors members only, ``fetch.has_abroad_cover``).
        NavLink(
            frozenset({Role.MEMBER}),
            _("Treatment abroad"),
            "treatment_abroad:mine",
            shown_to=_has_abroad_cover,
        ),
        NavLink(
            frozenset({Role.CASE_MANAGER}), _("Treatment-abroad cases"), "treatment_abroad:queue"
        ),
    )
