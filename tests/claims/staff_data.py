"""Claims for the staff pages' tests (``builders``): each with its own invoice number unless
told otherwise, so two claims are duplicates only when a test means them to be; and a way to
give a claim an earlier date of receipt (a claim sent by post counts from its postmark,
004 Чл.30 т.7)."""

from __future__ import annotations

from claims import builders
from claims.builders import FULL, IBAN, received_on

__all__ = ["FULL", "IBAN", "PAYEE", "received_on", "submit"]

PAYEE = "Мила Сметкова"


def submit(member, user, *, key: str, amount="150.00", diagnosis="M54.5", docs=FULL, invoice=""):
    """A one-line outpatient claim (an MRI, 002 II.8); no ICD-10 code sends it to the medical
    expert, all documents and a code let the engine decide it alone."""
    return builders.submit(
        member,
        user,
        key=key,
        docs=docs,
        photo_name="снимка {number}.jpg",
        amount=amount,
        invoice=invoice or f"INV-{key}",
        diagnosis=diagnosis,
        payee_name=PAYEE,
        diagnosis_text="болки в кръста",
    )
