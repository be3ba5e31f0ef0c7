"""Writes of the documents app: storing an upload, logging an access."""

from __future__ import annotations

from django.db import transaction

from zdrave.base.audit.models import record
from zdrave.base.documents import storage
from zdrave.base.documents.models import AccessOutcome, DocumentAccessLog, FileKind, MedicalFile
from zdrave.base.documents.validation import inspect_upload, read_upload


def upload_medical_file(
    file,
    *,
    uploaded_by,
    owner=None,
    kind: FileKind | str | None = None,
    subject_type: str = "",
    subject_id: str = "",
) -> MedicalFile:
    """Validate ``file`` by content (``ValidationError`` when refused; nothing is stored then),
    write it to private storage and record it. ``owner`` defaults to the uploader; a partner
    uploading for a member (000 а) стъпка 13) passes the member."""
    data = read_upload(file)
    detected = inspect_upload(data, getattr(file, "name", "") or "", kind=kind)
    storage_name = storage.new_storage_name()
    storage.write(storage_name, data)
    try:
        with transaction.atomic():
            medical_file = MedicalFile.objects.create(
                owner=owner or uploaded_by,
                uploaded_by=uploaded_by,
                subject_type=subject_type,
                subject_id=str(subject_id),
                kind=detected.kind,
                original_name=_clean_name(getattr(file, "name", "") or ""),
                storage_name=storage_name,
                mime_type=detected.mime_type,
                size=detected.size,
                sha256=detected.sha256,
                pages=detected.pages,
                pages_estimated=detected.pages_estimated,
                width=detected.width,
                height=detected.height,
            )
            record(
                actor=uploaded_by,
                verb="upload_medical_file",
                obj=medical_file,
                mime_type=detected.mime_type,
                sha256=detected.sha256,
            )
    except BaseException:
        storage.delete(storage_name)
        raise
    return medical_file


def log_access(
    *,
    user,
    requested_id: str,
    outcome: AccessOutcome,
    medical_file: MedicalFile | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> DocumentAccessLog:
    return DocumentAccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        file=medical_file,
        requested_id=str(requested_id)[:64],
        outcome=outcome,
        ip_address=ip_address or None,
        user_agent=user_agent[:255],
    )


def _clean_name(name: str) -> str:
    # Browsers send the bare name, but a path from an old client must not end up in the row.
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:255] or "document"
