from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class PrivacyConfig(AppConfig):
    name = "zdrave.member_rights.privacy"
    label = "privacy"
    verbose_name = _("Personal data")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        NavLink(frozenset({Role.MEMBER}), _("My data"), "privacy:mine"),
        NavLink(
            frozenset({Role.DATA_PROTECTION_OFFICER}), _("Personal-data requests"), "privacy:queue"
        ),
        NavLink(
            frozenset({Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR}),
            _("Audit trail"),
            "privacy:audit",
        ),
    )

    def ready(self) -> None:
        from zdrave.claims.actions import together
        from zdrave.member_rights.privacy import auditing, consent

        auditing.register_models()
        auditing.connect_system_actor()
        together.observe_inserts(auditing.creation_rows)
        consent.register_outbox_guard()
