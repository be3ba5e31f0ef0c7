from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "zdrave.claims"
    label = "claims"
    verbose_name = _("Claims")
    default_auto_field = "django.db.models.BigAutoField"
