"""The bank's account statement (ISO 20022 camt.053, BankToCustomerStatement) as a list of
``StatementEntry``: each booked credit or debit with its amount, booking date, the bank's own
reference, the counterparty's name and IBAN and the remittance text (the payer's "основание").

Files are validated against the official XSD shipped in ``xsd/`` (camt.053.001.02 and .08),
like ``returns.parse_returns`` does for camt.054. Entries with several transactions are split
into one ``StatementEntry`` per transaction (a batch booking).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zdrave.base.banking import schemas

STATEMENTS = ("camt.053.001.02", "camt.053.001.08")
CREDIT, DEBIT = "CRDT", "DBIT"


@dataclass(frozen=True)
class StatementEntry:
    booked_on: dt.date
    amount: Decimal
    currency: str
    credit: bool
    reference: str  # the bank's reference of the transaction (unique per account)
    counterparty: str = ""
    counterparty_iban: str = ""
    remittance: str = ""
    account_iban: str = ""


def parse_statement(data: bytes) -> list[StatementEntry]:
    """The booked entries of a camt.053 statement, in file order. Raises ``ValidationError``
    with a translated message naming the field for a file that is not XML, not a statement of
    a version we read, breaks the schema, or has an entry without amount or date."""
    label = str(_("Bank statement"))
    resource = schemas.parse(data, label=label)
    root = resource.root
    namespace, _brace, local = root.tag[1:].rpartition("}")
    message = namespace.removeprefix(schemas.NAMESPACE_PREFIX)
    if local != "Document" or message not in STATEMENTS:
        raise ValidationError(
            _(
                "%(field)s: this is not a bank-to-customer statement (camt.053) of a version "
                "we read (%(versions)s)."
            ),
            code="unknown_message",
            params={"field": label, "versions": ", ".join(STATEMENTS)},
        )
    if schemas.shipped(message):
        schemas.validate(resource, message, label=label)
    return _Reader(namespace, label).statement(root)


class _Reader:
    def __init__(self, namespace: str, label: str):
        self.ns = namespace
        self.label = label

    def _q(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{step}" for step in path.split("/"))

    def find(self, node: Element | None, path: str) -> Element | None:
        return None if node is None else node.find(self._q(path))

    def findall(self, node: Element, path: str) -> list[Element]:
        return node.findall(self._q(path))

    def text(self, node: Element | None, path: str) -> str:
        found = self.find(node, path)
        return (found.text or "").strip() if found is not None else ""

    def statement(self, root: Element) -> list[StatementEntry]:
        body = self.find(root, "BkToCstmrStmt")
        if body is None:
            raise ValidationError(
                _("%(field)s: the element %(element)s is missing."),
                code="missing_element",
                params={"field": self.label, "element": "BkToCstmrStmt"},
            )
        entries = []
        for stmt in self.findall(body, "Stmt"):
            account = self.text(stmt, "Acct/Id/IBAN")
            for entry in self.findall(stmt, "Ntry"):
                status = self.text(entry, "Sts") or self.text(entry, "Sts/Cd")
                if status and status != "BOOK":
                    continue
                entries.extend(self._entry(entry, account))
        return entries

    def _entry(self, entry: Element, account: str) -> list[StatementEntry]:
        credit = self.text(entry, "CdtDbtInd") == CREDIT
        booked = self._date(entry)
        entry_ref = self.text(entry, "AcctSvcrRef") or self.text(entry, "NtryRef")
        details = self.findall(entry, "NtryDtls/TxDtls")
        if not details:
            amount, currency = self._amount(self.find(entry, "Amt"))
            return [
                StatementEntry(booked, amount, currency, credit, entry_ref, account_iban=account)
            ]
        found = []
        for index, tx in enumerate(details):
            node = self.find(tx, "Amt")
            if node is None:
                node = self.find(tx, "AmtDtls/TxAmt/Amt")
            if node is None and len(details) == 1:
                node = self.find(entry, "Amt")
            amount, currency = self._amount(node)
            party = "Dbtr" if credit else "Cdtr"
            reference = (
                self.text(tx, "Refs/AcctSvcrRef")
                or (f"{entry_ref}/{index + 1}" if entry_ref and len(details) > 1 else entry_ref)
                or self.text(tx, "Refs/EndToEndId")
            )
            name = self.text(tx, f"RltdPties/{party}/Nm") or self.text(
                tx, f"RltdPties/{party}/Pty/Nm"
            )
            remittance = " ".join(
                (line.text or "").strip() for line in self.findall(tx, "RmtInf/Ustrd")
            ).strip() or self.text(tx, "RmtInf/Strd/CdtrRefInf/Ref")
            found.append(
                StatementEntry(
                    booked_on=booked,
                    amount=amount,
                    currency=currency,
                    credit=credit,
                    reference=reference,
                    counterparty=name,
                    counterparty_iban=self.text(tx, f"RltdPties/{party}Acct/Id/IBAN"),
                    remittance=remittance,
                    account_iban=account,
                )
            )
        return found

    def _date(self, entry: Element) -> dt.date:
        raw = (
            self.text(entry, "BookgDt/Dt")
            or self.text(entry, "BookgDt/DtTm")[:10]
            or self.text(entry, "ValDt/Dt")
        )
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(
                _("%(field)s: an entry has no booking date."),
                code="no_date",
                params={"field": self.label},
            ) from None

    def _amount(self, node: Element | None) -> tuple[Decimal, str]:
        try:
            if node is None:
                raise InvalidOperation
            return Decimal((node.text or "").strip()), node.get("Ccy", "")
        except InvalidOperation:
            raise ValidationError(
                _("%(field)s: an entry has no amount."),
                code="no_amount",
                params={"field": self.label},
            ) from None
