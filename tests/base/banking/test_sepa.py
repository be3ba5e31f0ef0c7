"""SEPA credit transfer files, pain.001.001.09 (issue 10, "Payments": EUR amounts, EndToEndId =
claim number, remittance ≤ 140 characters, names transliterated, validated against the XSD)."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from base.banking.pain001 import NS, OFFICIAL_XSD, parsed
from zdrave.base.banking.sepa import (
    CreditTransferBatch,
    Debtor,
    Transfer,
    credit_transfer_xml,
    validate_credit_transfer,
)

SOFIA = ZoneInfo("Europe/Sofia")
INSURER = Debtor(name="„Животозастрахователен институт“ АД", iban="BG60UBBS80020010123456")


def batch(**changes) -> CreditTransferBatch:
    transfers = [
        Transfer(
            end_to_end_id="CLM-2026-000123",
            creditor_name="Живко Щерев",
            creditor_iban="BG80 BNBG 9661 1020 3456 78",
            amount=Decimal("123.45"),
            remittance="Възстановяване на разходи по претенция CLM-2026-000123",
        ),
        Transfer(
            end_to_end_id="CLM-2026-000124",
            creditor_name="Юлия Иванова",
            creditor_iban="DE89370400440532013000",
            creditor_bic="COBADEFFXXX",
            amount=Decimal("0.01"),
            remittance="Claim CLM-2026-000124",
        ),
        Transfer(
            end_to_end_id="CLM-2026-000125",
            creditor_name="ЖИВКО ПЕТРОВ",
            creditor_iban="BG60UBBS80020010123456",
            amount=Decimal("1999.99"),
            remittance="Претенция CLM-2026-000125",
        ),
    ]
    values = {
        "message_id": "ZDR-2026-0001",
        "created_at": dt.datetime(2026, 3, 2, 9, 30, tzinfo=SOFIA),
        "execution_date": dt.date(2026, 3, 3),
        "debtor": INSURER,
        "transfers": transfers,
    }
    return CreditTransferBatch(**{**values, **changes})


def test_the_file_conforms_to_the_official_xsd():
    data = credit_transfer_xml(batch())
    # Checked here with xmlschema and the shipped XSD directly, not through the code under test.
    assert OFFICIAL_XSD.is_valid(data.decode())
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<Document xmlns=")


def test_control_sum_and_number_of_transactions_are_exact():
    root = parsed(credit_transfer_xml(batch()))
    for block in ("p:CstmrCdtTrfInitn/p:GrpHdr", "p:CstmrCdtTrfInitn/p:PmtInf"):
        assert root.findtext(f"{block}/p:NbOfTxs", namespaces=NS) == "3"
        assert root.findtext(f"{block}/p:CtrlSum", namespaces=NS) == "2123.45"
    amounts = [a.text for a in root.iterfind(".//p:InstdAmt", NS)]
    assert amounts == ["123.45", "0.01", "1999.99"]
    assert {a.get("Ccy") for a in root.iterfind(".//p:InstdAmt", NS)} == {"EUR"}


def test_each_payment_carries_the_claim_number_and_the_transliterated_name():
    root = parsed(credit_transfer_xml(batch()))
    payments = root.findall(".//p:CdtTrfTxInf", NS)
    assert [p.findtext("p:PmtId/p:EndToEndId", namespaces=NS) for p in payments] == [
        "CLM-2026-000123",
        "CLM-2026-000124",
        "CLM-2026-000125",
    ]
    assert [p.findtext("p:Cdtr/p:Nm", namespaces=NS) for p in payments] == [
        "Zhivko Shterev",
        "Yulia Ivanova",
        "ZHIVKO PETROV",
    ]
    assert [p.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) for p in payments] == [
        "BG80BNBG96611020345678",
        "DE89370400440532013000",
        "BG60UBBS80020010123456",
    ]
    # The BIC: as given, derived from a Bulgarian bank code, or left out (SEPA pays by IBAN).
    assert [p.findtext("p:CdtrAgt/p:FinInstnId/p:BICFI", namespaces=NS) for p in payments] == [
        None,
        "COBADEFFXXX",
        "UBBSBGSF",
    ]
    assert payments[0].findtext("p:RmtInf/p:Ustrd", namespaces=NS) == (
        "Vazstanovyavane na razhodi po pretentsia CLM-2026-000123"
    )
    assert root.findtext(".//p:Dbtr/p:Nm", namespaces=NS) == "'Zhivotozastrahovatelen institut' AD"
    assert root.findtext(".//p:DbtrAgt/p:FinInstnId/p:BICFI", namespaces=NS) == "UBBSBGSF"
    assert root.findtext(".//p:ReqdExctnDt/p:Dt", namespaces=NS) == "2026-03-03"
    assert root.findtext(".//p:GrpHdr/p:CreDtTm", namespaces=NS) == "2026-03-02T09:30:00+02:00"


def test_a_re_export_of_the_same_batch_is_byte_identical():
    first = credit_transfer_xml(batch())
    with translation.override("en"):
        again = credit_transfer_xml(batch())
    # The same moment written in UTC is still the batch's moment in Sofia.
    in_utc = credit_transfer_xml(batch(created_at=dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.UTC)))
    assert first == again == in_utc


def test_remittance_is_cut_to_140_sepa_characters():
    long_text = "Възстановяване по претенция CLM-2026-000123 за прегледи и изследвания " * 4
    transfers = [replace(batch().transfers[0], remittance=long_text)]
    data = credit_transfer_xml(batch(transfers=transfers))
    remittance = parsed(data).findtext(".//p:Ustrd", namespaces=NS)
    assert len(remittance) == 140
    assert remittance.startswith("Vazstanovyavane po pretentsia CLM-2026-000123 za pregledi")


def test_a_debtor_bank_without_a_known_bic_is_notprovided():
    central_bank = Debtor(name="Insurer", iban="BG80BNBG96611020345678")
    root = parsed(credit_transfer_xml(batch(debtor=central_bank)))
    assert root.findtext(".//p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", namespaces=NS) == "NOTPROVIDED"


def test_a_broken_file_fails_the_validator():
    data = credit_transfer_xml(batch())
    # Without the group header's transaction count; then with a currency code of four letters.
    broken = data.replace(b"<NbOfTxs>3</NbOfTxs>", b"", 1)
    assert not OFFICIAL_XSD.is_valid(broken.decode())
    with pytest.raises(ValidationError) as refused:
        validate_credit_transfer(broken)
    assert refused.value.code == "schema"
    assert "pain.001.001.09" in refused.value.messages[0]
    assert "NbOfTxs" in refused.value.messages[0]

    wrong_currency = data.replace(b'Ccy="EUR"', b'Ccy="EURO"', 1)
    with pytest.raises(ValidationError) as refused:
        validate_credit_transfer(wrong_currency)
    assert "Ccy" in refused.value.messages[0]


def _refusal(**changes) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        credit_transfer_xml(batch(**changes))
    return refused.value


def with_first(**changes):
    transfers = list(batch().transfers)
    transfers[0] = replace(transfers[0], **changes)
    return transfers


@pytest.mark.parametrize(
    ("transfers", "code", "words"),
    [
        ([], "no_transfers", "no payment to send"),
        (with_first(end_to_end_id="CLM-2026-000124"), "duplicate_end_to_end_id", "appears twice"),
        (with_first(amount=Decimal("0.00")), "bad_amount", "between 0.01 and"),
        (with_first(amount=Decimal("-5.00")), "bad_amount", "between 0.01 and"),
        (with_first(amount=Decimal("10.005")), "bad_amount", "in whole cents"),
        (with_first(amount=Decimal("1000000000.00")), "bad_amount", "between 0.01 and"),
        (
            with_first(creditor_iban="BG81BNBG96611020345678"),
            "bad_checksum",
            "Payment CLM-2026-000123, IBAN:",
        ),
        (with_first(creditor_iban="BR1800360305000010009795493C1"), "outside_sepa", "SEPA"),
        (
            with_first(creditor_bic="FINVBGSF", creditor_iban="BG60UBBS80020010123456"),
            "bic_mismatch",
            "BIC:",
        ),
        (with_first(end_to_end_id="CLM 2026/№1"), "bad_identifier", "End-to-end id"),
        (with_first(end_to_end_id="X" * 36), "bad_identifier", "1 to 35"),
        (with_first(creditor_name="山田 太郎"), "empty_name", "empty once written in Latin"),
    ],
    ids=[
        "empty",
        "duplicate",
        "zero",
        "negative",
        "fraction-of-cent",
        "too-large",
        "bad-iban",
        "outside-sepa",
        "bic-of-another-bank",
        "identifier-charset",
        "identifier-length",
        "name-without-latin",
    ],
)
def test_a_payment_a_bank_would_reject_is_refused_before_the_file_is_written(
    transfers, code, words
):
    refused = _refusal(transfers=transfers)
    assert refused.code == code
    assert words in refused.messages[0]


def test_refusals_are_translated():
    with translation.override("bg"):
        refused = _refusal(transfers=with_first(amount=Decimal("0.00")))
        assert refused.messages == [
            "Плащане CLM-2026-000123: сумата трябва да е между 0,01 и 999 999 999.99 EUR, в цели "
            "центове."
        ]
