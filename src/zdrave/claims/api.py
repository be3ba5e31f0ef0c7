"""``/api/v1/claims``: a signed-in member's claims as JSON — submit, follow, add documents.

The same actions as the pages: files are staged under the claim's idempotency key
(``POST /uploads``) and attached when the claim with that key is submitted, exactly as the form
does; the ``Idempotency-Key`` header makes a repeated POST return the first claim.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security import django_auth
from pydantic import Field

from zdrave.claims import fetch
from zdrave.claims.actions.intake import ClaimInput, LineInput, stage_upload, submit_claim
from zdrave.claims.models import ClaimKind, Payee
from zdrave.claims.validation import clean_iban, clean_icd10
from zdrave.contracts.models import ContractMember

router = Router(tags=["claims"], auth=django_auth)


class LineIn(Schema):
    service: str = Field(max_length=32)
    date: dt.date
    amount: Decimal = Field(max_digits=12, decimal_places=2)
    currency: str = Field("EUR", pattern="^(EUR|BGN)$")
    quantity: int = Field(1, ge=1, le=1000)
    invoice_number: str = Field("", max_length=40)
    nhif_paid: Decimal = Field(Decimal("0.00"), ge=0, max_digits=12, decimal_places=2)
    other_insurer_paid: Decimal = Field(Decimal("0.00"), ge=0, max_digits=12, decimal_places=2)


class ClaimIn(Schema):
    member: int
    kind: ClaimKind
    lines: list[LineIn] = Field(min_length=1, max_length=30)
    iban: str = Field(max_length=42)
    payee: Payee = Payee.INSURED
    payee_name: str = Field("", max_length=200)
    provider: str = Field("", max_length=200)
    diagnosis: str = Field("", max_length=12)
    diagnosis_text: str = Field("", max_length=500)


class LineOut(Schema):
    index: int
    service: str
    amount: Decimal
    outcome: str
    payable: Decimal


class ClaimOut(Schema):
    number: str
    status: str
    outcome: str
    payable: Decimal
    missing_documents: list[str]
    lines: list[LineOut]


class Problem(Schema):
    errors: dict[str, list[str]]


class Staged(Schema):
    document: str
    file: str


def _out(claim) -> dict:
    return {
        "number": claim.number,
        "status": claim.status,
        "outcome": claim.outcome,
        "payable": claim.payable,
        "missing_documents": claim.missing_documents,
        "lines": list(claim.lines.order_by("index")),
    }


def _problem(exc: ValidationError) -> Status:
    if hasattr(exc, "error_dict"):
        return Status(
            422, {"errors": {k: [str(m) for m in v] for k, v in exc.message_dict.items()}}
        )
    return Status(422, {"errors": {"__all__": [str(m) for m in exc.messages]}})


def _field(name: str, clean, value: str) -> str:
    try:
        return clean(value)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from None


@router.get("/", response=list[ClaimOut])
def list_claims(request: HttpRequest):
    return [_out(c) for c in fetch.visible_claims(request.user).order_by("-id")[:100]]


@router.post("/uploads", response={201: Staged, 422: Problem})
def upload(
    request: HttpRequest,
    key: str = Form(..., min_length=8, max_length=64),  # noqa: B008
    document: str = Form(..., max_length=32),  # noqa: B008
    file: UploadedFile = File(...),  # noqa: B008 (django-ninja reads parameters this way)
):
    """Stage one document file for the claim that will be submitted with Idempotency-Key
    ``key``."""
    try:
        staged = stage_upload(file, actor=request.user, form_key=key, document=document)
    except ValidationError as exc:
        return _problem(exc)
    return Status(201, {"document": document, "file": str(staged.public_id)})


# After "/uploads": the number route would take that path first.
@router.get("/{number}", response=ClaimOut)
def get_claim(request: HttpRequest, number: str):
    return _out(fetch.access_claim(request.user, number))


@router.post("/", response={201: ClaimOut, 422: Problem})
def create(request: HttpRequest, payload: ClaimIn):
    member = (
        ContractMember.objects.select_related("contract", "person")
        .filter(pk=payload.member)
        .first()
    )
    if member is None:
        raise Http404
    try:
        iban = _field("iban", clean_iban, payload.iban)
        diagnosis = _field("diagnosis", clean_icd10, payload.diagnosis)
        data = ClaimInput(
            member=member,
            kind=payload.kind,
            lines=[LineInput(**line.dict()) for line in payload.lines],
            iban=iban,
            payee=payload.payee,
            payee_name=payload.payee_name,
            provider=payload.provider,
            diagnosis=diagnosis,
            diagnosis_text=payload.diagnosis_text,
            idempotency_key=request.headers.get("Idempotency-Key", "")[:64],
            site_url=request.build_absolute_uri("/"),
        )
        claim = submit_claim(data, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        return _problem(exc)
    return Status(201, _out(claim))
