from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "zdrave.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from zdrave.base.identity.permissions import register_medical_file_rule
        from zdrave.contracts.visibility import may_download_family_file

        # The holder of a family contract downloads the files of a child under 18 on it (the
        # same rule as the child's other health data, contracts.visibility).
        register_medical_file_rule(may_download_family_file)
