from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class GroupSalesConfig(AppConfig):
    name = "zdrave.policy_admin.groupsales"
    label = "groupsales"
    verbose_name = _("Group sales")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        NavLink(
            frozenset({Role.UNDERWRITER, Role.BILLING}),
            _("Group applications"),
            "groupsales:staff_list",
        ),
    )
