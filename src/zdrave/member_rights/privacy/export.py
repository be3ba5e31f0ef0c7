"""The member's data archive (GDPR Art. 15(3), 20; 004 Чл.32 т.4): one ZIP of JSON files and
the medical files themselves, written while it is sent.

Streamed with the standard library's ``zipfile`` writing to an unseekable sink that a
generator drains after every chunk (sizes and CRCs go into data descriptors after each file),
so memory holds one chunk of one file whatever the number of documents; no extra dependency
is needed for it (zipstream-ng is not in the package index this project installs from).
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zdrave.base.audit.models import AuditEvent
from zdrave.base.documents import storage
from zdrave.base.documents.models import MedicalFile
from zdrave.base.outbox.models import OutboxMessage
from zdrave.claims.fetch import visible_claims
from zdrave.claims.models import ClaimFile
from zdrave.contracts.models import InsuredPerson
from zdrave.contracts.visibility import visible_contracts, visible_people
from zdrave.member_rights.complaints.models import Complaint, ComplaintFile
from zdrave.member_rights.privacy import access_log
from zdrave.member_rights.privacy.models import ConsentEvent, DataRequest
from zdrave.member_services.consultations.models import Consultation
from zdrave.member_services.second_opinion.models import CaseFile, ChatMessage, OpinionCase
from zdrave.policy_admin.groups.models import ExaminationSlot
from zdrave.policy_admin.sales.models import Application
from zdrave.treatment_abroad.models import AbroadCase, CaseDocument

CHUNK = 64 * 1024
# Fields that are the platform's plumbing or secrets, never the member's data.
LEFT_OUT = {"idempotency_key", "storage_name", "raw_mime", "secret_hash", "xml", "site_url"}
# Already compressed: stored as they are.
COMPRESSED = ("image/", "application/pdf", "application/zip", "video/")


@dataclass(frozen=True)
class Entry:
    name: str
    chunks: Iterable[bytes]
    compressed: bool = False


def row(obj: models.Model, *, leave_out: Iterable[str] = ()) -> dict:
    skip = LEFT_OUT | set(leave_out)
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        value = getattr(obj, field.attname)
        if field.choices and value:
            data[field.name] = value
            data[f"{field.name}_label"] = str(getattr(obj, f"get_{field.name}_display")())
        else:
            data[field.name] = value
    return data


def _json(name: str, data) -> Entry:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return Entry(name, [text.encode("utf-8")])


def document_path(medical_file: MedicalFile) -> str:
    return f"documents/{medical_file.public_id}-{medical_file.download_name}"


def _file_chunks(medical_file: MedicalFile) -> Iterator[bytes]:
    try:
        handle = storage.path_of(medical_file.storage_name).open("rb")
    except FileNotFoundError:
        return
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk


# -- what the archive holds ------------------------------------------------------------------


def member_files(user) -> models.QuerySet[MedicalFile]:
    """The member's own uploads, the documents of their claims and their cases' reports."""
    claims = visible_claims(user).values("pk")
    cases = OpinionCase.objects.filter(member=user).values("pk")
    return (
        MedicalFile.objects.filter(
            Q(owner=user)
            | Q(pk__in=ClaimFile.objects.filter(claim__in=claims).values("file_id"))
            | Q(pk__in=CaseFile.objects.filter(case__in=cases).values("file_id"))
            | Q(
                pk__in=ComplaintFile.objects.filter(complaint__in=_complaints_of(user)).values(
                    "file_id"
                )
            )
            | Q(
                pk__in=CaseDocument.objects.filter(case__in=_abroad_cases_of(user)).values(
                    "file_id"
                )
            )
        )
        .exclude(sha256="")
        .order_by("pk")
    )


def _person(user) -> dict:
    people = InsuredPerson.objects.filter(user=user)
    return {
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "insured_person": [row(p) for p in people],
    }


def _contracts(user) -> list[dict]:
    out = []
    for contract in visible_contracts(user).select_related("holder").order_by("number"):
        data = row(contract)
        data["holder"] = {"name": contract.holder.name, "kind": contract.holder.kind}
        data["people"] = [
            {"name": p.full_name, "birth_date": p.birth_date}
            | ({"identity": p.id_number, "email": p.email} if p.user_id == user.pk else {})
            for p in visible_people(user, contract)
        ]
        data["covers"] = [row(c) for c in contract.covers.all()]
        data["instalments"] = [row(i) for i in contract.instalments.all()]
        out.append(data)
    return out


def _claims(user) -> list[dict]:
    out = []
    claims = visible_claims(user).prefetch_related(
        "lines", "versions", "payments", "events", "files__file"
    )
    for claim in claims.order_by("pk"):
        data = row(claim, leave_out={"assigned_to"})
        data["person"] = claim.member.person.full_name
        data["lines"] = [row(line, leave_out={"member"}) for line in claim.lines.all()]
        data["decisions"] = [row(v) for v in claim.versions.all()]
        data["payments"] = [row(p) for p in claim.payments.all()]
        data["history"] = [row(e, leave_out={"actor"}) for e in claim.events.all()]
        data["documents"] = [
            {"document": f.key, "file": document_path(f.file)}
            for f in claim.files.all()
            if f.file.sha256
        ]
        out.append(data)
    return out


def _second_opinion(user) -> dict:
    cases = []
    for case in OpinionCase.objects.filter(member=user).prefetch_related("events", "files__file"):
        data = row(case, leave_out={"requested_specialist", "specialist"})
        data["specialist"] = str(case.specialist or case.requested_specialist)
        data["history"] = [row(e, leave_out={"actor"}) for e in case.events.all()]
        data["files"] = [
            {"purpose": f.purpose, "file": document_path(f.file)}
            for f in case.files.all()
            if f.file.sha256
        ]
        cases.append(data)
    chat = [
        {"at": m.at, "from_team": m.from_team, "partner": m.partner_code, "message": m.body}
        for m in ChatMessage.objects.filter(member=user)
    ]
    return {"cases": cases, "chat": chat}


def _consultations(user) -> list[dict]:
    out = []
    for consultation in Consultation.objects.filter(member=user).prefetch_related(
        "events", "slots"
    ):
        data = row(consultation, leave_out={"therapist"})
        data["therapist"] = str(consultation.therapist.name)
        data["history"] = [row(e, leave_out={"actor"}) for e in consultation.events.all()]
        data["proposed_times"] = [s.starts_at for s in consultation.slots.all()]
        out.append(data)
    return out


def _emails(user) -> list[dict]:
    """What the outbox sent (or holds) for the member's addresses: to, cc or bcc."""
    addresses = {
        a.lower()
        for a in [
            user.email,
            *InsuredPerson.objects.filter(user=user).values_list("email", flat=True),
        ]
        if a
    }
    out = []
    fields = ("pk", "to", "cc", "bcc")
    for pk, to, cc, bcc in OutboxMessage.objects.values_list(*fields).iterator():
        if addresses & {a.lower() for a in [*to, *cc, *bcc]}:
            message = OutboxMessage.objects.get(pk=pk)
            out.append(
                {
                    "created_at": message.created_at,
                    "sent_at": message.sent_at,
                    "status": message.status,
                    "to": message.to,
                    "subject": message.subject,
                    "text": message.body_text,
                    "attachments": list(message.attachments.values_list("filename", flat=True)),
                }
            )
    return out


