"""Demo claims, so every claims page has something to show (README "Try the claims"):

- Maria: a complete outpatient claim the engine decided and scheduled for payment at once;
  a second one that still waits for the fiscal receipt (004 Чл.29 т.2);
- Ivan, for his daughter Nia (under 18, on his family contract): a claim with only a diagnosis
  text, waiting for the medical expert to code it;
- Maria: a claim the adjuster overrode (a discount on the invoice), waiting for the second
  adjuster's approval (four eyes).

Built through the same actions as the pages; idempotent (each claim has its form key).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from zdrave.claims.actions.decide import code_diagnosis, decide, parse_override
from zdrave.claims.actions.intake import ClaimInput, LineInput, stage_upload, submit_claim
from zdrave.claims.models import Claim, ClaimStatus
from zdrave.contracts.models import ContractMember

IBAN = "BG80BNBG96611020345678"
EXAMINATION = ["claim-form", "ambulatory-sheet", "test-results", "imaging-report", "invoice"]


# What a member would call the photo of each document.
FILE_NAMES = {
    "claim-form": "Уведомление-претенция",
    "ambulatory-sheet": "Амбулаторен лист",
    "test-results": "Резултати",
    "imaging-report": "Разчитане на ЯМР",
    "invoice": "Фактура",
    "fiscal-receipt": "Касов бон",
}


def _photo(document: str) -> SimpleUploadedFile:
    """A phone photo of a paper document: a light page with a few lines on it."""
    image = Image.new("RGB", (600, 840), (246, 244, 236))
    draw = ImageDraw.Draw(image)
    for y in range(80, 700, 40):
        draw.line((40, y, 560, y), fill=(90, 90, 90), width=2)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    name = f"{FILE_NAMES[document]}.jpg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def build_demo_claims(users, today: dt.date) -> None:
    maria = ContractMember.objects.get(contract__number="ZH-DEMO-I001", person__user=users["maria"])
    nia = ContractMember.objects.get(contract__number="ZH-DEMO-F001", person__first_name="Ния")
    day = today - dt.timedelta(days=6)
    _claim(
        "demo-claim-mri",
        users["maria"],
        maria,
        [*EXAMINATION, "fiscal-receipt"],
        [LineInput("2.8.e", day, Decimal("110.00"), invoice_number="0000104411")],
        diagnosis="M54.5",
        text="Болки в кръста",
    )
    _claim(
        "demo-claim-waiting",
        users["maria"],
        maria,
        ["claim-form", "ambulatory-sheet", "invoice"],
        [LineInput("2.1.a", day - dt.timedelta(days=20), Decimal("30.00"), invoice_number="77120")],
        diagnosis="J06.9",
        text="Остра инфекция на горните дихателни пътища",
    )
    _claim(
        "demo-claim-nia",
        users["ivan"],
        nia,
        ["claim-form", "ambulatory-sheet", "invoice", "fiscal-receipt"],
        [LineInput("2.1.a", day - dt.timedelta(days=3), Decimal("45.00"), invoice_number="3301")],
        diagnosis="",
        text="Обрив по ръцете след ваксина",
    )
    override = _claim(
        "demo-claim-override",
        users["maria"],
        maria,
        [*EXAMINATION, "fiscal-receipt"],
        [LineInput("2.8.a", day - dt.timedelta(days=40), Decimal("95.00"), invoice_number="5512")],
        diagnosis="",
        text="Ехография на щитовидна жлеза",
    )
    if override.status == ClaimStatus.REFERRED_MEDICAL:
        code_diagnosis(
            override,
            actor=users["medic"],
            icd10="E04.1",
            note="Възел в щитовидната жлеза; изследването е медицински обосновано.",
        )
        decide(
            override,
            actor=users["adjuster"],
            overrides=[parse_override(0, "80.00", "Фактурата е с отстъпка 15 EUR.")],
        )


def _claim(key, user, member, documents, lines, *, diagnosis, text) -> Claim:
    existing = Claim.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    for document in documents:
        stage_upload(_photo(document), actor=user, form_key=key, document=document)
    return submit_claim(
        ClaimInput(
            member=member,
            kind="outpatient",
            lines=lines,
            iban=IBAN,
            payee_name=member.person.full_name,
            provider="МЦ „Здраве“ София",
            diagnosis=diagnosis,
            diagnosis_text=text,
            idempotency_key=key,
        ),
        actor=user,
    )
