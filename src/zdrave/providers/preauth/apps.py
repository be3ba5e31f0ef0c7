from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class PreauthConfig(AppConfig):
    name = "zdrave.providers.preauth"
    label = "preauth"
    verbose_name = _("Pre-authorisation")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        NavLink(frozenset({Role.MEDICAL_EXPERT}), _("Pre-authorisation queue"), "preauth:queue"),
        NavLink(frozenset({Role.PROVIDER, Role.MEMBER}), _("Pre-authorisations"), "preauth:mine"),
    )

    def ready(self) -> None:
        # Held guarantee amounts count against the limits the claims engine reads
        # (claims.fetch.history_for): claims sits below providers, so this app registers them.
        from zdrave.claims.fetch import register_held_usage
        from zdrave.providers.network.fetch import register_desk_held_sql
        from zdrave.providers.preauth.fetch import HELD_SQL, held_lines, held_query

        register_held_usage(held_lines, held_query)
        # The same amounts inside the front desk's one statement (PostgreSQL).
        register_desk_held_sql(held_lines, HELD_SQL)
