from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink


class ComplaintsConfig(AppConfig):
    name = "zdrave.member_rights.complaints"
    label = "complaints"
    verbose_name = _("Complaints")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = (
        NavLink(frozenset({Role.MEMBER, Role.EMPLOYER}), _("Complaints"), "complaints:mine"),
        NavLink(
            frozenset({Role.COMPLAINTS_OFFICER, Role.ADMINISTRATOR}),
            _("Complaints queue"),
            "complaints:queue",
        ),
    )

    def ready(self) -> None:
        from zdrave.base.documents.permissions import register_access_rule
        from zdrave.member_rights.complaints.files import may_download_complaint_file

        register_access_rule(may_download_complaint_file)
