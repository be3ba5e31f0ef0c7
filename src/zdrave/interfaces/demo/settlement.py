"""Demo data of provider settlement (issue 12): each demo institution's bank account, and one
settled month — the Sofia centre (front desk ``clinic``) billed a professor's examination
(002 II.1 б) for Александър on the last day of last month, ``billing`` closed that month, sent
the SEPA batch and confirmed it paid. The current month stays open for the journey. Built
through the actions; idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zdrave.contracts.models import InsuredPerson
from zdrave.providers.network import actions as network
from zdrave.providers.network.fetch import health_membership, institution_of
from zdrave.providers.network.models import Institution, Verdict
from zdrave.providers.settlement import actions
from zdrave.providers.settlement.models import ProviderAccount, ProviderClaim

# Valid Bulgarian IBANs (checksums right), one per demo institution in order of their ЕИК.
IBANS = ("BG80BNBG96611020345678", "BG18RZBB91550123456789", "BG16UNCR70001519562303")
REFERENCE = "DEMO-0001"


def build_demo_settlement(users, today: dt.date) -> None:
    for institution, iban in zip(Institution.objects.order_by("eik"), IBANS, strict=False):
        ProviderAccount.objects.get_or_create(
            institution=institution,
            defaults={"account_name": institution.name, "iban": iban},
        )
    clinic, billing = users.get("clinic"), users.get("billing")
    institution = institution_of(clinic) if clinic is not None else None
    person = InsuredPerson.objects.filter(first_name="Александър", last_name="Димитров").first()
    if institution is None or billing is None or person is None:
        return
    if ProviderClaim.objects.filter(institution=institution, reference=REFERENCE).exists():
        return
    day = today.replace(day=1) - dt.timedelta(days=1)  # the last day of last month
    if health_membership(day, person=person) is None:
        return  # early January: the demo contracts start this year
    answer = network.check_eligibility(
        actor=clinic, institution=institution, service="2.1.b", day=day, egn=person.id_number
    )
    if answer.verdict not in (Verdict.COVERED, Verdict.COPAYMENT):
        return
    billed = actions.submit_provider_claim(
        actions.ProviderClaimInput(
            check_id=institution.checks.order_by("-id").values_list("pk", flat=True).first(),
            reference=REFERENCE,
            amount=Decimal("60.00"),
            diagnosis="J06.9",
        ),
        actor=clinic,
        institution=institution,
    )
    if billed.claim.payable <= 0:
        return
    actions.close_month(day, actor=billing)
    batch = actions.create_settlement_batch(
        actor=billing, execution_date=actions.first_execution_date(today)
    )
    actions.confirm_settlement_paid(batch, actor=billing, on=today)
