from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages around the apps: the landing page, each role's home and the navigation."""

    name = "zdrave.interfaces.portal"
    label = "portal"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from zdrave.interfaces.portal.cards import person_on_card
        from zdrave.providers.network.fetch import register_card_resolver

        register_card_resolver(person_on_card)
