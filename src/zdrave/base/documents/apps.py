from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "zdrave.base.documents"
    label = "documents"
    verbose_name = _("Medical documents")

    def ready(self) -> None:
        from zdrave.base.documents import checks  # noqa: F401  (registers the system check)
