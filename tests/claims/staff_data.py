"""Claims for the staff pages' tests, submitted through the real intake (staged photos, the
engine's decision at once), and a way to give a claim an earlier date of receipt (a claim sent
by post counts from its postmark, 004 Чл.30 т.7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from claims.conftest import photo
from zdrave.claims.actions.intake import ClaimInput, LineInput, stage_upload, submit_claim
from zdrave.claims.models import Claim

IBAN = "BG80BNBG96611020345678"
PAYEE = "Мила Сметкова"
FULL = [
    "claim-form",
    "ambulatory-sheet",
    "test-results",
    "imaging-report",
    "invoice",
    "fiscal-receipt",
]


def submit(member, user, *, key: str, amount="150.00", diagnosis="M54.5", docs=FULL, invoice=""):
    """A one-line outpatient claim (an MRI, 002 II.8); no ICD-10 code sends it to the medical
    expert, all documents and a code let the engine decide it alone."""
    for number, doc in enumerate(docs, start=1):
        stage_upload(photo(f"снимка {number}.jpg"), actor=user, form_key=key, document=doc)
    return submit_claim(
        ClaimInput(
            member=member,
            kind="outpatient",
            lines=[
                LineInput(
                    service="2.8.e",
                    date=timezone.localdate() - dt.timedelta(days=3),
                    amount=Decimal(amount),
                    invoice_number=invoice or f"INV-{key}",
                )
            ],
            iban=IBAN,
            payee_name=PAYEE,
            provider="МЦ Здраве",
            diagnosis=diagnosis,
            diagnosis_text="болки в кръста",
            idempotency_key=key,
        ),
        actor=user,
    )


def received_on(claim: Claim, day: dt.date, *, complete: bool = True) -> Claim:
    """Date the claim's receipt (and, when complete, its last document) ``day``."""
    Claim.objects.filter(pk=claim.pk).update(submitted=day, complete_on=day if complete else None)
    claim.refresh_from_db()
    return claim
