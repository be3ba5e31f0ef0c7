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

    def ready(self) -> None:
        # The family members referred by annex wait in the sales underwriter's queue (004 Чл.10).
        from zdrave.policy_admin.groups.fetch import waiting_family_requests
        from zdrave.policy_admin.sales.fetch import register_queue_source

        register_queue_source(waiting_family_requests)
