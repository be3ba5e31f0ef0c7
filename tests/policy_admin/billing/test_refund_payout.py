"""A termination's refund is paid, not only computed: billing names the policyholder's account
(004 Чл.25 т.7: the refund after the costs), the refund becomes a scheduled payment of the claims
payment module, goes out in its next SEPA batch (validated against the XSD) and shows on the
batch page and on the contract; the bank's confirmation marks it paid, a return lets billing
name another account."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from base.banking.pain001 import NS, parsed
from contracts.factories import make_user
from policy_admin.billing.conftest import billed_contract
from zdrave.base.banking.sepa import validate_credit_transfer
from zdrave.base.identity.models import Role
from zdrave.claims.actions import bank
from zdrave.claims.models import Payment, PaymentPurpose, PaymentStatus
from zdrave.policy_admin.billing.actions.refunds import pay_refund
from zdrave.policy_admin.billing.actions.termination import terminate

TODAY = timezone.localdate
HOLDER_IBAN = "BG80BNBG96611020345678"
OTHER_IBAN = "BG60UBBS80020010123456"


@pytest.fixture
def payments_user(db):
    return make_user("pavel", Role.CLAIMS_ADJUSTER, email="pavel@insurer.bg")


@pytest.fixture
def ended(billing_user):
    """365.00 EUR for 365 days paid, ended by agreement today, 100 days in: 212.00 EUR back
    (004 Чл.28 т.1, Чл.25 т.7: 265.00 less 20 % costs)."""
    contract = billed_contract("S-9", instalments=1, amount="365.00")
    return terminate(contract, kind="mutual", effective_on=TODAY(), actor=billing_user)


def test_004_chl25_t7_refund_becomes_one_payable_in_the_next_batch(
    ended, billing_user, payments_user
):
    assert ended.refund == Decimal("212.00")
    payment = pay_refund(ended, iban=HOLDER_IBAN, payee_name="", actor=billing_user)
    again = pay_refund(ended, iban=HOLDER_IBAN, payee_name="", actor=billing_user)
    assert payment.pk == again.pk
    assert (payment.purpose, payment.amount, payment.status, payment.claim_id) == (
        PaymentPurpose.PREMIUM_REFUND,
        Decimal("212.00"),
        PaymentStatus.SCHEDULED,
        None,
    )
    assert payment.end_to_end_id == f"S-9-T{ended.pk}"
    assert payment.payee_name == "Мила Петрова"

    result = bank.create_batch(actor=payments_user, execution_date=bank.first_execution_date())
    batch = result.batch
    validate_credit_transfer(bytes(batch.xml))
    (tx,) = list(parsed(bytes(batch.xml)).iterfind(".//p:CdtTrfTxInf", NS))
    assert tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == payment.end_to_end_id
    assert tx.findtext("p:Amt/p:InstdAmt", namespaces=NS) == "212.00"
    assert tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == "Vrashtane na premia po dogovor S-9"
    assert tx.findtext("p:Cdtr/p:Nm", namespaces=NS) == "Mila Petrova"

    assert bank.confirm_batch_paid(batch, actor=payments_user, on=TODAY()) == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    # Paid: nothing more to schedule.
    assert pay_refund(ended, iban=OTHER_IBAN, payee_name="", actor=billing_user).pk == payment.pk


def test_a_returned_refund_is_paid_again_to_another_account(ended, billing_user, payments_user):
    payment = pay_refund(ended, iban=HOLDER_IBAN, payee_name="", actor=billing_user)
    bank.create_batch(actor=payments_user, execution_date=bank.first_execution_date())
    outcome = bank.record_return(
        payment.end_to_end_id, reason_code="AC04", reason_text="", actor=payments_user
    )
    assert (outcome.outcome, outcome.claim) == ("returned", "S-9")
    second = pay_refund(ended, iban=OTHER_IBAN, payee_name="", actor=billing_user)
    assert second.pk != payment.pk
    assert second.end_to_end_id == f"S-9-T{ended.pk}-2"
    assert second.status == PaymentStatus.SCHEDULED


def test_no_refund_no_payment(billing_user):
    contract = billed_contract("S-10", instalments=1, amount="365.00")
    done = terminate(contract, kind="death", effective_on=TODAY(), actor=billing_user)
    with pytest.raises(ValidationError) as refused:
        pay_refund(done, iban=HOLDER_IBAN, payee_name="", actor=billing_user)
    assert "004 Чл.25 т.10" in str(refused.value)
    assert not Payment.objects.exists()


def test_a_bad_iban_is_refused_naming_the_field(ended, billing_user):
    with pytest.raises(ValidationError) as refused:
        pay_refund(ended, iban="BG00XXXX", payee_name="", actor=billing_user)
    assert "iban" in refused.value.message_dict
    assert not Payment.objects.exists()


def test_only_billing_staff_schedule_a_refund(ended, payments_user):
    with pytest.raises(PermissionDenied):
        pay_refund(ended, iban=HOLDER_IBAN, payee_name="", actor=payments_user)
    assert not Payment.objects.exists()


def test_the_refund_shows_on_the_contract_and_the_batch_page(
    client, ended, billing_user, payments_user
):
    client.force_login(billing_user)
    url = reverse("billing:contract", args=["S-9"])
    page = client.get(url)
    assert "Schedule the refund" in page.content.decode() or "Насрочи" in page.content.decode()
    response = client.post(url, {"action": "refund", "iban": HOLDER_IBAN, "payee_name": ""})
    assert response.status_code == 302
    client.post(url, {"action": "refund", "iban": HOLDER_IBAN, "payee_name": ""})
    assert Payment.objects.count() == 1
    page = client.get(url).content.decode()
    assert f"S-9-T{ended.pk}" in page

    client.force_login(payments_user)
    waiting = client.get(reverse("claims:batches")).content.decode()
    assert f"S-9-T{ended.pk}" in waiting
    batch = bank.create_batch(actor=payments_user, execution_date=bank.first_execution_date()).batch
    shown = client.get(reverse("claims:batch", args=[batch.pk])).content.decode()
    assert f"S-9-T{ended.pk}" in shown
    assert "S-9" in shown