def _complaints_of(user) -> models.QuerySet[Complaint]:
    return Complaint.objects.filter(complainant_user=user)


def _complaints(user) -> list[dict]:
    out = []
    for complaint in _complaints_of(user).prefetch_related("events", "files__file").order_by("pk"):
        data = row(
            complaint,
            leave_out={"complainant_user", "filed_by", "owner", "escalated_to", "answered_by"},
        )
        data["claim"] = complaint.claim.number if complaint.claim_id else None
        data["contract"] = complaint.contract.number if complaint.contract_id else None
        data["history"] = [row(e, leave_out={"actor"}) for e in complaint.events.all()]
        data["files"] = [document_path(f.file) for f in complaint.files.all() if f.file.sha256]
        out.append(data)
    return out


def _applications(user) -> list[dict]:
    """Applications the member made online, with each person's health declaration (004 Чл.10)."""
    out = []
    for application in (
        Application.objects.filter(owner=user).prefetch_related("persons").order_by("pk")
    ):
        data = row(application, leave_out={"owner", "contract"})
        data["persons"] = []
        for person in application.persons.all():
            entry = row(person, leave_out={"application", "decided_by", "member"})
            declaration = getattr(person, "declaration", None)
            entry["declaration"] = (
                row(declaration, leave_out={"applicant"}) if declaration else None
            )
            data["persons"].append(entry)
        out.append(data)
    return out


def _abroad_cases_of(user) -> models.QuerySet[AbroadCase]:
    return AbroadCase.objects.filter(member__person__user=user)


