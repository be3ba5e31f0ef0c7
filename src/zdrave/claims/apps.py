from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class ClaimsConfig(AppConfig):
    name = "zdrave.claims"
    label = "claims"
    verbose_name = _("Claims")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        # The member's claims and what is left of the limits (views/member.py).
        NavLink(frozenset({Role.MEMBER}), _("My claims"), "claims:mine"),
        NavLink(frozenset({Role.CLAIMS_ADJUSTER}), _("Claims queue"), "claims:queue"),
        # The medical expert's queue: the claims referred to them, the medical questions only.
        NavLink(frozenset({Role.MEDICAL_EXPERT}), _("Medical questions"), "claims:queue"),
        NavLink(
            frozenset({Role.CLAIMS_ADJUSTER, Role.ADMINISTRATOR}),
            _("Claims dashboard"),
            "claims:dashboard",
        ),
        NavLink(
            frozenset({Role.CLAIMS_ADJUSTER, Role.ADMINISTRATOR}), _("Payments"), "claims:batches"
        ),
    )
