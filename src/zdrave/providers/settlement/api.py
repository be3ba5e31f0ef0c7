"""``/api/v1/provider-claims/``: a hospital system bills the insurer, with the provider user's
API key (``Authorization: Bearer zdp_…``, the eligibility API's keys and authentication,
``network.api.ProviderKey``). The key's user acts for its own institution only.

- ``POST /`` with ``{"check": <eligibility check number>, "reference", "amount", "diagnosis",
  "quantity", "letter"}`` (``letter``: the guarantee letter's number, for a service that needed
  pre-authorisation) and an ``Idempotency-Key`` header: 201 with the claim and its decision; the
  same key again answers 200 with the same claim and creates nothing (a retried request).
  422 with ``errors`` by field for bad input.
- ``GET /``: the institution's claims, newest first; ``GET /{number}``: one (404 if not its).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from zdrave.providers.network.api import ProviderKey
from zdrave.providers.settlement import actions, fetch
from zdrave.providers.settlement.models import Channel, ProviderClaim

router = Router(tags=["provider claims"], auth=ProviderKey())


class ClaimIn(Schema):
    check: int
    reference: str = Field(max_length=40)
    amount: Decimal = Field(max_digits=12, decimal_places=2)
    diagnosis: str = Field(max_length=8)
    quantity: int = 1
    letter: str = Field("", max_length=20)  # the guarantee letter's number, when one was needed


class ClaimOut(Schema):
    number: str
    reference: str
    check: int
    status: str
    status_text: str
    billed: Decimal
    price_basis: str
    price: Decimal
    eligible: Decimal
    copay: Decimal
    insurer_pays: Decimal
    statement: str | None
    letter: str | None
    received: dt.datetime


class Problem(Schema):
    errors: dict[str, list[str]]


def _out(item: ProviderClaim) -> dict:
    claim = item.claim
    lines = list(claim.lines.all())
    return {
        "number": claim.number,
        "reference": item.reference,
        "check": item.eligibility_check_id,
        "status": claim.status,
        "status_text": claim.get_status_display(),
        "billed": item.billed,
        "price_basis": item.price_basis,
        "price": item.price,
        "eligible": sum((line.eligible for line in lines), Decimal("0.00")),
        "copay": sum((line.copay for line in lines), Decimal("0.00")),
        "insurer_pays": claim.payable,
        "statement": item.statement.number if item.statement else None,
        "letter": item.guarantee_letter.number if item.guarantee_letter else None,
        "received": item.created_at,
    }


@router.post("/", response={200: ClaimOut, 201: ClaimOut, 422: Problem})
def submit(request: HttpRequest, data: ClaimIn):
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return Status(422, {"errors": {"Idempotency-Key": ["Idempotency-Key: send a header."]}})
    existing = ProviderClaim.objects.filter(
        idempotency_key=f"{request.institution.pk}:{key[:40]}"
    ).exists()
    try:
        item = actions.submit_provider_claim(
            actions.ProviderClaimInput(
                check_id=data.check,
                reference=data.reference,
                amount=data.amount,
                diagnosis=data.diagnosis,
                quantity=data.quantity,
                idempotency_key=key,
                letter=data.letter,
            ),
            actor=request.user,
            institution=request.institution,
            channel=Channel.API,
        )
    except ValidationError as exc:
        return Status(
            422,
            {
                "errors": exc.message_dict
                if hasattr(exc, "error_dict")
                else {"__all__": exc.messages}
            },
        )
    return Status(200 if existing else 201, _out(item))


@router.get("/", response=list[ClaimOut])
def mine(request: HttpRequest):
    return [_out(item) for item in fetch.claims_of(request.institution)[:200]]


@router.get("/{number}", response={200: ClaimOut, 404: Problem})
def one(request: HttpRequest, number: str):
    item = fetch.claims_of(request.institution).filter(claim__number=number).first()
    if item is None:
        return Status(404, {"errors": {"number": [f"No claim {number} of yours."]}})
    return _out(item)