def _treatment_abroad(user) -> list[dict]:
    out = []
    cases = _abroad_cases_of(user).prefetch_related(
        "events", "documents__file", "costs", "messages", "objections"
    )
    for case in cases.order_by("pk"):
        data = row(case, leave_out={"member", "opened_by", "owner"})
        data["history"] = [row(e, leave_out={"actor"}) for e in case.events.all()]
        data["costs"] = [row(c, leave_out={"case", "created_by"}) for c in case.costs.all()]
        data["messages"] = [row(m, leave_out={"case", "author"}) for m in case.messages.all()]
        data["objections"] = [row(o, leave_out={"case", "filed_by"}) for o in case.objections.all()]
        data["documents"] = [document_path(d.file) for d in case.documents.all() if d.file.sha256]
        out.append(data)
    return out


def _examinations(user) -> list[dict]:
    slots = ExaminationSlot.objects.filter(member__person__user=user).order_by("day")
    return [row(slot, leave_out={"request", "member"}) for slot in slots]


def _privacy(user) -> dict:
    return {
        "consents": [
            row(e, leave_out={"member", "recorded_by"})
            for e in ConsentEvent.objects.filter(member=user)
        ],
        "requests": [
            row(r, leave_out={"member", "decided_by"})
            for r in DataRequest.objects.filter(member=user)
        ],
        "document_access": [
            {"at": a.at, "who": a.role_label, "what": a.what, "document": a.document}
            for a in access_log.accesses_to(user)
        ],
        "archives_downloaded": list(
            AuditEvent.objects.filter(
                verb="export_personal_data", object_type="identity.user", object_id=str(user.pk)
            ).values_list("at", flat=True)
        ),
    }


README = """Zdrave — your personal data / Вашите лични данни
Created / Създаден: {at}

person.json         your account and personal details / профил и лични данни
contracts.json      contracts, covers, people you may see / договори, покрития, лица
claims.json         claims, lines, decisions, payments / претенции, решения, плащания
second_opinion.json second-opinion cases and chat / второ мнение и чат
consultations.json  psychologist consultations / консултации с психолог
emails.json         e-mails sent to you / изпратени Ви имейли
complaints.json     your complaints and the answers / жалби и отговори
applications.json   applications and health declarations / предложения и здравни декларации
treatment_abroad.json treatment-abroad cases / случаи за лечение в чужбина
examinations.json   preventive examination dates / дати за профилактични прегледи
privacy.json        consents, requests, who opened your documents / съгласия, искания, достъп
documents/          your medical files / медицинските Ви файлове
"""


def entries(user) -> Iterator[Entry]:
    now = timezone.localtime()
    yield Entry("README.txt", [README.format(at=f"{now:%Y-%m-%d %H:%M}").encode("utf-8")])
    yield _json("person.json", _person(user))
    yield _json("contracts.json", _contracts(user))
    yield _json("claims.json", _claims(user))
    yield _json("second_opinion.json", _second_opinion(user))
    yield _json("consultations.json", _consultations(user))
    yield _json("emails.json", _emails(user))
    yield _json("complaints.json", _complaints(user))
    yield _json("applications.json", _applications(user))
    yield _json("treatment_abroad.json", _treatment_abroad(user))
    yield _json("examinations.json", _examinations(user))
    yield _json("privacy.json", _privacy(user))
    for medical_file in member_files(user).iterator(chunk_size=200):
        yield Entry(
            document_path(medical_file),
            _file_chunks(medical_file),
            compressed=medical_file.mime_type.startswith(COMPRESSED),
        )


class _Sink:
    """A write-only, unseekable file for ``zipfile``: keeps what was written until taken."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._position = 0

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def stream_zip(items: Iterable[Entry]) -> Iterator[bytes]:
    """The ZIP of ``items``, in pieces of about one chunk each, as they are written."""
    sink = _Sink()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(sink, mode="w", allowZip64=True) as archive:
        for item in items:
            info = zipfile.ZipInfo(item.name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_STORED if item.compressed else zipfile.ZIP_DEFLATED
            with archive.open(info, mode="w", force_zip64=True) as out:
                for chunk in item.chunks:
                    out.write(chunk)
                    if data := sink.take():
                        yield data
            if data := sink.take():
                yield data
    yield sink.take()


def archive_name(user, today: dt.date | None = None) -> str:
    return f"zdrave-my-data-{(today or timezone.localdate()):%Y-%m-%d}.zip"
