from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class BillingConfig(AppConfig):
    name = "zdrave.policy_admin.billing"
    label = "billing"
    verbose_name = _("Billing")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        NavLink(frozenset({Role.BILLING, Role.ADMINISTRATOR}), _("Billing desk"), "billing:desk"),
        NavLink(
            frozenset({Role.BILLING, Role.ADMINISTRATOR}),
            _("Bank statements"),
            "billing:statements",
        ),
        NavLink(
            frozenset({Role.UNDERWRITER, Role.ADMINISTRATOR}), _("Loss ratios"), "billing:loss"
        ),
    )
