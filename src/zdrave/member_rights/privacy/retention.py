"""Retention: how long each kind of record is kept (``data/retention.yaml``, the table in
docs/decisions.md) and what is done when the time is up; and, for an erasure request, what
can go now and what the law makes the insurer keep (GDPR Art. 17(3)(b), (e)).

A medical file is never deleted as a row (the download log points at it): its bytes are erased
and the row is marked by an empty ``sha256`` and the name ``ERASED_NAME``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from auditlog.models import LogEntry
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zdrave.base.audit.models import AuditEvent
from zdrave.base.audit.system import SYSTEM_ACTOR, current_system_actor
from zdrave.base.documents import storage
from zdrave.base.documents.models import DocumentAccessLog, MedicalFile
from zdrave.base.outbox.models import OutboxMessage
from zdrave.claims.models import Claim, ClaimFile, ClaimStatus, Payment
from zdrave.contracts.models import InsuredPerson
from zdrave.engine.calendar import add_months
from zdrave.member_rights.complaints.models import Complaint, ComplaintStatus
from zdrave.member_rights.privacy.models import ConsentEvent, DataRequest, RequestStatus
from zdrave.member_services.consultations.models import OPEN_STATUSES as OPEN_CONSULTATIONS
from zdrave.member_services.consultations.models import Consultation
from zdrave.member_services.second_opinion.models import OPEN_STATUSES as OPEN_CASES
from zdrave.member_services.second_opinion.models import CaseFile, ChatMessage, OpinionCase
from zdrave.treatment_abroad.models import AbroadCase
from zdrave.treatment_abroad.states import OPEN as OPEN_ABROAD

DATA = Path(__file__).parent / "data" / "retention.yaml"
ERASED_NAME = "erased"
ANONYMOUS = "—"

# A claim still being worked on: an erasure request waits until it is settled.
OPEN_CLAIM_STATUSES = frozenset(
    {
        ClaimStatus.SUBMITTED,
        ClaimStatus.PENDING_DOCUMENTS,
        ClaimStatus.REFERRED_ADJUSTER,
        ClaimStatus.REFERRED_MEDICAL,
        ClaimStatus.AWAITING_APPROVAL,
        ClaimStatus.PAYMENT_SCHEDULED,
        ClaimStatus.PAYMENT_FAILED,
        ClaimStatus.REOPENED,
    }
)


class Action:
    DELETE = "delete"
    ANONYMISE = "anonymise"


@dataclass(frozen=True)
class Policy:
    kind: str
    years: int
    start: str  # from which event the years count
    action: str
    basis: str

    def cutoff(self, now: dt.datetime) -> dt.datetime:
        """Records older than this moment are due (29 February counts from the 28th)."""
        day = 28 if (now.month, now.day) == (2, 29) else now.day
        return now.replace(year=now.year - self.years, day=day)

    def year_start_cutoff(self, today: dt.date) -> dt.date:
        """For periods counted from the end of a year: records of years before this date."""
        return dt.date(today.year - self.years, 1, 1)


@cache
def policies() -> dict[str, Policy]:
    rows = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {
        row["kind"]: Policy(
            row["kind"], int(row["years"]), row["from"], row["action"], row["basis"]
        )
        for row in rows
    }


KIND_LABELS = {
    "contract_people": _("Personal details on contracts"),
    "claim": _("Claims"),
    "claim_document": _("Claim documents"),
    "payment": _("Payments"),
    "opinion_case": _("Second-opinion cases"),
    "consultation": _("Psychologist consultations"),
    "chat_message": _("Chat messages"),
    "own_upload": _("Files in My files"),
    "outbox_message": _("E-mails sent"),
    "document_access": _("Document access log"),
    "audit_event": _("Audit trail"),
    "change_history": _("Change history"),
    "consent_event": _("Consent history"),
    "data_request": _("Personal-data requests"),
}


# -- what is due, per kind ---------------------------------------------------------------------


def _not_erased(files: models.QuerySet[MedicalFile]) -> models.QuerySet[MedicalFile]:
    return files.exclude(sha256="")


def _due_contract_people(p: Policy, now: dt.datetime):
    cutoff = add_months(timezone.localdate(now), -12 * p.years)
    return (
        InsuredPerson.objects.exclude(first_name=ANONYMOUS)
        .annotate(last_end=Max("memberships__contract__end"))
        .filter(last_end__lt=cutoff)
        .exclude(holder_records__contracts__end__gte=cutoff)
    )


def _due_claims(p: Policy, now: dt.datetime):
    before = p.year_start_cutoff(timezone.localdate(now))
    return Claim.objects.filter(submitted__lt=before).exclude(
        diagnosis="", diagnosis_text="", iban="", payee_name=""
    )


def _due_claim_documents(p: Policy, now: dt.datetime):
    cutoff = add_months(timezone.localdate(now), -12 * p.years)
    ids = ClaimFile.objects.filter(claim__submitted__lt=cutoff).values("file_id")
    return _not_erased(MedicalFile.objects.filter(pk__in=ids))


def _due_payments(p: Policy, now: dt.datetime):
    before = p.year_start_cutoff(timezone.localdate(now))
    return Payment.objects.filter(created_at__date__lt=before).exclude(iban="")


def _due_opinion_cases(p: Policy, now: dt.datetime):
    return (
        OpinionCase.objects.exclude(status__in=OPEN_CASES)
        .filter(updated_at__lt=p.cutoff(now))
        .exclude(question="", documents_description=ANONYMOUS)
    )


def _due_consultations(p: Policy, now: dt.datetime):
    return (
        Consultation.objects.exclude(status__in=OPEN_CONSULTATIONS)
        .filter(updated_at__lt=p.cutoff(now))
        .exclude(theme=ANONYMOUS)
    )


def _due_chat(p: Policy, now: dt.datetime):
    return ChatMessage.objects.filter(at__lt=p.cutoff(now))


def _due_own_uploads(p: Policy, now: dt.datetime):
    return _not_erased(
        MedicalFile.objects.filter(subject_type="", uploaded_at__lt=p.cutoff(now))
        .exclude(pk__in=CaseFile.objects.values("file_id"))
        .exclude(pk__in=ClaimFile.objects.values("file_id"))
    )


def _due_outbox(p: Policy, now: dt.datetime):
    return OutboxMessage.objects.filter(created_at__lt=p.cutoff(now))


def _due_access_log(p: Policy, now: dt.datetime):
    return DocumentAccessLog.objects.filter(at__lt=p.cutoff(now))


def _due_audit(p: Policy, now: dt.datetime):
    return AuditEvent.objects.filter(at__lt=p.cutoff(now))


def _due_change_history(p: Policy, now: dt.datetime):
    return LogEntry.objects.filter(timestamp__lt=p.cutoff(now))


def _due_consents(p: Policy, now: dt.datetime):
    latest = ConsentEvent.objects.filter(
        member=models.OuterRef("member"), purpose=models.OuterRef("purpose")
    ).order_by("-at", "-id")
    return ConsentEvent.objects.filter(at__lt=p.cutoff(now)).exclude(
        pk=models.Subquery(latest.values("pk")[:1])
    )


def _due_requests(p: Policy, now: dt.datetime):
    return DataRequest.objects.exclude(status=RequestStatus.OPEN).filter(
        decided_at__lt=p.cutoff(now)
    )


DUE: dict[str, Callable[[Policy, dt.datetime], models.QuerySet]] = {
    "contract_people": _due_contract_people,
    "claim": _due_claims,
    "claim_document": _due_claim_documents,
    "payment": _due_payments,
    "opinion_case": _due_opinion_cases,
    "consultation": _due_consultations,
    "chat_message": _due_chat,
    "own_upload": _due_own_uploads,
    "outbox_message": _due_outbox,
    "document_access": _due_access_log,
    "audit_event": _due_audit,
    "change_history": _due_change_history,
    "consent_event": _due_consents,
    "data_request": _due_requests,
}


# -- anonymising ---------------------------------------------------------------------------------


def erase_files(files) -> int:
    """Erase the bytes of each medical file; the row stays, marked erased."""
    count = 0
    for medical_file in files:
        storage.delete(medical_file.storage_name)
        MedicalFile.objects.filter(pk=medical_file.pk).update(
            original_name=ERASED_NAME, sha256="", size=0
        )
        count += 1
    return count


def _anonymise_people(rows) -> None:
    for person in rows:
        InsuredPerson.objects.filter(pk=person.pk).update(
            first_name=ANONYMOUS,
            middle_name="",
            last_name=ANONYMOUS,
            id_number=f"anon-{person.pk}",
            email="",
            birth_date=dt.date(person.birth_date.year, 1, 1),
        )


def _anonymise_claims(rows) -> None:
    Claim.objects.filter(pk__in=[c.pk for c in rows]).update(
        diagnosis="", diagnosis_text="", circumstances=[], iban="", payee_name=""
    )


def _anonymise_payments(rows) -> None:
    Payment.objects.filter(pk__in=[p.pk for p in rows]).update(iban="", payee_name=ANONYMOUS)


def anonymise_cases(rows) -> None:
    for case in rows:
        erase_files(_not_erased(MedicalFile.objects.filter(opinion_case_file__case=case)))
        OpinionCase.objects.filter(pk=case.pk).update(
            question="", documents_description=ANONYMOUS, images_link=""
        )


def anonymise_consultations(rows) -> None:
    Consultation.objects.filter(pk__in=[c.pk for c in rows]).update(
        theme=ANONYMOUS, preferred_note=""
    )


ANONYMISE: dict[str, Callable] = {
    "contract_people": _anonymise_people,
    "claim": _anonymise_claims,
    "claim_document": erase_files,
    "payment": _anonymise_payments,
    "opinion_case": anonymise_cases,
    "consultation": anonymise_consultations,
    "own_upload": erase_files,
}


@dataclass(frozen=True)
class KindResult:
    kind: str
    action: str
    count: int


def apply_retention(*, now: dt.datetime | None = None, dry_run: bool = True, actor=None):
    """Per kind, the records whose time is up, and (unless ``dry_run``) delete or anonymise
    them, each kind in its own transaction with one audit row. Returns a ``KindResult`` per
    kind, in the order of the data file."""
    now = now or timezone.now()
    results = []
    for kind, policy in policies().items():
        rows = DUE[kind](policy, now)
        count = rows.count()
        if count and not dry_run:
            with transaction.atomic():
                if policy.action == Action.DELETE:
                    rows.delete()
                else:
                    ANONYMISE[kind](list(rows))
                # A kind of record, not one row: the subject is the kind.
                details = {"action": policy.action, "count": count, "basis": policy.basis}
                if actor is None and current_system_actor():
                    details[SYSTEM_ACTOR] = current_system_actor()
                AuditEvent.objects.create(
                    actor=actor,
                    verb="apply_retention",
                    object_type="privacy.retention",
                    object_id=kind,
                    details=details,
                )
        results.append(KindResult(kind, policy.action, count))
    return results


# -- an erasure request --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    kind: str
    count: int
    erase: bool
    reason: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "count": self.count, "erase": self.erase, "reason": self.reason}


def open_claims(user) -> models.QuerySet[Claim]:
    return Claim.objects.filter(
        Q(member__person__user=user) | Q(submitted_by=user), status__in=OPEN_CLAIM_STATUSES
    ).distinct()


def open_matters(user) -> dict[str, list[str]]:
    """Besides claims, what is still being worked on for ``user`` and needs their data (GDPR
    Art. 17(3)(e)): a treatment-abroad case not finished (001 т.74: the whole path is one
    claim) and a complaint not yet answered (001 т.79 / 003 т.77: its answer is owed)."""
    cases = AbroadCase.objects.filter(
        Q(member__person__user=user) | Q(opened_by=user), status__in=OPEN_ABROAD
    ).distinct()
    complaints = Complaint.objects.filter(complainant_user=user).exclude(
        status=ComplaintStatus.ANSWERED
    )
    found = {
        "cases": list(cases.order_by("pk").values_list("number", flat=True)),
        "complaints": list(complaints.order_by("pk").values_list("number", flat=True)),
    }
    return {kind: numbers for kind, numbers in found.items() if numbers}


def own_uploads(user) -> models.QuerySet[MedicalFile]:
    return _not_erased(
        MedicalFile.objects.filter(owner=user)
        .exclude(pk__in=CaseFile.objects.values("file_id"))
        .exclude(pk__in=ClaimFile.objects.values("file_id"))
    )


def finished_cases(user) -> models.QuerySet[OpinionCase]:
    return OpinionCase.objects.filter(member=user).exclude(status__in=OPEN_CASES)


def finished_consultations(user) -> models.QuerySet[Consultation]:
    return Consultation.objects.filter(member=user).exclude(status__in=OPEN_CONSULTATIONS)


def erasure_plan(user) -> list[PlanRow]:
    """What an erasure request would erase now, and what is kept, with the reason
    (GDPR Art. 17(3)(b): a legal duty to keep; (e): the defence of legal claims)."""
    p = policies()
    claims = Claim.objects.filter(Q(member__person__user=user) | Q(submitted_by=user)).distinct()
    payments = Payment.objects.filter(claim__in=claims)
    contracts = InsuredPerson.objects.filter(user=user)
    return [
        PlanRow("own_upload", own_uploads(user).count(), True, str(_("No duty to keep them."))),
        PlanRow(
            "chat_message",
            ChatMessage.objects.filter(member=user).count(),
            True,
            str(_("No duty to keep them.")),
        ),
        PlanRow(
            "opinion_case",
            finished_cases(user).count(),
            True,
            str(
                _(
                    "Finished cases: your question and files are erased; that the service was "
                    "used, and when, is kept for the 5-year prescription (004 Чл.31 т.1)."
                )
            ),
        ),
        PlanRow(
            "consultation",
            finished_consultations(user).count(),
            True,
            str(
                _(
                    "Finished sessions: the theme is erased; the date and therapist are kept "
                    "for the 5-year prescription (004 Чл.31 т.1)."
                )
            ),
        ),
        PlanRow(
            "contract_people",
            contracts.count(),
            False,
            str(
                _("Kept %(years)s years after your last contract ends: %(basis)s.")
                % {"years": p["contract_people"].years, "basis": p["contract_people"].basis}
            ),
        ),
        PlanRow(
            "claim",
            claims.count(),
            False,
            str(
                _("Kept %(years)s years after the year of the claim: %(basis)s.")
                % {"years": p["claim"].years, "basis": p["claim"].basis}
            ),
        ),
        PlanRow(
            "claim_document",
            ClaimFile.objects.filter(claim__in=claims).count(),
            False,
            str(
                _("Kept %(years)s years after the claim: %(basis)s.")
                % {"years": p["claim_document"].years, "basis": p["claim_document"].basis}
            ),
        ),
        PlanRow(
            "payment",
            payments.count(),
            False,
            str(
                _("Kept %(years)s years after the year of payment: %(basis)s.")
                % {"years": p["payment"].years, "basis": p["payment"].basis}
            ),
        ),
    ]


def erase_for(user) -> list[dict]:
    """Carry out an accepted erasure request (caller holds the transaction). Returns the plan
    as it was carried out."""
    plan = erasure_plan(user)
    erase_files(list(own_uploads(user)))
    ChatMessage.objects.filter(member=user).delete()
    anonymise_cases(list(finished_cases(user)))
    anonymise_consultations(list(finished_consultations(user)))
    return [row.as_dict() for row in plan]
