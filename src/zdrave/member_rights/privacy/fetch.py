"""Reads of the personal-data area: a request for the officer (404 otherwise), and the audit
search over the platform's audit rows, django-auditlog's change history and the documents'
download log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from zdrave.base.audit.models import AuditEvent
from zdrave.base.documents.models import DocumentAccessLog, MedicalFile
from zdrave.base.identity.permissions import can_handle_data_requests, sees_all_health_data
from zdrave.claims.models import Claim
from zdrave.contracts.models import Contract, InsuredPerson
from zdrave.member_rights.privacy.auditing import HEALTH_FIELDS, SYSTEM_ACTOR
from zdrave.member_rights.privacy.models import DataRequest, RequestStatus
from zdrave.member_services.consultations.models import Consultation
from zdrave.member_services.second_opinion.models import OpinionCase

PAGE = 100
CHANGE_ACTIONS = {
    LogEntry.Action.CREATE: _("created"),
    LogEntry.Action.UPDATE: _("changed"),
    LogEntry.Action.DELETE: _("deleted"),
    LogEntry.Action.ACCESS: _("opened"),
}
HIDDEN = _("changed (health data)")


def access_request(user, pk: int) -> DataRequest:
    if not can_handle_data_requests(user):
        raise Http404(pk)
    request = DataRequest.objects.select_related("member", "decided_by").filter(pk=pk).first()
    if request is None:
        raise Http404(pk)
    return request


def request_queue() -> QuerySet[DataRequest]:
    return (
        DataRequest.objects.select_related("member")
        .order_by("-status", "due_on", "received_at")
        .filter(status=RequestStatus.OPEN)
    )


def answered_requests() -> QuerySet[DataRequest]:
    return DataRequest.objects.select_related("member").exclude(status=RequestStatus.OPEN)[:50]


@dataclass(frozen=True)
class AuditQuery:
    person: str = ""
    user: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.person,
                self.user,
                self.object_type,
                self.object_id,
                self.date_from,
                self.date_to,
            )
        )


@dataclass
class ChangeRow:
    at: dt.datetime
    actor: str
    address: str
    object_type: str
    object_id: str
    action: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    system: bool = False  # ``actor`` names a command or task (``base.audit.system``)


@dataclass
class AuditResult:
    events: list[AuditEvent]
    changes: list[ChangeRow]
    downloads: list[DocumentAccessLog]
    people: list[InsuredPerson]


def _people(text: str) -> list[InsuredPerson]:
    text = text.strip()
    if not text:
        return []
    words = text.split()
    query = Q(id_number=text) | Q(email__iexact=text) | Q(user__username=text)
    name = Q()
    for word in words:
        name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return list(InsuredPerson.objects.filter(query | name)[:20])


def _objects_of(people: list[InsuredPerson]) -> dict[str, set[str]]:
    """Every record of these people the audit rows may name, by model label."""
    users = [p.user_id for p in people if p.user_id]
    claims = Claim.objects.filter(member__person__in=people)
    return {
        "contracts.insuredperson": {str(p.pk) for p in people},
        "contracts.contract": {
            str(pk)
            for pk in Contract.objects.filter(members__person__in=people).values_list(
                "pk", flat=True
            )
        },
        "claims.claim": {str(pk) for pk in claims.values_list("pk", flat=True)},
        "documents.medicalfile": {
            str(pk)
            for pk in MedicalFile.objects.filter(owner__in=users).values_list("pk", flat=True)
        },
        "second_opinion.opinioncase": {
            str(pk)
            for pk in OpinionCase.objects.filter(member__in=users).values_list("pk", flat=True)
        },
        "consultations.consultation": {
            str(pk)
            for pk in Consultation.objects.filter(member__in=users).values_list("pk", flat=True)
        },
        "identity.user": {str(pk) for pk in users},
    }


def _by_objects(objects: dict[str, set[str]], type_field: str, id_field: str, types=None) -> Q:
    query = Q(pk__in=[])
    for label, ids in objects.items():
        if ids:
            kind = types[label] if types else label
            if kind is None:
                continue
            query |= Q(**{type_field: kind, f"{id_field}__in": list(ids)})
    return query


def search_audit(viewer, q: AuditQuery) -> AuditResult:
    """The newest ``PAGE`` rows of each source that match every given filter."""
    events = AuditEvent.objects.select_related("actor")
    changes = LogEntry.objects.select_related("actor", "content_type")
    downloads = DocumentAccessLog.objects.select_related("user", "file")
    people = _people(q.person)
    if q.person:
        objects = _objects_of(people)
        types = {label: _content_type(label) for label in objects}
        events = events.filter(_by_objects(objects, "object_type", "object_id"))
        changes = changes.filter(_by_objects(objects, "content_type", "object_pk", types))
        downloads = downloads.filter(file__owner__in=[p.user_id for p in people if p.user_id])
    if q.user:
        actors = get_user_model().objects.filter(username__iexact=q.user.strip())
        events = events.filter(
            Q(actor__in=actors) | Q(**{f"details__{SYSTEM_ACTOR}": q.user.strip()})
        )
        # A command's or task's name (``base.audit.system``) is searched as a user's.
        changes = changes.filter(
            Q(actor__in=actors) | Q(**{f"additional_data__{SYSTEM_ACTOR}": q.user.strip()})
        )
        downloads = downloads.filter(user__in=actors)
    if q.object_type:
        label = q.object_type.strip().lower()
        events = events.filter(object_type=label)
        changes = changes.filter(content_type=_content_type(label))
        downloads = downloads if label == "documents.medicalfile" else downloads.none()
    if q.object_id:
        object_id = _resolve_id(q.object_type, q.object_id.strip())
        events = events.filter(object_id=object_id)
        changes = changes.filter(object_pk=object_id)
        downloads = downloads.filter(Q(file_id=_int(object_id)) | Q(requested_id=object_id))
    if q.date_from:
        events = events.filter(at__date__gte=q.date_from)
        changes = changes.filter(timestamp__date__gte=q.date_from)
        downloads = downloads.filter(at__date__gte=q.date_from)
    if q.date_to:
        events = events.filter(at__date__lte=q.date_to)
        changes = changes.filter(timestamp__date__lte=q.date_to)
        downloads = downloads.filter(at__date__lte=q.date_to)
    return AuditResult(
        events=list(events.order_by("-at", "-id")[:PAGE]),
        changes=[_change_row(viewer, e) for e in changes.order_by("-timestamp", "-id")[:PAGE]],
        downloads=list(downloads.order_by("-at", "-id")[:PAGE]),
        people=people,
    )


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _resolve_id(object_type: str, object_id: str) -> str:
    """A claim or contract by its number as well as by its id."""
    label = (object_type or "").strip().lower()
    if label == "claims.claim" and not object_id.isdigit():
        return str(Claim.objects.filter(number=object_id).values_list("pk", flat=True).first())
    if label == "contracts.contract" and not object_id.isdigit():
        return str(Contract.objects.filter(number=object_id).values_list("pk", flat=True).first())
    return object_id


def _content_type(label: str) -> ContentType | None:
    app_label, _dot, model = label.partition(".")
    return ContentType.objects.filter(app_label=app_label, model=model).first()


def _change_row(viewer, entry: LogEntry) -> ChangeRow:
    label = f"{entry.content_type.app_label}.{entry.content_type.model}"
    hidden = set() if sees_all_health_data(viewer) else HEALTH_FIELDS.get(label, set())
    changes = []
    for name, values in (entry.changes_dict or {}).items():
        if name in hidden:
            changes.append((name, "", str(HIDDEN)))
        else:
            before, after = (values + [None, None])[:2] if isinstance(values, list) else ("", "")
            changes.append((name, _short(before), _short(after)))
    return ChangeRow(
        at=entry.timestamp,
        actor=entry.actor.username if entry.actor else system_actor_of(entry),
        address=entry.remote_addr or "",
        object_type=label,
        object_id=entry.object_pk,
        action=str(CHANGE_ACTIONS.get(entry.action, entry.action)),
        changes=changes,
        system=entry.actor is None and bool(system_actor_of(entry)),
    )


def system_actor_of(entry: LogEntry) -> str:
    data = entry.additional_data
    return str(data.get(SYSTEM_ACTOR, "")) if isinstance(data, dict) else ""


def _short(value) -> str:
    text = "" if value is None or value == "None" else str(value)
    return text if len(text) <= 120 else text[:117] + "…"
