"""The documents part of the member's claim forms: files stored as they arrive, under the
form's key (``actions.intake.stage_upload``), the engine's checklist per line, and the upload
field per document the lines need."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zdrave.claims.actions.intake import stage_upload, staged_files
from zdrave.claims.catalogue import Covered, document_names, line_checklist, service_label
from zdrave.claims.claim_form import KEY as CLAIM_FORM
from zdrave.claims.forms import ClaimDetailsForm
from zdrave.claims.validation import clean_icd10

# Before any line has a service: what every claim of Приложение №1 brings besides the form.
ALWAYS = frozenset({"invoice", "fiscal-receipt", "payment-order"})


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def stage_files(request, key: str, covered: Covered) -> dict[str, list[str]]:
    """Store every file sent in a ``doc-<document>`` field under the form's key; a refused file
    gets its own message naming the document, the file and what is wrong with it."""
    names = document_names(covered.version)
    errors: dict[str, list[str]] = {}
    already = {(k, f.sha256) for k, f in staged_files(request.user, key)}
    for field, uploads in request.FILES.lists():
        document = field.removeprefix("doc-")
        if not field.startswith("doc-") or document not in names or document == CLAIM_FORM:
            continue
        for upload in uploads:
            digest = _sha256(upload)
            if (document, digest) in already:
                continue  # the same file sent again (a reload): stored once
            try:
                stage_upload(upload, actor=request.user, form_key=key, document=document)
            except ValidationError as error:
                errors.setdefault(document, []).append(
                    _("%(document)s: “%(file)s”: %(problem)s")
                    % {
                        "document": names[document],
                        "file": upload.name,
                        "problem": " ".join(error.messages),
                    }
                )
            else:
                already.add((document, digest))
    return errors


def _diagnosis(details: ClaimDetailsForm) -> str:
    try:
        return clean_icd10(str(details.data.get("diagnosis", "")) if details.is_bound else "")
    except ValidationError:
        return ""


def form_checklist(lines, covered: Covered, details) -> list[dict]:
    """Per line with a service chosen: the documents the engine will ask for."""
    diagnosis = _diagnosis(details)
    found = []
    for form in lines.forms:
        service = form["service"].value()
        if service in form.services:
            found.append(
                {
                    "number": form.number,
                    "service": service_label(form.services[service]),
                    "items": line_checklist(covered, service, diagnosis),
                }
            )
    return found


def upload_fields(request, key: str, covered: Covered, checklist, file_errors) -> list[dict]:
    """An upload field per document the chosen lines need (before any line is chosen: those
    every service of the kind needs), and per document already uploaded."""
    names = document_names(covered.version)
    staged = staged_files(request.user, key)
    wanted = {k for line in checklist for item in line["items"] for k in item.keys}
    wanted |= {document for document, _file in staged} | set(file_errors)
    if not checklist:
        wanted |= ALWAYS
    wanted.discard(CLAIM_FORM)
    return [
        {
            "key": document,
            "name": name,
            "files": [f for k, f in staged if k == document],
            "errors": file_errors.get(document, []),
        }
        for document, name in names.items()
        if document in wanted
    ]


def claim_checklist(claim, covered: Covered) -> list[dict]:
    """Per line of a sent claim: the documents the engine asks for."""
    services = covered.index.services
    return [
        {
            "number": row.index + 1,
            "service": service_label(services[row.service]),
            "items": line_checklist(covered, row.service, claim.diagnosis),
        }
        for row in claim.lines.order_by("index")
        if row.service in services
    ]
