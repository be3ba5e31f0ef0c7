from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages around the apps: the landing page, each role's home and the navigation."""

    name = "zdrave.interfaces.portal"
    label = "portal"
    verbose_name = _("Platform")
