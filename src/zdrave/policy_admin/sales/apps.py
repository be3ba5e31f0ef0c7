from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class SalesConfig(AppConfig):
    name = "zdrave.policy_admin.sales"
    label = "sales"
    verbose_name = _("Sales")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        NavLink(frozenset({Role.MEMBER}), _("Buy a policy"), "sales:mine"),
        NavLink(frozenset({Role.UNDERWRITER}), _("Underwriting queue"), "sales:queue"),
        NavLink(frozenset({Role.BILLING}), _("Policies sold online"), "sales:staff_list"),
    )
