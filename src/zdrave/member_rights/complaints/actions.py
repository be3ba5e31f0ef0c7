"""Every write of the complaints app: filing (from the portal or recorded by staff), taking,
escalating to a second level, answering, and reopening the claim a complaint is about.

001 т.77–80 / 003 т.75–78: a complaint gets an incoming number given to the complainant, a
written answer within the deadline (``clocks``), and a refusal gives its reasons and the
complainant's further options (``letters``). Each action runs in one transaction, writes the
complaint's history step and an audit row, and sends its e-mail after the commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.identity.permissions import (
    can_answer_complaint,
    can_escalate_complaint,
    can_file_complaint,
    can_handle_complaints,
    can_reopen_claim_on_complaint,
)
from zdrave.claims.actions.decide import reopen as reopen_claim
from zdrave.claims.fetch import visible_claims
from zdrave.claims.states import By, allowed
from zdrave.contracts.visibility import visible_contracts
from zdrave.member_rights.complaints import states
from zdrave.member_rights.complaints.abroad import case_category, case_refusals, reassess_case
from zdrave.member_rights.complaints.clocks import deadline_for
from zdrave.member_rights.complaints.models import (
    MAX_TEXT,
    SUBJECT_TYPE,
    Channel,
    ComplainantKind,
    Complaint,
    ComplaintFile,
    ComplaintStatus,
    Outcome,
)
from zdrave.member_rights.complaints.tasks import notify_complainant
from zdrave.treatment_abroad.fetch import visible_cases

S = ComplaintStatus
MAX_FILES = 5


@dataclass(frozen=True)
class ComplaintInput:
    category: str
    text: str
    complainant_kind: str
    complainant_name: str
    channel: str = Channel.PORTAL
    received_on: dt.date | None = None  # None: today (the portal)
    claim: object | None = None
    contract: object | None = None
    case: object | None = None  # a Best Doctors treatment-abroad case
    reassessment: bool = False  # 001 т.74: asks for a new assessment of the case
    complainant_user: object | None = None
    email: str = ""
    postal_address: str = ""
    phone: str = ""
    language: str = "bg"
    files: list = field(default_factory=list)
    idempotency_key: str = ""
    site_url: str = ""


def check_text(text: str, *, label: str) -> str:
    """The complaint's (or the answer's) own words: required, at most ``MAX_TEXT`` characters."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            _("%(label)s: please write what the complaint is about.") % {"label": label}
        )
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _(
                "%(label)s: at most %(limit)s characters (you wrote %(count)s). Shorten it, or "
                "attach the longer text as a document."
            )
            % {"label": label, "limit": f"{MAX_TEXT:,}".replace(",", " "), "count": len(text)}
        )
    return text


# -- filing ------------------------------------------------------------------------------------


def file_complaint(data: ComplaintInput, *, actor) -> Complaint:
    """Register a complaint: from the portal by a member or employer (about a claim or contract
    they may see), or recorded by the complaints staff from a letter, e-mail, call or visit. It
    gets its incoming number and the answer's due date; the attached files are checked by
    content. The same ``idempotency_key`` again returns the complaint the first submission
    created (a double click, a reload)."""
    if data.idempotency_key:
        existing = Complaint.objects.filter(idempotency_key=data.idempotency_key).first()
        if existing is not None:
            return existing
    data = _checked(data, actor)
    try:
        with transaction.atomic():
            complaint = _create(data, actor)
    except IntegrityError:
        existing = Complaint.objects.filter(idempotency_key=data.idempotency_key).first()
        if existing is None:
            raise
        return existing
    return complaint


