from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class SettlementConfig(AppConfig):
    name = "zdrave.providers.settlement"
    label = "settlement"
    verbose_name = _("Provider claims and settlement")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        NavLink(frozenset({Role.PROVIDER}), _("Claims to the insurer"), "settlement:provider"),
        NavLink(
            frozenset({Role.BILLING, Role.CLAIMS_ADJUSTER, Role.ADMINISTRATOR}),
            _("Provider settlement"),
            "settlement:staff",
        ),
    )
