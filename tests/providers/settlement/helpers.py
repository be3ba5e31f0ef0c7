"""Helpers of the settlement tests: the front desk's check a claim is billed on, and billing."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from zdrave.providers.network import actions as network
from zdrave.providers.settlement import actions


def check(clinic, institution, person, service="2.1.b", day=None):
    network.check_eligibility(
        actor=clinic,
        institution=institution,
        service=service,
        day=day or timezone.localdate(),
        egn=person.id_number,
    )
    return institution.checks.order_by("-id").first()


def bill(
    clinic,
    institution,
    person,
    *,
    amount="60.00",
    reference="INV-1",
    service="2.1.b",
    day=None,
    key="",
):
    found = check(clinic, institution, person, service, day)
    return actions.submit_provider_claim(
        actions.ProviderClaimInput(
            check_id=found.pk,
            reference=reference,
            amount=Decimal(amount),
            diagnosis="J06.9",
            idempotency_key=key,
        ),
        actor=clinic,
        institution=institution,
    )