def _checked(data: ComplaintInput, actor) -> ComplaintInput:
    staff = can_handle_complaints(actor)
    if not staff and not can_file_complaint(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    try:
        text = check_text(data.text, label=_("Your complaint"))
    except ValidationError as error:
        errors["text"] = error.messages
        text = ""
    today = timezone.localdate()
    received_on = data.received_on if staff and data.received_on else today
    if received_on > today:
        errors["received_on"] = [_("Received on: the date cannot be in the future.")]
    if not data.complainant_name.strip():
        errors["complainant_name"] = [_("Complainant: please give the name.")]
    if len(data.files) > MAX_FILES:
        errors["files"] = [
            _("Documents: at most %(count)s files; put several pages in one PDF.")
            % {"count": MAX_FILES}
        ]
    complainant = data.complainant_user if staff else actor
    claim, contract, case = data.claim, data.contract, data.case
    if case is not None:
        claim, contract = None, case.member.contract
    elif claim is not None:
        contract = claim.contract
    if complainant is not None:
        if case is not None and not visible_cases(complainant).filter(pk=case.pk).exists():
            errors["subject"] = [_("About: choose one of your own treatment-abroad cases.")]
        elif claim is not None and not visible_claims(complainant).filter(pk=claim.pk).exists():
            errors["subject"] = [_("About: choose one of your own claims.")]
        elif (
            contract is not None
            and not visible_contracts(complainant).filter(pk=contract.pk).exists()
        ):
            errors["subject"] = [_("About: choose one of your own contracts.")]
    if case is not None and "subject" not in errors:
        errors.update(case_refusals(case, data.category, data.reassessment))
    elif data.reassessment:
        errors["reassessment"] = [
            _("Reassessment: only a complaint about a treatment-abroad case asks for one.")
        ]
    if errors:
        raise ValidationError(errors)
    return ComplaintInput(
        **{
            **data.__dict__,
            "text": text,
            "received_on": received_on,
            "channel": data.channel if staff else Channel.PORTAL,
            "claim": claim,
            "contract": contract,
            "case": case,
            "category": case_category(data.category) if case is not None else data.category,
            "complainant_user": complainant,
        }
    )


def _create(data: ComplaintInput, actor) -> Complaint:
    deadline = deadline_for(data.contract, data.received_on)
    complaint = Complaint.objects.create(
        channel=data.channel,
        received_on=data.received_on,
        category=data.category,
        claim=data.claim,
        contract=data.contract,
        case=data.case,
        reassessment_requested=data.reassessment,
        complainant_user=data.complainant_user,
        complainant_kind=data.complainant_kind,
        complainant_name=data.complainant_name.strip()[:200],
        email=data.email,
        postal_address=data.postal_address.strip()[:300],
        phone=data.phone.strip()[:40],
        language=data.language if data.language in ("bg", "en") else "bg",
        text=data.text,
        filed_by=actor,
        target_on=deadline.target,
        due_on=deadline.due,
        deadline_clause=deadline.clause,
        deadline_from_terms=deadline.from_terms,
        idempotency_key=data.idempotency_key or None,
        site_url=data.site_url,
    )
    complaint.number = f"CP-{complaint.received_on.year}-{complaint.pk:06d}"
    complaint.save(update_fields=["number"])
    for upload in data.files:
        try:
            stored = upload_medical_file(
                upload,
                uploaded_by=actor,
                owner=data.complainant_user or actor,
                subject_type=SUBJECT_TYPE,
                subject_id=str(complaint.pk),
            )
        except ValidationError as error:
            name = getattr(upload, "name", "") or _("a file")
            raise ValidationError(
                {"files": [f"{name}: {message}" for message in error.messages]}
            ) from error
        ComplaintFile.objects.create(complaint=complaint, file=stored)
    states.step(complaint, "registered", actor=actor, note=data.channel)
    record(actor=actor, verb="complaint_registered", obj=complaint, channel=data.channel)
    transaction.on_commit(partial(notify_complainant, complaint.pk, "registered"))
    return complaint


# -- the staff's work --------------------------------------------------------------------------


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def take(complaint: Complaint, *, actor) -> Complaint:
    """The complaint becomes ``actor``'s to answer."""
    if not can_handle_complaints(actor):
        raise PermissionDenied
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.status == S.ESCALATED or not complaint.is_open:
            raise ValidationError(
                _("This complaint is “%(status)s”: it cannot be taken.")
                % {"status": complaint.get_status_display()}
            )
        complaint.owner = actor
        states.move(complaint, S.IN_REVIEW, "taken", actor=actor)
        record(actor=actor, verb="complaint_taken", obj=complaint)
    return complaint


def escalate(complaint: Complaint, *, actor, to, note: str) -> Complaint:
    """Escalation to the second level: a second complaints person answers, with why."""
    if not can_handle_complaints(actor):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Why: say why the complaint goes to the second level.")})
    with transaction.atomic():
        complaint = _locked(complaint)
        if to is None or not can_escalate_complaint(actor, complaint, to):
            raise ValidationError(
                {"to": _("Second level: choose another complaints officer or administrator.")}
            )
        complaint.escalated_to = to
        states.move(complaint, S.ESCALATED, "escalated", actor=actor, note=note)
        record(actor=actor, verb="complaint_escalated", obj=complaint, to=to.pk)
    return complaint


def answer(
    complaint: Complaint,
    *,
    actor,
    outcome: str,
    reasons: str,
    reopen: bool = False,
    reassess: bool = False,
    language: str | None = None,
) -> Complaint:
    """The final written answer: the outcome and its reasons (001 т.80: a refusal gives them)
    and, for a complaint upheld about a decided claim, the claim reopened (claims' "reopened"
    move, recorded on both). The letter goes out by e-mail after the commit."""
    if not can_handle_complaints(actor):
        raise PermissionDenied
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Outcome: choose one.")})
    try:
        reasons = check_text(reasons, label=_("Reasons"))
    except ValidationError as error:
        raise ValidationError({"reasons": error.messages}) from error
    with transaction.atomic():
        complaint = _locked(complaint)
        if not can_answer_complaint(actor, complaint):
            raise ValidationError(_answer_refusal(complaint))
        if reopen:
            _reopen(complaint, actor=actor, outcome=outcome)
        if reassess:
            reassess_case(complaint, actor=actor, outcome=outcome)
        complaint.outcome = outcome
        complaint.reasons = reasons
        complaint.answered_on = timezone.localdate()
        complaint.answered_by = actor
        if language in ("bg", "en"):
            complaint.language = language
        if complaint.owner_id is None:
            complaint.owner = actor
        states.move(complaint, S.ANSWERED, "answered", actor=actor, note=Outcome(outcome).label)
        record(actor=actor, verb="complaint_answered", obj=complaint, outcome=outcome)
        transaction.on_commit(partial(notify_complainant, complaint.pk, "answered"))
    return complaint


def _answer_refusal(complaint: Complaint) -> str:
    if complaint.status == S.ANSWERED:
        return _("This complaint is already answered.")
    return _("This complaint is with the second level: only %(name)s may answer it.") % {
        "name": complaint.escalated_to.get_full_name() or complaint.escalated_to.get_username()
    }


def can_reopen_claim(complaint: Complaint) -> bool:
    """Whether the claim the complaint is about is decided or paid (the claims table's moves
    into "reopened")."""
    claim = complaint.claim
    return (
        claim is not None
        and not complaint.claim_reopened
        and allowed(claim.status, "reopened", By.COMPLAINTS)
    )


def _reopen(complaint: Complaint, *, actor, outcome: str) -> None:
    if not can_reopen_claim_on_complaint(actor):
        raise PermissionDenied
    if outcome == Outcome.NOT_UPHELD:
        raise ValidationError(
            {"reopen": _("Reopen the claim: only a complaint upheld in full or in part does.")}
        )
    if not can_reopen_claim(complaint):
        raise ValidationError(
            {"reopen": _("Reopen the claim: the complaint is about no decided claim.")}
        )
    note = _("Complaint %(number)s upheld: the claim is decided again.") % {
        "number": complaint.number
    }
    claim = reopen_claim(complaint.claim, actor=actor, note=note, by=By.COMPLAINTS)
    complaint.claim_reopened = True
    states.step(complaint, "claim_reopened", actor=actor, note=claim.number)
    record(actor=actor, verb="complaint_claim_reopened", obj=complaint, claim=claim.number)


def staff_input(**values) -> ComplaintInput:
    """A complaint recorded by staff (letter, e-mail, phone, office) as ``file_complaint`` takes
    it; the complainant's kind defaults to the insured person."""
    values.setdefault("complainant_kind", ComplainantKind.INSURED)
    return ComplaintInput(**values)
