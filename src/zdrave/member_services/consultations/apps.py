from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    """Extra Care (seed 000 б)): the psychologist consultation, booked with a therapist of the
    partner's directory and arranged by the partner team."""

    name = "zdrave.member_services.consultations"
    label = "consultations"
    verbose_name = _("Extra Care: psychologist consultations")
