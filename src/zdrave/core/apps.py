from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zdrave.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # After LOGGING is configured: no log line of a request shows a sign-in token.
        from zdrave.core import redaction

        redaction.install()
