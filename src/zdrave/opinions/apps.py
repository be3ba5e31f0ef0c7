from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    """Extra Care (seed 000): second medical opinion and psychologist consultation through a
    partner team. This part holds the specialist and therapist directory and its search."""

    name = "zdrave.opinions"
    label = "opinions"
    verbose_name = _("Extra Care: specialists and therapists")
