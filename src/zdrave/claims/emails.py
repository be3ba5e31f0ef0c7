"""The e-mails a member gets about a claim, written to the outbox after the change commits:
the receipt with the claim's number (004 Чл.29 т.1), the request for missing documents with its
deadline (Чл.29 т.2), the decision with its letter attached as a PDF, the payment and a
returned payment with the bank's reason in plain words."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zdrave.base.banking import reasons as bank_reasons
from zdrave.base.outbox.mail import Attachment, send_templated
from zdrave.claims.clocks import clock_for
from zdrave.claims.letters import decision_letter, letter_pdf, pdf_name
from zdrave.claims.models import Claim, Payment, PaymentStatus

SUBJECTS = {
    "received": _("Claim %(number)s received"),
    "documents_requested": _("Claim %(number)s: documents we still need"),
    "decided": _("Claim %(number)s: our decision"),
    "paid": _("Claim %(number)s: paid"),
    "payment_failed": _("Claim %(number)s: the payment came back"),
}
# A return reason as banks code it (ISO 20022 ExternalReturnReason1Code / StatusReason1Code).
RETURN_CODE = re.compile(r"[A-Z0-9]{4}")
# The payment an e-mail is about: the last one in this status.
PAYMENT_OF = {"paid": PaymentStatus.PAID, "payment_failed": PaymentStatus.RETURNED}


def recipient(claim: Claim):
    """The account that submitted the claim, else the insured person's own account or the
    address the insurer holds for them; None when there is nobody to write to."""
    for user in (claim.submitted_by, claim.member.person.user):
        if user is not None and user.email:
            return user
    return claim.member.person.email or None


def send_claim_mail(claim_id: int, what: str) -> None:
    claim = Claim.objects.select_related("contract", "member__person__user", "submitted_by").get(
        pk=claim_id
    )
    to = recipient(claim)
    if to is None:
        return
    path = reverse("claims:detail", args=[claim.number])
    link = f"{claim.site_url.rstrip('/')}{path}" if claim.site_url else path
    language = getattr(to, "language", "") or None
    with translation.override(language):
        subject = str(SUBJECTS[what]) % {"number": claim.number}
    payment = _payment(claim, what)
    send_templated(
        to,
        subject,
        f"claims/email/{what}",
        {
            "claim": claim,
            "link": link,
            "clock": clock_for(claim),
            "payment": payment,
            "returned_because": plain_return_reason(payment),
        },
        language=language,
        attachments=_letter(claim, language) if what == "decided" else (),
    )


def _payment(claim: Claim, what: str) -> Payment | None:
    status = PAYMENT_OF.get(what)
    if status is None:
        return None
    return claim.payments.filter(status=status).order_by("-id").first()


def returned_because(payment: Payment) -> tuple[str, str]:
    """(the bank's reason code or "", the words given with it) of a returned payment, whose
    ``return_reason`` is stored as "CODE: words", "CODE" or "words" (``actions.bank``)."""
    code, sep, words = payment.return_reason.partition(": ")
    if sep and RETURN_CODE.fullmatch(code):
        return code, words
    if RETURN_CODE.fullmatch(payment.return_reason):
        return payment.return_reason, ""
    return "", payment.return_reason


def plain_return_reason(payment: Payment | None):
    """Why a payment came back, as the member reads it: the bank code's plain text (a lazy
    translation, rendered in the reader's language), else the words a person gave."""
    if payment is None or payment.status != PaymentStatus.RETURNED:
        return ""
    code, words = returned_because(payment)
    if code:
        return bank_reasons.reason_text(code)
    return words or bank_reasons.reason_text("")


def _letter(claim: Claim, language: str | None) -> list[Attachment]:
    """The decision letter as a PDF in the member's language (004 Чл.29 т.2: a reasoned
    decision; the issue's explanation of benefits)."""
    letter = decision_letter(claim, language or settings.LANGUAGE_CODE)
    if letter is None:
        return []
    return [Attachment(pdf_name(claim), letter_pdf(letter), "application/pdf")]
