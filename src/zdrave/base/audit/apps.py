from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "zdrave.base.audit"
    label = "audit"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # After LOGGING is configured: no log line of a request shows a sign-in token.
        from zdrave.base.audit import redaction

        redaction.install()
