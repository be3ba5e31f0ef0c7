"""Premium payments recorded by staff (004 Чл.25 т.4): spread over the instalments oldest
first, refused when more than is owed, booked once on a double submit; and 004 Чл.25 т.6:
paying the last instalment releases a claim held for it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims.builders import submit
from zdrave.base.audit.models import AuditEvent
from zdrave.claims.models import ClaimStatus
from zdrave.contracts.models import ContractMember
from zdrave.policy_admin.billing.actions.payments import record_payment
from zdrave.policy_admin.billing.models import PremiumPayment

TODAY = timezone.localdate


def test_004_chl25_t4_payment_pays_the_oldest_instalments_first(contract, billing_user):
    payment = record_payment(
        contract, amount=Decimal("450.00"), received_on=TODAY(), actor=billing_user, payer="Мила"
    )
    rows = list(contract.instalments.order_by("due"))
    assert [(r.paid_amount, r.paid_on) for r in rows] == [
        (Decimal("300.00"), rows[0].paid_on),
        (Decimal("300.00"), TODAY()),
        (Decimal("150.00"), None),
        (Decimal("0.00"), None),
    ]
    assert [a["amount"] for a in payment.allocations] == ["300.00", "150.00"]
    assert AuditEvent.objects.filter(verb="premium_payment.recorded").count() == 1


def test_more_than_is_owed_is_refused_and_nothing_changes(contract, billing_user):
    with pytest.raises(ValidationError) as refused:
        record_payment(contract, amount=Decimal("900.01"), received_on=TODAY(), actor=billing_user)
    assert "се дължат 900.00 EUR" in str(refused.value)
    assert PremiumPayment.objects.count() == 0
    assert contract.instalments.filter(paid_on__isnull=True).count() == 3


@pytest.mark.parametrize(
    ("amount", "day", "field"),
    [
        pytest.param(Decimal("0.00"), 0, "amount", id="zero"),
        pytest.param(Decimal("-5.00"), 0, "amount", id="negative"),
        pytest.param(Decimal("10.001"), 0, "amount", id="fraction-of-a-cent"),
        pytest.param(Decimal("10.00"), -1, "received_on", id="future-date"),
    ],
)
def test_bad_payment_is_refused_naming_the_field(contract, billing_user, amount, day, field):
    with pytest.raises(ValidationError) as refused:
        record_payment(
            contract,
            amount=amount,
            received_on=TODAY() - dt.timedelta(days=day),
            actor=billing_user,
        )
    assert field in refused.value.message_dict
    assert PremiumPayment.objects.count() == 0


def test_double_submit_books_once(contract, billing_user):
    for _ in range(2):
        record_payment(
            contract,
            amount=Decimal("300.00"),
            received_on=TODAY(),
            actor=billing_user,
            idempotency_key="form-1",
        )
    assert PremiumPayment.objects.count() == 1
    assert contract.instalments.filter(paid_on__isnull=True).count() == 2


def test_004_chl25_t6_claim_held_for_instalments_is_paid_once_they_are(
    contract, holder_user, billing_user
):
    member = ContractMember.objects.get(contract=contract)
    claim = submit(member, holder_user, days_ago=3)
    assert claim.status == ClaimStatus.PENDING_DOCUMENTS
    # Held for the instalments alone: no document is missing (004 Чл.25 т.6).
    assert claim.missing_documents == []
    # Part of what fell due: the claim still waits.
    record_payment(contract, amount=Decimal("300.00"), received_on=TODAY(), actor=billing_user)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING_DOCUMENTS
    # The rest: decided again and paid.
    record_payment(contract, amount=Decimal("600.00"), received_on=TODAY(), actor=billing_user)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    assert claim.payable == Decimal("120.00")
