"""Paying claims (issue 10, "Payments"): SEPA batches validated against the official XSD, paid
exactly once, re-exported byte for byte; the bank's confirmation and returns; a new account and
the payment again; the bank fee and the heirs rules of 004 Чл.29 т.7–8."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from threading import Barrier

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from base.banking.pain001 import NS, OFFICIAL_XSD, parsed
from claims.builders import IBAN, submit
from contracts.factories import contract_with, make_user
from zdrave.base.banking.sepa import validate_credit_transfer
from zdrave.base.identity.models import Role
from zdrave.claims.actions import bank
from zdrave.claims.actions.pay import committed_amount, pay_heirs, reschedule
from zdrave.claims.models import (
    Claim,
    ClaimStatus,
    Payee,
    Payment,
    PaymentBatch,
    PaymentStatus,
)

BANK_FILES = Path(__file__).resolve().parents[1] / "base" / "banking" / "files"
NEW_IBAN = "BG60UBBS80020010123456"
DOCS = ["claim-form", "ambulatory-sheet", "invoice", "fiscal-receipt"]
DIAGNOSES = ["J06.9", "M54.5", "K29.7", "H10.3", "L20.9", "N39.0"]
_keys = iter(range(10_000))


def claim_paid_by_engine(member, user, amount: str, *, payee_name="Щерю Юлиев", **extra) -> Claim:
    """A complete outpatient claim (a specialist's examination, 002 II.1) that the engine decides
    alone and schedules for payment: each with its own diagnosis and invoice, so no duplicate
    or per-disease rule (004 Чл.13) holds it."""
    n = next(_keys)
    return submit(
        member,
        user,
        key=f"pay-{n}",
        docs=DOCS,
        service="2.1.a",
        days_ago=2,
        amount=amount,
        invoice=f"INV-{n}",
        payee_name=payee_name,
        diagnosis=DIAGNOSES[n % len(DIAGNOSES)],
        **extra,
    )


def execution_day() -> dt.date:
    return bank.first_execution_date()


def transactions(data: bytes) -> list[tuple[str, str, str, str]]:
    return [
        (
            tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
            tx.findtext("p:Cdtr/p:Nm", namespaces=NS),
            tx.findtext("p:Amt/p:InstdAmt", namespaces=NS),
            tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS),
        )
        for tx in parsed(data).iterfind(".//p:CdtTrfTxInf", NS)
    ]


@pytest.fixture
def two_claims(member, member_user):
    first = claim_paid_by_engine(member, member_user, "70.00")
    second = claim_paid_by_engine(member, member_user, "45.50", payee_name="Юлия Иванова")
    assert [first.status, second.status] == [ClaimStatus.PAYMENT_SCHEDULED] * 2
    return first, second


# -- the batch and its file ------------------------------------------------------------------


def test_the_batch_file_conforms_to_the_xsd_and_pays_each_claim_by_its_number(
    two_claims, adjuster, settings
):
    first, second = two_claims
    result = bank.create_batch(actor=adjuster, execution_date=execution_day())
    batch = result.batch
    data = bytes(batch.xml)
    assert OFFICIAL_XSD.is_valid(data.decode())
    validate_credit_transfer(data)  # the banking kit's validator agrees
    # EndToEndId = the claim number; names by the official transliteration; EUR amounts;
    # the remittance names the claim, never a diagnosis or a service.
    assert transactions(data) == [
        (
            first.number,
            "Shteryu Yuliev",
            "70.00",
            f"Vazstanovyavane na razhodi po pretentsia {first.number}",
        ),
        (
            second.number,
            "Yulia Ivanova",
            "45.50",
            f"Vazstanovyavane na razhodi po pretentsia {second.number}",
        ),
    ]
    root = parsed(data)
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "115.50"
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert root.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == settings.ZDRAVE_INSURER_IBAN
    assert root.findtext(".//p:ReqdExctnDt/p:Dt", namespaces=NS) == execution_day().isoformat()
    for claim in two_claims:
        assert claim.diagnosis
        assert claim.diagnosis.encode() not in data
    assert (batch.count, batch.total, result.left_out) == (2, Decimal("115.50"), [])
    assert batch.message_id == f"ZDR-{timezone.localdate():%Y%m%d}-{batch.pk:06d}"
    assert {p.status for p in batch.payments.all()} == {PaymentStatus.EXPORTED}
    # The claims wait for the bank: still "payment scheduled", with the step recorded.
    first.refresh_from_db()
    assert first.status == ClaimStatus.PAYMENT_SCHEDULED
    assert first.events.filter(kind="payment_sent", note=batch.message_id).count() == 1


def test_a_re_export_is_byte_identical(two_claims, adjuster, settings):
    batch = bank.create_batch(actor=adjuster, execution_date=execution_day()).batch
    first = bank.batch_file(batch, actor=adjuster)
    # Whatever changes afterwards (the insurer's settings, the member's account), the file of
    # the batch is the one the bank got.
    settings.ZDRAVE_INSURER_NAME = "Another name"
    Claim.objects.update(iban=NEW_IBAN, payee_name="Друго Име")
    batch.refresh_from_db()
    again = bank.batch_file(batch, actor=adjuster)
    assert first == again == bytes(batch.xml)
    assert b"Zdrave DEMO insurer" in again


def test_a_second_batch_finds_nothing_and_no_payment_is_booked_twice(two_claims, adjuster):
    bank.create_batch(actor=adjuster, execution_date=execution_day())
    with pytest.raises(ValidationError) as refused:
        bank.create_batch(actor=adjuster, execution_date=execution_day())
    assert refused.value.code == "nothing_waiting"
    assert PaymentBatch.objects.count() == 1
    assert Payment.objects.filter(batch__isnull=True).count() == 0
    assert Payment.objects.count() == 2


def test_a_past_or_non_working_execution_date_is_refused(two_claims, adjuster):
    saturday = timezone.localdate() + dt.timedelta(days=(5 - timezone.localdate().weekday()) % 7)
    if saturday == timezone.localdate():
        saturday += dt.timedelta(days=7)
    for day in (timezone.localdate() - dt.timedelta(days=1), saturday):
        with pytest.raises(ValidationError) as refused:
            bank.create_batch(actor=adjuster, execution_date=day)
        assert refused.value.message_dict["execution_date"][0].startswith("Дата на изпълнение: ")
    assert PaymentBatch.objects.count() == 0
    assert Payment.objects.filter(status=PaymentStatus.SCHEDULED).count() == 2


def test_an_account_no_bank_would_take_is_left_out_and_listed(member, member_user, adjuster):
    good = claim_paid_by_engine(member, member_user, "30.00")
    # A Brazilian IBAN passes the IBAN check digits but is outside the SEPA area.
    bad = claim_paid_by_engine(member, member_user, "20.00", iban="BR1800360305000010009795493C1")
    result = bank.create_batch(actor=adjuster, execution_date=execution_day())
    assert [tx[0] for tx in transactions(bytes(result.batch.xml))] == [good.number]
    assert [(x.payment.end_to_end_id, "SEPA" in x.problem) for x in result.left_out] == [
        (bad.number, True)
    ]
    assert Payment.objects.get(claim=bad).status == PaymentStatus.SCHEDULED


def test_only_payments_staff_make_batches(two_claims, member_user, medical_expert):
    for who in (member_user, medical_expert):
        with pytest.raises(PermissionDenied):
            bank.create_batch(actor=who, execution_date=execution_day())
    assert PaymentBatch.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_creating_a_batch_at_once_get_one_batch(member, member_user, adjuster):
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: concurrent writers")
    claims = [claim_paid_by_engine(member, member_user, f"{20 + n}.00") for n in range(3)]
    second_adjuster = make_user("adj-par", Role.CLAIMS_ADJUSTER, email="p@insurer.bg")
    barrier = Barrier(2)

    def press(actor) -> str:
        barrier.wait()
        try:
            return bank.create_batch(actor=actor, execution_date=execution_day()).batch.message_id
        except ValidationError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(press, [adjuster, second_adjuster]))
    batches = list(PaymentBatch.objects.all())
    assert len(batches) == 1
    assert answers == sorted([batches[0].message_id, "nothing_waiting"])
    assert batches[0].count == 3
    assert set(Payment.objects.values_list("batch", flat=True)) == {batches[0].pk}
    assert len(claims) == 3


# -- the bank's answer -----------------------------------------------------------------------


def test_confirming_a_batch_pays_the_claims_and_tells_the_members(
    two_claims, adjuster, django_capture_on_commit_callbacks
):
    first, _second = two_claims
    batch = bank.create_batch(actor=adjuster, execution_date=execution_day()).batch
    mail.outbox.clear()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert bank.confirm_batch_paid(batch, actor=adjuster, on=today) == 2
    first.refresh_from_db()
    assert first.status == ClaimStatus.PAID
    payment = first.payments.get()
    assert (payment.status, timezone.localdate(payment.paid_at)) == (PaymentStatus.PAID, today)
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"Претенция {c.number}: платена" for c in two_claims
    )
    assert "70,00" in mail.outbox[0].body or "70,00" in mail.outbox[1].body
    # Twice is refused, and nothing changes.
    with pytest.raises(ValidationError) as refused:
        bank.confirm_batch_paid(batch, actor=adjuster, on=today)
    assert refused.value.message_dict["on"] == [
        f"Платено на: този пакет вече е потвърден на {today:%d.%m.%Y}."
    ]
    assert first.events.filter(kind="paid").count() == 1
    assert len(mail.outbox) == 2


def test_a_returned_payment_fails_the_claim_and_tells_the_member_why(
    two_claims, adjuster, django_capture_on_commit_callbacks
):
    first, second = two_claims
    bank.create_batch(actor=adjuster, execution_date=execution_day())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = bank.record_return(
            first.number, reason_code="AC04", reason_text="Account closed", actor=adjuster
        )
    assert (outcome.outcome, outcome.claim) == ("returned", first.number)
    first.refresh_from_db()
    payment = first.payments.get()
    assert (payment.status, payment.return_reason) == (
        PaymentStatus.RETURNED,
        "AC04: Account closed",
    )
    assert first.status == ClaimStatus.PAYMENT_FAILED
    assert committed_amount(first) == Decimal("0.00")  # owed again
    (message,) = mail.outbox
    assert message.subject == f"Претенция {first.number}: плащането е върнато"
    assert "Сметката е закрита." in message.body  # the reason, in the member's words
    assert "IBAN" in message.body
    assert f"/claims/{first.number}/" in message.body
    # The other claim of the batch is untouched.
    second.refresh_from_db()
    assert second.status == ClaimStatus.PAYMENT_SCHEDULED
    assert second.payments.get().status == PaymentStatus.EXPORTED


def test_a_status_report_returns_our_payments_and_lists_the_unknown_ones(two_claims, adjuster):
    first, _second = two_claims
    bank.create_batch(actor=adjuster, execution_date=execution_day())
    report = (BANK_FILES / "pain.002.001.10-rejections.xml").read_bytes()
    report = report.replace(b"CLM-2026-000124", first.number.encode())
    outcomes = bank.import_returns(report, actor=adjuster)
    assert [(o.end_to_end_id, o.outcome) for o in outcomes] == [
        (first.number, "returned"),
        ("CLM-2026-000125", "unknown"),
    ]
    first.refresh_from_db()
    assert first.status == ClaimStatus.PAYMENT_FAILED
    assert first.payments.get().return_reason == "AC01: IBAN unknown at the receiving bank"
    # The same file again changes nothing.
    again = bank.import_returns(report, actor=adjuster)
    assert [o.outcome for o in again] == ["already", "unknown"]
    assert first.events.filter(kind="payment_failed").count() == 1


def test_a_transfer_returned_after_the_batch_was_paid_fails_the_claim(two_claims, adjuster):
    first, _second = two_claims
    batch = bank.create_batch(actor=adjuster, execution_date=execution_day()).batch
    bank.confirm_batch_paid(batch, actor=adjuster, on=timezone.localdate())
    notice = (BANK_FILES / "camt.054.001.08-return.xml").read_bytes()
    notice = notice.replace(b"CLM-2026-000123", first.number.encode())
    outcomes = bank.import_returns(notice, actor=adjuster)
    assert [(o.end_to_end_id, o.outcome) for o in outcomes] == [(first.number, "returned")]
    first.refresh_from_db()
    assert first.status == ClaimStatus.PAYMENT_FAILED
    assert first.payments.get().status == PaymentStatus.RETURNED


def test_a_file_that_is_not_a_bank_report_is_refused_with_a_message(adjuster):
    with pytest.raises(ValidationError) as refused:
        bank.import_returns(b"%PDF-1.7 not a bank file", actor=adjuster)
    assert refused.value.messages[0].startswith("Банков файл: ")


# -- paying again ----------------------------------------------------------------------------


def test_a_new_account_pays_what_is_still_owed_under_a_new_end_to_end_id(
    two_claims, adjuster, member_user
):
    first, _second = two_claims
    bank.create_batch(actor=adjuster, execution_date=execution_day())
    bank.record_return(first.number, reason_code="AC01", reason_text="", actor=adjuster)
    first.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        reschedule(first, actor=member_user)  # the account the bank returned
    assert "IBAN" in str(refused.value.message_dict["iban"])
    # The member gives another account (the member pages' ``change_account`` stores it).
    Claim.objects.filter(pk=first.pk).update(iban=NEW_IBAN, payee_name="Щерю Юлиев")
    first.refresh_from_db()
    payment = reschedule(first, actor=member_user)
    first.refresh_from_db()
    assert (payment.end_to_end_id, payment.amount, payment.iban, payment.status) == (
        f"{first.number}-2",
        Decimal("70.00"),
        NEW_IBAN,
        PaymentStatus.SCHEDULED,
    )
    assert first.status == ClaimStatus.PAYMENT_SCHEDULED
    assert committed_amount(first) == Decimal("70.00")
    # Only once: the claim's payment is scheduled again, nothing is owed twice.
    with pytest.raises(ValidationError):
        reschedule(first, actor=member_user)
    assert first.payments.count() == 2
    # The next batch pays it, with the claim's number in the remittance.
    data = bytes(bank.create_batch(actor=adjuster, execution_date=execution_day()).batch.xml)
    assert transactions(data) == [
        (
            f"{first.number}-2",
            "Shteryu Yuliev",
            "70.00",
            f"Vazstanovyavane na razhodi po pretentsia {first.number}, plashtane 2",
        )
    ]


def test_someone_else_cannot_reschedule_a_members_payment(two_claims, adjuster):
    first, _second = two_claims
    bank.create_batch(actor=adjuster, execution_date=execution_day())
    bank.record_return(first.number, reason_code="AC04", reason_text="", actor=adjuster)
    stranger = make_user("stranger", email="s@example.bg")
    contract_with(stranger, number="H-200", extra_care=False)
    with pytest.raises(PermissionDenied):
        reschedule(first, actor=stranger)
    assert first.payments.count() == 1


# -- 004 Чл.29 т.7–8 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "fee_is_insureds"),
    [("10.23", True), ("10.24", False)],
    ids=["004-chl29-t7-up-to-20-leva", "004-chl29-t7-above-20-leva"],
)
def test_the_bank_fee_of_a_small_payment_is_the_insureds(
    member, member_user, adjuster, client, amount, fee_is_insureds
):
    claim = claim_paid_by_engine(member, member_user, amount)
    payment = claim.payments.get()
    assert (payment.amount, payment.bank_fee_borne_by_insured) == (
        Decimal(amount),
        fee_is_insureds,
    )
    client.force_login(adjuster)
    page = client.get(reverse("claims:batches")).content.decode()
    assert ("Банковата такса е за сметка на застрахования" in page) is fee_is_insureds


def test_heirs_are_not_paid_until_the_death_and_their_documents_are_recorded(
    member, member_user, adjuster, second_adjuster
):
    claim = claim_paid_by_engine(member, member_user, "60.00", payee=Payee.HEIRS)
    # 004 Чл.29 т.8: the engine decided, but holds the payment for an adjuster.
    assert claim.status == ClaimStatus.APPROVED
    assert claim.payments.count() == 0
    held = claim.events.get(kind="payment_held")
    assert "004 Чл.29 т.8" in held.note
    # An adjuster must record the death, the documents and the heirs' account.
    with pytest.raises(ValidationError) as refused:
        pay_heirs(
            claim,
            actor=adjuster,
            died_on=timezone.localdate() + dt.timedelta(days=1),
            documents=" ",
            iban=NEW_IBAN,
            payee_name="Наследници на Мила",
        )
    assert set(refused.value.message_dict) == {"died_on", "documents"}
    claim.refresh_from_db()
    assert (claim.payee, claim.iban, claim.payments.count()) == (Payee.HEIRS, IBAN, 0)
    with pytest.raises(PermissionDenied):
        pay_heirs(
            claim,
            actor=member_user,
            died_on=timezone.localdate(),
            documents="Удостоверение за наследници № 12/2026",
            iban=NEW_IBAN,
            payee_name="Наследници",
        )
    pay_heirs(
        claim,
        actor=adjuster,
        died_on=timezone.localdate() - dt.timedelta(days=1),
        documents="Удостоверение за наследници № 12/2026; препис-извлечение от акт за смърт",
        iban=NEW_IBAN,
        payee_name="Петър Иванов",
    )
    claim.refresh_from_db()
    payment = claim.payments.get()
    assert (payment.payee, payment.iban, payment.payee_name, payment.amount) == (
        Payee.HEIRS,
        NEW_IBAN,
        "Петър Иванов",
        Decimal("60.00"),
    )
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED


# -- the pages -------------------------------------------------------------------------------


def test_the_payments_pages_are_for_payments_staff_only(
    client, member_user, medical_expert, adjuster
):
    admin = make_user("boss", Role.ADMINISTRATOR, email="boss@insurer.bg")
    urls = [reverse("claims:batches"), reverse("claims:returns")]
    for url in urls:
        assert client.get(url).status_code == 302  # to log-in
    for who, status in ((member_user, 403), (medical_expert, 403), (adjuster, 200), (admin, 200)):
        client.force_login(who)
        assert [client.get(url).status_code for url in urls] == [status, status]


def test_pressing_create_batch_twice_creates_one_batch(client, two_claims, adjuster):
    client.force_login(adjuster)
    page = client.get(reverse("claims:batches")).content.decode()
    assert "115,50" in page
    assert f'value="{execution_day().isoformat()}"' in page
    form = {"action": "create", "execution_date": execution_day().isoformat()}
    first = client.post(reverse("claims:batches"), form)
    batch = PaymentBatch.objects.get()
    assert first.status_code == 302
    assert first["Location"] == reverse("claims:batch", args=[batch.pk])
    again = client.post(reverse("claims:batches"), form)
    assert again.status_code == 200
    assert "не чака нито едно насрочено плащане" in again.content.decode()
    assert PaymentBatch.objects.count() == 1
    detail = client.get(first["Location"]).content.decode()
    for claim in two_claims:
        assert claim.number in detail
    download = client.get(reverse("claims:batch_file", args=[batch.pk]))
    assert download["Content-Type"] == "application/xml"
    assert f'filename="{batch.message_id}.xml"' in download["Content-Disposition"]
    assert download.content == bytes(batch.xml)


def test_the_batch_page_confirms_and_marks_a_payment_returned(client, two_claims, adjuster):
    first, second = two_claims
    batch = bank.create_batch(actor=adjuster, execution_date=execution_day()).batch
    client.force_login(adjuster)
    url = reverse("claims:batch", args=[batch.pk])
    returned = client.post(
        url,
        {"action": "return", "end_to_end_id": first.number, "reason_code": "AC01"},
    )
    assert returned.status_code == 302
    first.refresh_from_db()
    assert first.status == ClaimStatus.PAYMENT_FAILED
    bad = client.post(url, {"action": "confirm", "on": "2999-01-01"})
    assert bad.status_code == 200
    assert "Платено на" in bad.content.decode()
    batch.refresh_from_db()
    assert batch.confirmed_at is None
    confirmed = client.post(url, {"action": "confirm", "on": timezone.localdate().isoformat()})
    assert confirmed.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, second.status) == (ClaimStatus.PAYMENT_FAILED, ClaimStatus.PAID)


def test_the_returns_page_reads_a_bank_file_and_lists_the_result(client, two_claims, adjuster):
    first, _second = two_claims
    bank.create_batch(actor=adjuster, execution_date=execution_day())
    report = (BANK_FILES / "pain.002.001.10-rejections.xml").read_bytes()
    report = report.replace(b"CLM-2026-000124", first.number.encode())
    client.force_login(adjuster)
    upload = SimpleUploadedFile("report.xml", report, content_type="application/xml")
    posted = client.post(reverse("claims:returns"), {"file": upload})
    assert posted.status_code == 302
    page = client.get(posted["Location"]).content.decode()
    assert first.number in page
    assert "CLM-2026-000125" in page
    assert "Номерът на сметката (IBAN) е грешен." in page
    # The results are shown once (POST/redirect/GET): a reload shows the empty form.
    assert "CLM-2026-000125" not in client.get(reverse("claims:returns")).content.decode()
    not_xml = SimpleUploadedFile("scan.pdf", b"%PDF-1.7", content_type="application/pdf")
    refused = client.post(reverse("claims:returns"), {"file": not_xml})
    assert refused.status_code == 200
    assert "Банков файл: " in refused.content.decode()
