"""The claim form (Уведомление – претенция, 004 Чл.29, Приложение №1) a member fills in online,
written out as a Word document and filed with the claim's documents under ``claim-form``.

004 Чл.29 lets the insured submit the claim online; the form they fill in on the portal IS the
insurer's form, so the member is not asked to upload a paper one. The document records what
was declared, in Bulgarian (the insurer's file), with the moment and the account that sent it.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document

from zdrave.claims.actions.intake import ClaimInput
from zdrave.claims.catalogue import Covered, document_names, service_label
from zdrave.claims.models import ClaimKind, Payee
from zdrave.engine.money import format_eur

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KEY = "claim-form"
FILE_NAME = "Уведомление-претенция.docx"


def claim_form_file(
    data: ClaimInput,
    covered: Covered,
    *,
    submitted_by: str,
    documents: list[str],
    circumstances: dict[str, str],
) -> SimpleUploadedFile:
    """The filled-in form as a .docx upload; ``documents``: the keys of the files attached,
    ``circumstances``: value → label of the ones the member ticked."""
    with translation.override("bg"):
        content = _document(data, covered, submitted_by, documents, circumstances)
    return SimpleUploadedFile(FILE_NAME, content, content_type=DOCX_TYPE)


def _document(data, covered, submitted_by, documents, circumstances) -> bytes:
    member = data.member
    person = member.person
    version = covered.version
    index = covered.index
    doc = Document()
    doc.add_heading(_("Claim form (Уведомление – претенция)"), level=1)
    doc.add_paragraph(
        _("Submitted online on the insurer's portal (004 Чл.29) on %(when)s by %(who)s.")
        % {
            "when": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
            "who": submitted_by,
        }
    )
    facts = [
        (_("Insurer"), version.insurer.name.get("bg")),
        (_("Contract"), member.contract.number),
        (_("Insured person"), person.full_name),
        (_("Identity number"), person.id_number),
        (_("Kind of claim"), str(ClaimKind(data.kind).label)),
        (_("Doctor, clinic or pharmacy"), data.provider),
        (_("Diagnosis"), data.diagnosis_text or "—"),
        (_("Diagnosis code"), data.diagnosis or "—"),
        (
            _("How it happened"),
            "; ".join(str(circumstances.get(c, c)) for c in data.circumstances) or "—",
        ),
        (_("Pay to"), f"{Payee(data.payee).label}: {data.payee_name}"),
        (_("IBAN"), data.iban),
    ]
    table = doc.add_table(rows=0, cols=2)
    for label, value in facts:
        row = table.add_row().cells
        row[0].text = str(label)
        row[1].text = str(value)
    doc.add_heading(_("Services paid for"), level=2)
    lines = doc.add_table(rows=1, cols=5)
    for cell, title in zip(
        lines.rows[0].cells,
        (_("Service"), _("Date of service"), _("Amount paid"), _("Invoice number"), _("Other")),
        strict=True,
    ):
        cell.text = str(title)
    for line in data.lines:
        info = index.services.get(line.service)
        extra = []
        if line.quantity != 1:
            extra.append(f"{_('Quantity')}: {line.quantity}")
        if line.prescribed:
            extra.append(
                f"{_('Prescribed on')}: {date_format(line.prescribed, 'SHORT_DATE_FORMAT')}"
            )
        if line.dose_days:
            extra.append(f"{_('Days of treatment')}: {line.dose_days}")
        if line.nhif_paid:
            extra.append(f"{_('Paid by НЗОК')}: {line.nhif_paid} {line.currency}")
        if line.other_insurer_paid:
            extra.append(
                f"{_('Paid by another insurer')}: {line.other_insurer_paid} {line.currency}"
            )
        amount = format_eur(line.amount) if line.currency == "EUR" else f"{line.amount} BGN"
        row = lines.add_row().cells
        row[0].text = service_label(info, "bg") if info else line.service
        row[1].text = date_format(line.date, "SHORT_DATE_FORMAT")
        row[2].text = amount
        row[3].text = line.invoice_number
        row[4].text = "; ".join(extra)
    names = document_names(version, "bg")
    doc.add_heading(_("Documents attached"), level=2)
    for key in documents:
        doc.add_paragraph(names.get(key, key), style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
