from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class NetworkConfig(AppConfig):
    name = "zdrave.providers.network"
    label = "network"
    verbose_name = _("Provider network")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        # 004 Чл.24 т.4: the insured may learn which institutions the insurer has contracts with.
        NavLink(frozenset({Role.MEMBER}), _("Medical network"), "network:search"),
        NavLink(frozenset({Role.PROVIDER}), _("Front desk"), "network:front_desk"),
        NavLink(
            frozenset({Role.ADMINISTRATOR, Role.UNDERWRITER}),
            _("Provider network"),
            "network:registry",
        ),
    )
