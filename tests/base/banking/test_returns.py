"""Returned and rejected payments (issue 10: "a returned/rejected payment (a pain.002 or camt.054
file …) puts the claim back to 'payment failed' with the reason"). The sample files in files/
were written for these tests from the ISO 20022 messages."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from zdrave.base.banking.returns import WholeFileRejected, parse_returns

FILES = Path(__file__).resolve().parent / "files"


def sample(name: str) -> bytes:
    return (FILES / name).read_bytes()


def test_a_status_report_gives_the_rejected_payments_only():
    returned = parse_returns(sample("pain.002.001.10-rejections.xml"))
    assert [(r.end_to_end_id, r.reason_code, str(r.reason_text)) for r in returned] == [
        ("CLM-2026-000124", "AC01", "The account number (IBAN) is wrong."),
        ("CLM-2026-000125", "RC01", "The bank code (BIC) is wrong."),
    ]
    assert returned[0].bank_text == "IBAN unknown at the receiving bank"
    assert returned[0].amount == Decimal("200.00")
    assert returned[1].amount is None
    assert {r.original_message_id for r in returned} == {"ZDR-2026-0001"}


def test_the_reason_is_told_in_the_members_language():
    returned = parse_returns(sample("pain.002.001.10-rejections.xml"))
    with translation.override("bg"):
        assert str(returned[0].reason_text) == "Номерът на сметката (IBAN) е грешен."


def test_a_notification_gives_the_returned_transfer_and_not_the_ordinary_credit():
    returned = parse_returns(sample("camt.054.001.08-return.xml"))
    assert len(returned) == 1
    (back,) = returned
    assert back.end_to_end_id == "CLM-2026-000123"
    assert back.reason_code == "AC04"
    assert str(back.reason_text) == "The account is closed."
    assert back.bank_text == "Account closed on 2026-02-28"
    assert back.amount == Decimal("123.45")
    assert back.original_message_id == "ZDR-2026-0001"


def test_a_notification_that_breaks_its_xsd_is_refused():
    broken = sample("camt.054.001.08-return.xml").replace(b"<CdtDbtInd>CRDT</CdtDbtInd>", b"", 1)
    with pytest.raises(ValidationError) as refused:
        parse_returns(broken)
    assert refused.value.code == "schema"
    assert "camt.054.001.08" in refused.value.messages[0]
    assert "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry[1]" in refused.value.messages[0]


def test_a_whole_file_rejection_names_the_file_and_the_reason():
    with pytest.raises(WholeFileRejected) as refused:
        parse_returns(sample("pain.002.001.03-file-rejected.xml"))
    assert refused.value.message_id == "ZDR-2026-0002"
    assert refused.value.reason_code == "FF01"
    assert refused.value.messages == [
        "Bank file: the bank rejected the whole payment file ZDR-2026-0002. The payment file was "
        "not in a valid format. No payment in it was made; correct the file and export the batch "
        "again."
    ]


def test_a_report_that_accepts_everything_returns_nothing():
    accepted = sample("pain.002.001.10-rejections.xml").replace(b"RJCT", b"ACSC")
    assert parse_returns(accepted) == []


def test_a_rejection_without_a_reason_says_so():
    data = sample("pain.002.001.10-rejections.xml").replace(b"<Cd>RC01</Cd>", b"<Prtry>X9</Prtry>")
    assert [(r.reason_code, str(r.reason_text)) for r in parse_returns(data)][1] == (
        "X9",
        "Reason code X9.",
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "not_xml"),
        (b"%PDF-1.7 not a bank file", "not_xml"),
        (b"<Document><unclosed></Document>", "not_xml"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "boom">]>'
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">&x;</Document>',
            "not_xml",
        ),
        (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>', "unknown_message"),
        (b"<Statement/>", "unknown_message"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><Other/></Document>',
            "missing_element",
        ),
    ],
    ids=["empty", "pdf", "malformed", "entity", "a-payment-file", "other-xml", "no-report"],
)
def test_a_file_that_is_not_a_report_is_refused_with_a_message(data, code):
    with pytest.raises(ValidationError) as refused:
        parse_returns(data)
    assert refused.value.code == code
    assert refused.value.messages[0].startswith("Bank file: ")


def test_a_rejected_payment_without_its_end_to_end_id_is_refused():
    data = sample("pain.002.001.10-rejections.xml").replace(
        b"<OrgnlEndToEndId>CLM-2026-000125</OrgnlEndToEndId>", b""
    )
    with pytest.raises(ValidationError) as refused:
        parse_returns(data)
    assert refused.value.code == "missing_end_to_end_id"
