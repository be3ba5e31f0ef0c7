from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class ClaimsConfig(AppConfig):
    name = "zdrave.claims"
    label = "claims"
    verbose_name = _("Claims")
    default_auto_field = "django.db.models.BigAutoField"
    # The member's claims and limits (issue 10); staff links are added with their pages.
    navigation = (NavLink(frozenset({Role.MEMBER}), _("My claims"), "claims:mine"),)
