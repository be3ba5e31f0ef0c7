from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpecialistsConfig(AppConfig):
    """Extra Care (seed 000): the partner's specialist and therapist directory and its search,
    which the second opinion and the psychologist consultation both book from."""

    name = "zdrave.member_services.specialists"
    label = "specialists"
    verbose_name = _("Extra Care: specialists and therapists")
