"""Filing, taking, escalating and answering complaints through the real actions; the answer's
deadline from the product's clause (004 silent: one month; 004 Чл.30 т.7 postmark for a letter);
a complaint upheld about a rejected claim reopens it through the claims workflow."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from member_rights.complaints.conftest import jpeg, member_complaint
from zdrave.base.audit.models import AuditEvent
from zdrave.claims.models import ClaimStatus
from zdrave.engine.calendar import add_months
from zdrave.member_rights.complaints import actions
from zdrave.member_rights.complaints.models import (
    Channel,
    Complaint,
    ComplaintFile,
    ComplaintStatus,
    Outcome,
)

pytestmark = pytest.mark.django_db


def test_004_silent_a_portal_complaint_is_due_one_month_after_filing(
    rejected_claim, member_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = member_complaint(member_user, claim=rejected_claim)
    today = timezone.localdate()
    assert complaint.number == f"CP-{today.year}-{complaint.pk:06d}"
    assert complaint.channel == Channel.PORTAL
    assert complaint.received_on == today
    assert complaint.due_on == add_months(today, 1)
    assert complaint.deadline_from_terms is False
    assert complaint.contract_id == rejected_claim.contract_id
    assert [e.kind for e in complaint.events.all()] == ["registered"]
    assert AuditEvent.objects.filter(verb="complaint_registered").count() == 1
    receipt = mail.outbox[-1]
    assert receipt.to == ["mila@example.bg"]
    assert complaint.number in receipt.subject
    assert f"{complaint.due_on:%d.%m.%Y}" in receipt.body


def test_the_same_form_key_twice_is_one_complaint(rejected_claim, member_user):
    first = member_complaint(member_user, claim=rejected_claim, key="same")
    second = member_complaint(member_user, claim=rejected_claim, key="same")
    assert first.pk == second.pk
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("   ", "моля, опишете за какво е жалбата", id="empty-text"),
        pytest.param(
            "ж" * 100_000, "най-много 10 000 знака (написахте 100000)", id="100-000-characters"
        ),
    ],
)
def test_a_complaint_without_text_or_too_long_is_refused_and_nothing_stored(
    member_user, contract, text, message
):
    with pytest.raises(ValidationError) as refused:
        member_complaint(member_user, contract=contract, text=text)
    assert message in " ".join(refused.value.message_dict["text"])
    assert Complaint.objects.count() == 0


def test_ten_thousand_characters_are_accepted(member_user, contract):
    complaint = member_complaint(member_user, contract=contract, text="ж" * 10_000)
    assert len(complaint.text) == 10_000


def test_a_member_cannot_complain_about_someone_elses_claim(rejected_claim, other_user):
    with pytest.raises(ValidationError) as refused:
        member_complaint(other_user, claim=rejected_claim)
    assert "изберете една от своите претенции" in str(refused.value)
    assert Complaint.objects.count() == 0


def test_staff_cannot_use_the_portal_form_and_adjusters_cannot_file(rejected_claim, world):
    from contracts.factories import make_user
    from zdrave.base.identity.models import Role

    adjuster = make_user("adj", Role.CLAIMS_ADJUSTER)
    with pytest.raises(PermissionDenied):
        member_complaint(adjuster, contract=world.individual)


def test_a_letter_counts_from_its_postmark_004_chl30_t7(officer, contract, member_user):
    postmark = dt.date(2026, 11, 30)
    complaint = actions.file_complaint(
        actions.staff_input(
            category="contract",
            text="Писмо: премията е удържана два пъти.",
            channel=Channel.LETTER,
            received_on=postmark,
            complainant_name="Мила Тестова",
            complainant_user=member_user,
            contract=contract,
            postal_address="София, ул. Шипка 1",
            idempotency_key="letter-1",
        ),
        actor=officer,
    )
    assert complaint.received_on == postmark
    assert complaint.due_on == dt.date(2026, 12, 30)
    assert complaint.channel == Channel.LETTER
    assert complaint.filed_by == officer
    assert complaint.complainant_user == member_user


def test_an_attached_photo_is_stored_and_a_fake_file_refused(member_user, contract):
    complaint = actions.file_complaint(
        actions.ComplaintInput(
            category="contract",
            text="Прилагам писмото.",
            complainant_kind="insured",
            complainant_name="Мила",
            contract=contract,
            files=[jpeg()],
            idempotency_key="with-file",
        ),
        actor=member_user,
    )
    assert ComplaintFile.objects.filter(complaint=complaint).count() == 1
    fake = SimpleUploadedFile("scan.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        actions.file_complaint(
            actions.ComplaintInput(
                category="contract",
                text="Втора.",
                complainant_kind="insured",
                complainant_name="Мила",
                contract=contract,
                files=[fake],
                idempotency_key="fake-file",
            ),
            actor=member_user,
        )
    assert "scan.pdf" in str(refused.value)
    assert Complaint.objects.count() == 1


def test_upheld_complaint_reopens_the_rejected_claim_recorded_on_both(
    rejected_claim, member_user, officer, django_capture_on_commit_callbacks
):
    complaint = member_complaint(member_user, claim=rejected_claim)
    actions.take(complaint, actor=officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answered = actions.answer(
            complaint,
            actor=officer,
            outcome=Outcome.UPHELD,
            reasons="Ядрено-магнитният резонанс е по друг повод.",
            reopen=True,
        )
    rejected_claim.refresh_from_db()
    assert rejected_claim.status == ClaimStatus.REOPENED
    step = rejected_claim.events.get(kind="reopened")
    assert step.actor == officer
    assert complaint.number in step.note
    assert answered.status == ComplaintStatus.ANSWERED
    assert answered.claim_reopened is True
    assert answered.answered_on == timezone.localdate()
    kinds = [e.kind for e in answered.events.all()]
    assert kinds == ["registered", "taken", "claim_reopened", "answered"]
    letter = mail.outbox[-1]
    assert complaint.number in letter.subject
    name, content, kind = letter.attachments[0]
    assert (name, kind) == (f"{complaint.number}.pdf", "application/pdf")
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages
    )
    assert "Комисията за финансов надзор" in text
    assert rejected_claim.number in text


def test_a_complaint_not_upheld_cannot_reopen_the_claim(rejected_claim, member_user, officer):
    complaint = member_complaint(member_user, claim=rejected_claim)
    with pytest.raises(ValidationError) as refused:
        actions.answer(
            complaint, actor=officer, outcome=Outcome.NOT_UPHELD, reasons="Не.", reopen=True
        )
    assert "reopen" in refused.value.message_dict
    rejected_claim.refresh_from_db()
    complaint.refresh_from_db()
    assert rejected_claim.status == ClaimStatus.REJECTED
    assert complaint.status == ComplaintStatus.REGISTERED


def test_an_answer_needs_reasons(member_user, contract, officer):
    complaint = member_complaint(member_user, contract=contract)
    with pytest.raises(ValidationError) as refused:
        actions.answer(complaint, actor=officer, outcome=Outcome.NOT_UPHELD, reasons="")
    assert "reasons" in refused.value.message_dict
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REGISTERED


def test_escalation_goes_to_a_second_person_who_alone_answers(
    member_user, contract, officer, second_officer
):
    complaint = member_complaint(member_user, contract=contract)
    with pytest.raises(ValidationError):
        actions.escalate(complaint, actor=officer, to=officer, note="Сложен случай.")
    with pytest.raises(ValidationError):
        actions.escalate(complaint, actor=officer, to=second_officer, note=" ")
    actions.escalate(complaint, actor=officer, to=second_officer, note="Сложен случай.")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ESCALATED
    assert complaint.escalated_to == second_officer
    with pytest.raises(ValidationError) as refused:
        actions.answer(complaint, actor=officer, outcome=Outcome.UPHELD, reasons="Да.")
    assert "второ ниво" in str(refused.value)
    actions.answer(complaint, actor=second_officer, outcome=Outcome.UPHELD, reasons="Да.")
    complaint.refresh_from_db()
    assert complaint.answered_by == second_officer


def test_an_answered_complaint_cannot_be_answered_again(member_user, contract, officer):
    complaint = member_complaint(member_user, contract=contract)
    actions.answer(complaint, actor=officer, outcome=Outcome.UPHELD, reasons="Да.")
    with pytest.raises(ValidationError):
        actions.answer(complaint, actor=officer, outcome=Outcome.NOT_UPHELD, reasons="Не.")
    complaint.refresh_from_db()
    assert complaint.outcome == Outcome.UPHELD
