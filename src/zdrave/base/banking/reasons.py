"""Plain-language texts for the ISO 20022 status and return reason codes a payee's bank sends
back (ExternalStatusReason1Code / ExternalReturnReason1Code), the ones SEPA credit transfers
use most (EPC guidance on R-transactions)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

REASONS: dict[str, Promise] = {
    "AC01": _("The account number (IBAN) is wrong."),
    "AC04": _("The account is closed."),
    "AC06": _("The account is blocked."),
    "AC13": _("The account cannot receive this kind of payment (a consumer account was expected)."),
    "AG01": _("The bank does not allow this kind of payment to this account."),
    "AG02": _("The bank could not process the payment (wrong operation code)."),
    "AM04": _("The insurer's account did not have enough funds."),
    "AM05": _("The payment was sent twice (duplicate)."),
    "AM09": _("The amount is not the one expected."),
    "BE04": _("The payee's address is missing."),
    "BE05": _("The party that started the payment is not recognised."),
    "CNOR": _("The payee's bank is not reachable for SEPA transfers."),
    "DNOR": _("The paying bank is not reachable for SEPA transfers."),
    "CUST": _("The payee asked for the payment to be returned."),
    "DUPL": _("The payment was sent twice (duplicate)."),
    "ED05": _("Settlement of the payment failed."),
    "ERIN": _("A payment detail is wrong or missing."),
    "FF01": _("The payment file was not in a valid format."),
    "FOCR": _("The payment was returned after a request to cancel it."),
    "FRAD": _("The payment was stopped on suspicion of fraud."),
    "MD07": _("The payee has died."),
    "MS02": _("The payee gave no reason for refusing the payment."),
    "MS03": _("The bank gave no reason."),
    "RC01": _("The bank code (BIC) is wrong."),
    "RR01": _("Regulatory details about the payer's account are missing."),
    "RR02": _("Regulatory details: the payer's name or address is missing."),
    "RR03": _("Regulatory details: the payee's name or address is missing."),
    "RR04": _("The payment was stopped for regulatory reasons."),
    "TM01": _("The payment arrived after the bank's cut-off time."),
}


def reason_text(code: str) -> Promise:
    """The code's plain-language text, translated when it is shown (a lazy string); a code we do
    not know keeps the code itself."""
    if not code:
        return _("The bank gave no reason.")
    return REASONS.get(code) or format_lazy(_("Reason code {code}."), code=code)
