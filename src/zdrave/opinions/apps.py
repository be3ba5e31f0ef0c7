from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    """Extra Care (seed 000): second medical opinion and psychologist consultation through a
    partner team. This part holds the specialist and therapist directory and its search."""

    name = "zdrave.opinions"
    label = "opinions"
    verbose_name = _("Extra Care: specialists and therapists")

    def ready(self) -> None:
        # The partner team and the assigned specialist may download a second-opinion case's
        # files (000 а) стъпки 13–17); the member owns them already.
        from zdrave.documents.permissions import register_access_rule
        from zdrave.opinions.fetch_cases import may_download_case_file

        register_access_rule(may_download_case_file)
