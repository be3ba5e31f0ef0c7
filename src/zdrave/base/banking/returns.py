"""The bank's word that a payment did not arrive: rejected transactions of a pain.002 status
report and returned transfers in a camt.054 debit/credit notification, as ``ReturnedPayment``s
keyed by the end-to-end id the payment was sent with (the claim number).

Files are validated against the official XSD when ``xsd/`` ships it (camt.054.001.02 and .08);
pain.002 versions are read by their element names, which every version shares, after the same
structural checks (no redistributable copy of the pain.002 XSDs was found: xsd/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zdrave.base.banking import schemas
from zdrave.base.banking.reasons import reason_text

STATUS_REPORTS = ("pain.002.001.03", "pain.002.001.10", "pain.002.001.11")
NOTIFICATIONS = ("camt.054.001.02", "camt.054.001.08")
REJECTED = "RJCT"


@dataclass(frozen=True)
class ReturnedPayment:
    """A payment that did not reach the payee. ``reason_text`` is the plain-language reading of
    ``reason_code`` (translated when shown); ``bank_text`` is what the bank added in its own
    words, if anything."""

    end_to_end_id: str
    reason_code: str
    reason_text: Promise
    bank_text: str = ""
    amount: Decimal | None = None
    original_message_id: str = ""


class WholeFileRejected(ValidationError):
    """The bank refused the whole file before looking at single payments: none was made."""

    def __init__(self, *, message_id: str, reason_code: str, label: str):
        self.message_id = message_id
        self.reason_code = reason_code
        super().__init__(
            _(
                "%(field)s: the bank rejected the whole payment file %(message_id)s. %(reason)s "
                "No payment in it was made; correct the file and export the batch again."
            ),
            code="whole_file_rejected",
            params={"field": label, "message_id": message_id, "reason": reason_text(reason_code)},
        )


def parse_returns(data: bytes) -> list[ReturnedPayment]:
    """The returned or rejected payments in a pain.002 status report or a camt.054
    notification, in file order. A report that only confirms payments gives an empty list.

    Raises ``ValidationError`` with a translated message for a file that is not XML, not one of
    these messages, or breaks the message's schema; ``WholeFileRejected`` when a status report
    rejects the file as a whole without naming payments."""
    label = str(_("Bank file"))
    resource = schemas.parse(data, label=label)
    root = resource.root
    namespace, _brace, local = root.tag[1:].rpartition("}")
    message = namespace.removeprefix(schemas.NAMESPACE_PREFIX)
    if local != "Document" or message not in STATUS_REPORTS + NOTIFICATIONS:
        raise ValidationError(
            _(
                "%(field)s: this is not a payment status report (pain.002) or a debit/credit "
                "notification (camt.054) of a version we read (%(versions)s)."
            ),
            code="unknown_message",
            params={"field": label, "versions": ", ".join(STATUS_REPORTS + NOTIFICATIONS)},
        )
    if schemas.shipped(message):
        schemas.validate(resource, message, label=label)
    reader = _Reader(namespace, label)
    if message in STATUS_REPORTS:
        return reader.status_report(root)
    return reader.notification(root)


class _Reader:
    def __init__(self, namespace: str, label: str):
        self.ns = namespace
        self.label = label

    def _q(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{step}" for step in path.split("/"))

    def find(self, node: Element, path: str) -> Element | None:
        return node.find(self._q(path))

    def findall(self, node: Element, path: str) -> list[Element]:
        return node.findall(self._q(path))

    def text(self, node: Element | None, path: str) -> str:
        found = None if node is None else node.find(self._q(path))
        return (found.text or "").strip() if found is not None else ""

    def required(self, node: Element, path: str) -> Element:
        found = self.find(node, path)
        if found is None:
            raise ValidationError(
                _("%(field)s: the element %(element)s is missing."),
                code="missing_element",
                params={"field": self.label, "element": path},
            )
        return found

    def reason(self, *holders: Element | None) -> tuple[str, str]:
        """The first reason found on the transaction, then its payment block, then the group:
        (code, the bank's additional text)."""
        for holder in holders:
            if holder is None:
                continue
            for info in self.findall(holder, "StsRsnInf"):
                code, extra = self._why(info)
                if code or extra:
                    return code, extra
        return "", ""

    def status_report(self, root: Element) -> list[ReturnedPayment]:
        report = self.required(root, "CstmrPmtStsRpt")
        group = self.required(report, "OrgnlGrpInfAndSts")
        message_id = self.text(group, "OrgnlMsgId")
        group_status = self.text(group, "GrpSts")
        returned = []
        named = False
        for block in self.findall(report, "OrgnlPmtInfAndSts"):
            block_status = self.text(block, "PmtInfSts") or group_status
            for tx in self.findall(block, "TxInfAndSts"):
                named = True
                status = self.text(tx, "TxSts") or block_status
                if status != REJECTED:
                    continue
                end_to_end_id = self._end_to_end_id(
                    tx,
                    "OrgnlEndToEndId",
                    _("%(field)s: a rejected payment carries no end-to-end id."),
                )
                returned.append(
                    self._returned(
                        end_to_end_id,
                        self.reason(tx, block, group),
                        self.find(tx, "OrgnlTxRef/Amt/InstdAmt"),
                        message_id,
                    )
                )
        if group_status == REJECTED and not named:
            code, _extra = self.reason(group)
            raise WholeFileRejected(message_id=message_id, reason_code=code, label=self.label)
        return returned

    def notification(self, root: Element) -> list[ReturnedPayment]:
        notice = self.required(root, "BkToCstmrDbtCdtNtfctn")
        returned = []
        for report in self.findall(notice, "Ntfctn"):
            for entry in self.findall(report, "Ntry"):
                for tx in self.findall(entry, "NtryDtls/TxDtls"):
                    info = self.find(tx, "RtrInf")
                    if info is None:
                        continue
                    end_to_end_id = self._end_to_end_id(
                        tx,
                        "Refs/EndToEndId",
                        _("%(field)s: a returned payment carries no end-to-end id."),
                    )
                    # .08 gives the transaction's amount as Amt, .02 only under AmtDtls; the
                    # entry's total is the fallback. (An Element with no children is falsy:
                    # compare with None, never chain with ``or``.)
                    candidates = (
                        self.find(tx, "Amt"),
                        self.find(tx, "AmtDtls/TxAmt/Amt"),
                        self.find(entry, "Amt"),
                    )
                    amount = next((node for node in candidates if node is not None), None)
                    returned.append(
                        self._returned(
                            end_to_end_id, self._why(info), amount, self.text(tx, "Refs/MsgId")
                        )
                    )
        return returned

    def _why(self, info: Element) -> tuple[str, str]:
        """A reason element's code and the bank's additional text."""
        code = self.text(info, "Rsn/Cd") or self.text(info, "Rsn/Prtry")
        extra = " ".join(
            (line.text or "").strip() for line in self.findall(info, "AddtlInf")
        ).strip()
        return code, extra

    def _end_to_end_id(self, tx: Element, path: str, missing: Promise) -> str:
        end_to_end_id = self.text(tx, path)
        if not end_to_end_id:
            raise ValidationError(
                missing, code="missing_end_to_end_id", params={"field": self.label}
            )
        return end_to_end_id

    def _returned(
        self,
        end_to_end_id: str,
        why: tuple[str, str],
        amount: Element | None,
        message_id: str,
    ) -> ReturnedPayment:
        code, extra = why
        return ReturnedPayment(
            end_to_end_id=end_to_end_id,
            reason_code=code,
            reason_text=reason_text(code),
            bank_text=extra,
            amount=self._amount(amount),
            original_message_id=message_id,
        )

    def _amount(self, node: Element | None) -> Decimal | None:
        if node is None or not (node.text or "").strip():
            return None
        try:
            return Decimal(node.text.strip())
        except InvalidOperation:
            raise ValidationError(
                _("%(field)s: %(value)s is not an amount."),
                code="bad_amount",
                params={"field": self.label, "value": node.text.strip()[:40]},
            ) from None
