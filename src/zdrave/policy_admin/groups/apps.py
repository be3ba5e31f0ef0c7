from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink
from zdrave.policy_admin.groups.navigation import has_slot, holds_family_contract


class GroupsConfig(AppConfig):
    name = "zdrave.policy_admin.groups"
    label = "groups"
    verbose_name = _("Group administration")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        # The employer's group: census, annexes, preventive examinations (views/employer.py).
        NavLink(frozenset({Role.EMPLOYER}), _("My group"), "groups:home"),
        # Staff: the group contracts, their annexes and examination requests (views/staff.py).
        NavLink(
            frozenset({Role.UNDERWRITER, Role.ADMINISTRATOR, Role.SERVICE_COORDINATOR}),
            _("Group contracts"),
            "groups:home",
        ),
        NavLink(
            frozenset({Role.MEMBER}), _("Preventive examinations"), "groups:my_slots", has_slot
        ),
        # The holder of a family contract: add or remove a family member by annex.
        NavLink(
            frozenset({Role.MEMBER}),
            _("My family contract"),
            "groups:family_home",
            holds_family_contract,
        ),
    )
