from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class OutboxConfig(AppConfig):
    name = "zdrave.base.outbox"
    label = "outbox"
    verbose_name = _("E-mail outbox")
    navigation = (
        NavLink(
            frozenset({Role.SERVICE_COORDINATOR, Role.ADMINISTRATOR}), _("Outbox"), "outbox:list"
        ),
    )
