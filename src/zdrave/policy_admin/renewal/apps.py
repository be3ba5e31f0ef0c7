from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class RenewalConfig(AppConfig):
    name = "zdrave.policy_admin.renewal"
    label = "renewal"
    verbose_name = _("Renewal")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        NavLink(
            frozenset({Role.MEMBER, Role.EMPLOYER}), _("Offers for my contracts"), "renewal:mine"
        ),
        NavLink(
            frozenset({Role.UNDERWRITER, Role.BILLING, Role.ADMINISTRATOR}),
            _("Renewals"),
            "renewal:desk",
        ),
    )
