"""Demo data of provider settlement (issue 12): each demo institution's bank account, so that
its decided claims can be put in a monthly statement and paid by SEPA transfer. Idempotent."""

from __future__ import annotations

from zdrave.providers.network.models import Institution
from zdrave.providers.settlement.models import ProviderAccount

# Valid Bulgarian IBANs (checksums right), one per demo institution in order of their ЕИК.
IBANS = ("BG80BNBG96611020345678", "BG18RZBB91550123456789", "BG16UNCR70001519562303")


def build_demo_settlement() -> None:
    for institution, iban in zip(Institution.objects.order_by("eik"), IBANS, strict=False):
        ProviderAccount.objects.get_or_create(
            institution=institution,
            defaults={"account_name": institution.name, "iban": iban},
        )
