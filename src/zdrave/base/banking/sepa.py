"""SEPA credit transfer files: ISO 20022 ``pain.001.001.09`` from plain dataclasses.

sepaxml 2.7.0 writes this version too, but stamps each file with a random message id, random
payment-information ids and the wall-clock time, so a re-export could never be byte-identical;
the file is written here with the standard library instead (docs/decisions.md). Every file is
validated against the official XSD before it is returned.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zdrave.base.banking import schemas
from zdrave.base.banking.iban import (
    bic_for_iban,
    check_bic_matches_iban,
    normalise_bic,
    normalise_iban,
)
from zdrave.base.banking.transliteration import sepa_text

MESSAGE = "pain.001.001.09"
NS = schemas.namespace(MESSAGE)
SOFIA = ZoneInfo("Europe/Sofia")
CENT = Decimal("0.01")
# EPC SCT rulebook: an amount from 0.01 to 999 999 999.99 EUR; names up to 70 characters,
# unstructured remittance up to 140; identifiers up to 35 in the restricted SEPA set.
MAX_AMOUNT = Decimal("999999999.99")
NAME_LENGTH = 70
REMITTANCE_LENGTH = 140
_IDENTIFIER = re.compile(
    r"[A-Za-z0-9/\-?:().,'+]([A-Za-z0-9/\-?:().,'+ ]{0,33}[A-Za-z0-9/\-?:().,'+])?"
)


@dataclass(frozen=True)
class Debtor:
    """The insurer's paying account."""

    name: str
    iban: str
    bic: str | None = None


@dataclass(frozen=True)
class Transfer:
    """One payment. ``end_to_end_id`` travels to the payee's bank statement and comes back in a
    return: the claim number. ``amount`` is EUR with two decimals."""

    end_to_end_id: str
    creditor_name: str
    creditor_iban: str
    amount: Decimal
    remittance: str
    creditor_bic: str | None = None


@dataclass(frozen=True)
class CreditTransferBatch:
    """One file. ``created_at`` is when the batch was made (kept with it), not when the file is
    written, so that exporting the same batch again gives the same bytes."""

    message_id: str
    created_at: dt.datetime
    execution_date: dt.date
    debtor: Debtor
    transfers: Sequence[Transfer]


