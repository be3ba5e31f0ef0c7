"""A provider bills a service given on an eligibility check: a subscription-form claim decided
by the engine at the agreed price or the reasonable and customary cost (004 Чл.29 т.11)."""

from __future__ import annotations

from decimal import Decimal

from providers.settlement.conftest import bill
from zdrave.claims.models import ClaimForm, ClaimStatus, Payment


def test_claim_at_agreed_price_is_decided_and_waits_for_the_statement(clinic, institution, person):
    billed = bill(clinic, institution, person, amount="60.00")

    claim = billed.claim
    assert claim.form == ClaimForm.SUBSCRIPTION
    assert claim.status == ClaimStatus.APPROVED, list(claim.events.values_list("kind", "note"))
    assert claim.payable == Decimal("60.00")
    assert billed.price_basis == "agreed"
    assert not Payment.objects.exists()  # 004 Чл.29 т.12: paid in the monthly statement
