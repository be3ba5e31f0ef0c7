"""A claim's way through the platform: intake, the engine's automatic decision, missing
documents, the adjuster and the second approval, withdrawal — each step recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from claims.builders import stage, submit
from zdrave.claims.actions import decide as deciding
from zdrave.claims.actions.intake import (
    ClaimInput,
    LineInput,
    add_documents,
    submit_claim,
    withdraw,
)
from zdrave.claims.models import Claim, ClaimStatus, Payment, PaymentStatus


def _steps(claim):
    return [(e.kind, e.to_status) for e in claim.events.order_by("at", "id")]


def test_complete_claim_is_decided_and_scheduled_for_payment_without_a_person(
    member, member_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = submit(member, member_user)
    assert claim.number.startswith(f"CL-{timezone.localdate().year}-")
    assert claim.missing_documents == []
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    assert claim.decided_automatically
    # 002 VII: clause Б2 carries no co-payment on this line; the whole invoice is paid.
    assert claim.payable == Decimal("150.00")
    payment = Payment.objects.get(claim=claim)
    assert (payment.amount, payment.status, payment.end_to_end_id) == (
        Decimal("150.00"),
        PaymentStatus.SCHEDULED,
        claim.number,
    )
    assert _steps(claim) == [
        ("submitted", "submitted"),
        ("auto_decided", "approved"),
        ("payment_scheduled", "payment_scheduled"),
    ]
    assert claim.versions.get().decided_by is None
    subjects = [m.subject for m in mail.outbox]
    # One e-mail: the decision, which carries the incoming number (004 Чл.29 т.1).
    assert subjects == [f"Претенция {claim.number}: нашето решение"]


def test_same_form_sent_twice_creates_one_claim(member, member_user):
    first = submit(member, member_user, key="same")
    again = submit(member, member_user, key="same", docs=[])
    assert first.pk == again.pk
    assert Claim.objects.count() == 1


def test_missing_documents_are_asked_for_and_adding_them_decides_the_claim_004_chl29_t2(
    member, member_user
):
    claim = submit(member, member_user, docs=["claim-form", "ambulatory-sheet", "invoice"])
    assert claim.status == ClaimStatus.PENDING_DOCUMENTS
    assert "fiscal-receipt" in claim.missing_documents or "payment-order" in str(
        claim.missing_documents
    )
    assert claim.complete_on is None
    assert claim.documents_requested_on == timezone.localdate()
    stage(member_user, "later", ["fiscal-receipt", "test-results", "imaging-report"])
    claim = add_documents(claim, actor=member_user, form_key="later")
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    assert claim.complete_on == timezone.localdate()


def test_bad_input_names_the_field_and_saves_nothing(member, member_user):
    with pytest.raises(ValidationError) as caught:
        submit_claim(
            ClaimInput(
                member=member,
                kind="outpatient",
                lines=[
                    LineInput(
                        service="2.8.e",
                        date=timezone.localdate() + dt.timedelta(days=2),
                        amount=Decimal("0"),
                    )
                ],
                iban="",
            ),
            actor=member_user,
        )
    messages = str(caught.value.message_dict)
    assert "IBAN" in messages
    assert Claim.objects.count() == 0


def test_someone_else_cannot_claim_for_the_member(member, adjuster):
    with pytest.raises(PermissionDenied):
        submit(member, adjuster)
    assert Claim.objects.count() == 0


def test_override_needs_a_reason_and_a_second_person(
    member, member_user, adjuster, second_adjuster
):
    claim = submit(member, member_user, diagnosis="")
    assert claim.status == ClaimStatus.REFERRED_MEDICAL
    with pytest.raises(ValidationError):
        deciding.parse_override(0, "90", "  ")
    override = deciding.parse_override(0, "90.00", "Invoice shows a discount")
    status = deciding.decide(claim, actor=adjuster, overrides=[override])
    claim.refresh_from_db()
    assert status == ClaimStatus.AWAITING_APPROVAL
    assert claim.payable == Decimal("0.00")  # nothing final yet
    with pytest.raises(PermissionDenied):
        deciding.approve(claim, actor=adjuster)
    deciding.approve(claim, actor=second_adjuster)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    assert claim.payable == Decimal("90.00")
    line = claim.lines.get()
    assert line.payable == Decimal("90.00")
    assert line.reasons[-1]["message"] == "Invoice shows a discount"


def test_duplicate_invoice_goes_to_an_adjuster_and_is_not_paid_twice(member, member_user):
    submit(member, member_user, key="a")
    second = submit(member, member_user, key="b")
    assert second.status == ClaimStatus.REFERRED_ADJUSTER
    assert second.duplicate_flags[0]["rule"] in ("same_invoice", "same_person_date_amount")
    assert Payment.objects.filter(claim=second).count() == 0


def test_member_withdraws_an_open_claim(member, member_user):
    claim = submit(member, member_user, diagnosis="")
    withdraw(claim, actor=member_user, note="paid by my employer")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        withdraw(claim, actor=member_user)