def credit_transfer_xml(batch: CreditTransferBatch) -> bytes:
    """The batch as a pain.001.001.09 file (UTF-8), validated against the official XSD.

    Raises ``ValidationError`` for anything a bank would reject: no transfers, a duplicate
    end-to-end id, an amount that is not a positive number of euro cents, a bad IBAN or BIC, an
    identifier outside the SEPA set, a name that is empty once written in SEPA characters."""
    debtor_iban, debtor_bic = _account(batch.debtor.iban, batch.debtor.bic, _("Paying account"))
    transfers = _checked_transfers(batch.transfers)
    _check_identifier(batch.message_id, _("Message id"))
    if batch.created_at.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    total = sum((t.amount for t in transfers), Decimal("0.00"))
    count = str(len(transfers))

    # Plain tag names under an explicit default namespace: ElementTree's ``default_namespace``
    # refuses the unqualified ``Ccy`` attribute the schema requires.
    document = ET.Element("Document", {"xmlns": NS})
    initiation = _sub(document, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", batch.message_id)
    created = batch.created_at.astimezone(SOFIA).replace(microsecond=0)
    _sub(header, "CreDtTm", created.isoformat())
    _sub(header, "NbOfTxs", count)
    _sub(header, "CtrlSum", _amount(total))
    debtor_name = _name(batch.debtor.name, _("Paying account"))
    _sub(_sub(header, "InitgPty"), "Nm", debtor_name)

    payment = _sub(initiation, "PmtInf")
    _sub(payment, "PmtInfId", batch.message_id)
    _sub(payment, "PmtMtd", "TRF")
    _sub(payment, "BtchBookg", "true")
    _sub(payment, "NbOfTxs", count)
    _sub(payment, "CtrlSum", _amount(total))
    _sub(_sub(_sub(payment, "PmtTpInf"), "SvcLvl"), "Cd", "SEPA")
    _sub(_sub(payment, "ReqdExctnDt"), "Dt", batch.execution_date.isoformat())
    _sub(_sub(payment, "Dbtr"), "Nm", debtor_name)
    _sub(_sub(_sub(payment, "DbtrAcct"), "Id"), "IBAN", debtor_iban)
    _agent(_sub(payment, "DbtrAgt"), debtor_bic)
    _sub(payment, "ChrgBr", "SLEV")
    for transfer in transfers:
        _transfer(payment, transfer)

    ET.indent(document, space="  ")
    data = ET.tostring(document, encoding="UTF-8", xml_declaration=True)
    data += b"\n"
    validate_credit_transfer(data)
    return data


def validate_credit_transfer(data: bytes) -> None:
    """Raise ``ValidationError`` unless ``data`` conforms to the official pain.001.001.09 XSD."""
    schemas.validate(data, MESSAGE, label=str(_("Payment file")))


def _checked_transfers(transfers: Sequence[Transfer]) -> list[Transfer]:
    if not transfers:
        raise ValidationError(_("Payment file: there is no payment to send."), code="no_transfers")
    seen: set[str] = set()
    checked = []
    for transfer in transfers:
        label = _("Payment %(id)s") % {"id": transfer.end_to_end_id}
        _check_identifier(transfer.end_to_end_id, _("End-to-end id"))
        if transfer.end_to_end_id in seen:
            raise ValidationError(
                _("%(field)s: appears twice in one file; each payment is sent once."),
                code="duplicate_end_to_end_id",
                params={"field": label},
            )
        seen.add(transfer.end_to_end_id)
        _check_amount(transfer.amount, label)
        iban, bic = _account(transfer.creditor_iban, transfer.creditor_bic, label)
        checked.append(
            Transfer(
                end_to_end_id=transfer.end_to_end_id,
                creditor_name=_name(transfer.creditor_name, label),
                creditor_iban=iban,
                amount=transfer.amount,
                remittance=sepa_text(transfer.remittance, REMITTANCE_LENGTH),
                creditor_bic=bic,
            )
        )
    return checked


def _account(iban: str, bic: str | None, owner) -> tuple[str, str | None]:
    iban = normalise_iban(iban, label=_("%(owner)s, IBAN") % {"owner": owner}, sepa_only=True)
    if bic:
        bic_label = _("%(owner)s, BIC") % {"owner": owner}
        bic = normalise_bic(bic, label=bic_label)
        check_bic_matches_iban(iban, bic, label=bic_label)
    else:
        bic = bic_for_iban(iban)
    return iban, bic


def _check_amount(amount: Decimal, label) -> None:
    if (
        not isinstance(amount, Decimal)
        or not amount.is_finite()
        or amount != amount.quantize(CENT)
        or not (CENT <= amount <= MAX_AMOUNT)
    ):
        raise ValidationError(
            _("%(field)s: the amount must be between 0.01 and %(max)s EUR, in whole cents."),
            code="bad_amount",
            params={"field": label, "max": "999 999 999.99"},
        )


def _check_identifier(value: str, label) -> None:
    if (
        not isinstance(value, str)
        or not _IDENTIFIER.fullmatch(value)
        or value.startswith("/")
        or value.endswith("/")
        or "//" in value
    ):
        raise ValidationError(
            _(
                "%(field)s: %(value)s must be 1 to 35 Latin letters, digits or / - ? : ( ) . , ' +"
                " and may not start or end with a space or /, nor hold //."
            ),
            code="bad_identifier",
            params={"field": label, "value": repr(value)},
        )


def _name(name: str, label) -> str:
    latin = sepa_text(name, NAME_LENGTH)
    if not latin:
        raise ValidationError(
            _("%(field)s: the name is empty once written in Latin letters."),
            code="empty_name",
            params={"field": label},
        )
    return latin


def _transfer(payment: ET.Element, transfer: Transfer) -> None:
    node = _sub(payment, "CdtTrfTxInf")
    _sub(_sub(node, "PmtId"), "EndToEndId", transfer.end_to_end_id)
    _sub(_sub(node, "Amt"), "InstdAmt", _amount(transfer.amount), Ccy="EUR")
    if transfer.creditor_bic:
        _sub(_sub(_sub(node, "CdtrAgt"), "FinInstnId"), "BICFI", transfer.creditor_bic)
    _sub(_sub(node, "Cdtr"), "Nm", transfer.creditor_name)
    _sub(_sub(_sub(node, "CdtrAcct"), "Id"), "IBAN", transfer.creditor_iban)
    if transfer.remittance:
        _sub(_sub(node, "RmtInf"), "Ustrd", transfer.remittance)


def _agent(parent: ET.Element, bic: str | None) -> None:
    institution = _sub(parent, "FinInstnId")
    if bic:
        _sub(institution, "BICFI", bic)
    else:
        # EPC implementation guidelines: without a BIC the agent is "NOTPROVIDED".
        _sub(_sub(institution, "Othr"), "Id", "NOTPROVIDED")


def _amount(value: Decimal) -> str:
    return f"{value.quantize(CENT):f}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrib)
    if text is not None:
        node.text = text
    return node
