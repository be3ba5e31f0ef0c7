"""Claims for the claims tests, submitted through the real intake: the documents staged as real
photos under the form's key, then ``submit_claim`` with an outpatient claim of one line (an MRI,
002 II.8) unless told otherwise. Each test module names only what its claims differ in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from claims.conftest import photo
from zdrave.claims.actions.intake import ClaimInput, LineInput, stage_upload, submit_claim
from zdrave.claims.models import Claim

IBAN = "BG80BNBG96611020345678"
# Every document an MRI needs (004 Приложение №1), with the claim form: the engine decides alone.
FULL = [
    "claim-form",
    "ambulatory-sheet",
    "test-results",
    "imaging-report",
    "invoice",
    "fiscal-receipt",
]


def stage(user, key: str, documents, *, photo_name: str = "{document}.jpg") -> None:
    """A photo of each of ``documents`` uploaded under the form key ``key``; ``photo_name`` may
    use ``{document}`` and ``{number}`` (from 1)."""
    for number, document in enumerate(documents, start=1):
        name = photo_name.format(document=document, number=number)
        stage_upload(photo(name), actor=user, form_key=key, document=document)


def line(
    service: str = "2.8.e",
    *,
    days_ago: int = 3,
    amount: str | Decimal = "150.00",
    invoice: str = "0000012345",
) -> LineInput:
    return LineInput(
        service=service,
        date=timezone.localdate() - dt.timedelta(days=days_ago),
        amount=Decimal(amount),
        invoice_number=invoice,
    )


def claim_input(member, *, key: str, lines: list[LineInput], **fields) -> ClaimInput:
    """What the claim form sends; ``fields`` replace the defaults (a member's own account)."""
    return ClaimInput(
        **{
            "member": member,
            "kind": "outpatient",
            "lines": lines,
            "iban": IBAN,
            "payee_name": "Mila",
            "provider": "МЦ Здраве",
            "diagnosis": "M54.5",
            "idempotency_key": key,
            **fields,
        }
    )


def submit(
    member,
    user,
    *,
    key: str = "k1",
    docs=FULL,
    photo_name: str = "{document}.jpg",
    lines: list[LineInput] | None = None,
    service: str = "2.8.e",
    days_ago: int = 3,
    amount: str | Decimal = "150.00",
    invoice: str = "0000012345",
    **fields,
) -> Claim:
    """``docs`` staged under ``key``, then the claim submitted by ``user``: ``lines``, or one
    line of ``service``, ``days_ago``, ``amount`` and ``invoice``; ``fields`` as for
    ``claim_input``."""
    stage(user, key, docs, photo_name=photo_name)
    if lines is None:
        lines = [line(service, days_ago=days_ago, amount=amount, invoice=invoice)]
    return submit_claim(claim_input(member, key=key, lines=lines, **fields), actor=user)


def received_on(claim: Claim, day: dt.date, *, complete: bool = True) -> Claim:
    """Date the claim's receipt (and, when complete, its last document) ``day`` (a claim sent by
    post counts from its postmark, 004 Чл.30 т.7)."""
    Claim.objects.filter(pk=claim.pk).update(submitted=day, complete_on=day if complete else None)
    claim.refresh_from_db()
    return claim
