"""Opening a case and the steps that carry no money (001 т.68–74 / 003 т.64–69).

Every action runs in one transaction under the case's lock (``fetch.lock_case``), moves the
case through ``states.move`` (the one table), sets the next deadline (``steps.next_due``),
writes an audit row and queues the member's e-mail in the outbox."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.identity.models import User
from zdrave.base.identity.permissions import (
    can_act_on_abroad_case,
    can_work_abroad_cases,
)
from zdrave.base.identity.roles import Role
from zdrave.claims.abroad import abroad_terms
from zdrave.claims.fetch import lock_member, may_claim_for
from zdrave.contracts.models import ContractMember
from zdrave.engine.terms.abroad import ConditionCode
from zdrave.engine.terms.common import is_icd10_code
from zdrave.treatment_abroad import emails, states
from zdrave.treatment_abroad.actions.reserve import release_reservation
from zdrave.treatment_abroad.fetch import lock_case
from zdrave.treatment_abroad.models import AbroadCase, CaseDocument, CaseStatus
from zdrave.treatment_abroad.money import opening_refusals, reason_text
from zdrave.treatment_abroad.states import By
from zdrave.treatment_abroad.steps import next_due

S = CaseStatus
SUBJECT = "treatment_abroad.case"
MAX_TEXT = 4000
MAX_HOSPITALS = 10


def open_case(
    *,
    actor,
    member: ContractMember,
    condition: str,
    diagnosis: str,
    treating_doctor: str,
    files=(),
    idempotency_key: str = "",
) -> AbroadCase:
    """The notification (001 т.69 / 003 т.65): a case for ``member`` with its number and case
    manager. Refused with the reason when the condition is not one of 001 т.6 / 003 т.6, the
    diagnosis is not the condition's (cancer: 001 т.42), or the contract is not in force on
    the day (the engine's grounds: term, premiums, waiting period). Sent twice with the same
    ``idempotency_key``: one case."""
    if idempotency_key:
        existing = AbroadCase.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if not (can_work_abroad_cases(actor) or may_claim_for(actor, member.person_id)):
        raise PermissionDenied
    terms = abroad_terms(member.contract)
    diagnosis = (diagnosis or "").strip().upper()
    errors: dict[str, list[str]] = {}
    if condition not in {c.value for c in ConditionCode} or terms.condition(condition) is None:
        errors["condition"] = [
            _(
                "Covered condition: choose one of the conditions listed in %(clause)s; "
                "treatment abroad covers only those."
            )
            % {"clause": terms.conditions_clause}
        ]
    if not is_icd10_code(diagnosis) or "-" in diagnosis:
        errors["diagnosis"] = [
            _("Diagnosis: enter one ICD-10 code, such as C50.4, as the doctor wrote it.")
        ]
    if not (treating_doctor or "").strip():
        errors["treating_doctor"] = [_("Treating doctor: enter the doctor's name.")]
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            member = lock_member(member.pk)
            case = AbroadCase(
                member=member,
                opened_by=actor,
                opened=today,
                condition=condition,
                diagnosis=diagnosis,
                treating_doctor=treating_doctor.strip()[:200],
                idempotency_key=idempotency_key or None,
                owner=actor if can_work_abroad_cases(actor) else least_busy_case_manager(),
            )
            refusals = opening_refusals(case, today)
            if refusals:
                raise ValidationError(
                    {
                        "diagnosis" if r.code == "condition-not-covered" else "__all__": [
                            _refusal(r, terms)
                        ]
                        for r in refusals
                    }
                )
            case.next_due = next_due(case, terms, today)
            case.save()
            case.number = f"TA-{today.year}-{case.pk:05d}"
            case.save(update_fields=["number"])
            states.note(case, "opened", actor=actor, text=case.treating_doctor)
            for upload in files:
                _attach(case, upload, actor)
            record(actor=actor, verb="abroad_case_opened", obj=case, condition=condition)
            emails.send_step(case, _("We registered your notification."))
    except IntegrityError:
        existing = AbroadCase.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    return case


def _refusal(reason, terms) -> str:
    if reason.code == "condition-not-covered":
        return _(
            "Diagnosis: it is not one of the diagnoses of the condition you chose (the covered "
            "conditions are listed in %(list)s; this one is defined in %(clause)s)."
        ) % {"list": terms.conditions_clause, "clause": reason.clause}
    return _("The contract does not cover this today: %(why)s") % {
        "why": reason_text(reason, terms)
    }


def least_busy_case_manager():
    """The active case manager with the fewest open cases (the owner of a new case)."""
    return (
        User.objects.filter(role=Role.CASE_MANAGER, is_active=True)
        .annotate(
            open_cases=Count(
                "abroad_cases_owned", filter=Q(abroad_cases_owned__status__in=states.OPEN)
            )
        )
        .order_by("open_cases", "id")
        .first()
    )


def _attach(case: AbroadCase, upload, actor) -> CaseDocument:
    medical_file = upload_medical_file(
        upload,
        uploaded_by=actor,
        owner=case.member.person.user or actor,
        subject_type=SUBJECT,
        subject_id=str(case.pk),
    )
    return CaseDocument.objects.create(case=case, file=medical_file)


def add_document(case: AbroadCase, upload, *, actor) -> CaseDocument:
    """A document of the medical file (001 т.70), checked as every upload is."""
    _require_either(actor, case)
    with transaction.atomic():
        case = lock_case(case.pk)
        if case.status in states.FINAL:
            raise ValidationError({"file": _("File: this case is closed.")})
        document = _attach(case, upload, actor)
        states.note(case, "document_added", actor=actor, text=document.file.original_name)
        record(actor=actor, verb="abroad_case_document", obj=case)
    return document


# -- the steps ---------------------------------------------------------------------------------


def step(
    case: AbroadCase, target: str, kind: str, *, actor, note: str = "", what: str = "", **changes
) -> AbroadCase:
    """Move ``case`` to ``target`` as the case manager or the member (the table decides which
    may), with ``changes`` to its fields, the next deadline and the e-mail."""
    by = _by(actor, case)
    with transaction.atomic():
        case = lock_case(case.pk)
        move_case(case, target, kind, by=by, actor=actor, note=note, what=what, **changes)
    return case


# A case that ends, or whose member chose treatment in Bulgaria, keeps nothing reserved against
# the limit (001 т.28): what the pre-certificate held back and no bill used is free again.
RELEASES = (*states.FINAL, S.TREATED_IN_BULGARIA)


def move_case(case, target, kind, *, by, actor, note="", what="", **changes) -> None:
    if target in RELEASES:
        release_reservation(case, actor=actor)
    for name, value in changes.items():
        setattr(case, name, value)
    today = timezone.localdate()
    states.move(case, target, kind, by=by, actor=actor, note=note)
    case.next_due = next_due(case, abroad_terms(case.member.contract), today)
    case.save(update_fields=["next_due"])
    record(actor=actor, verb=f"abroad_case_{kind}", obj=case, status=target)
    emails.send_step(case, what or note)


def _by(actor, case: AbroadCase) -> By:
    if can_work_abroad_cases(actor):
        return By.CASE_MANAGER
    if can_act_on_abroad_case(actor, case):
        return By.MEMBER
    raise PermissionDenied


def _require_either(actor, case):
    _by(actor, case)


def _require_manager(actor) -> None:
    if not can_work_abroad_cases(actor):
        raise PermissionDenied


def file_complete(case, *, actor):
    _require_manager(actor)
    return step(case, S.FILE_COMPLETE, "file_complete", actor=actor)


def request_documents(case, *, actor, note: str):
    _require_manager(actor)
    if not note.strip():
        raise ValidationError({"note": _("What is needed: say which documents are missing.")})
    return step(case, S.NOTIFIED, "documents_requested", actor=actor, note=note[:MAX_TEXT])


def send_to_experts(case, *, actor):
    _require_manager(actor)
    return step(case, S.EXPERT_REVIEW, "sent_to_experts", actor=actor)


def record_opinion(case, *, actor, opinion: str, hospitals: list[str]):
    """001 т.71: the experts confirm cover and propose hospitals (valid 001 т.72.1)."""
    _require_manager(actor)
    hospitals = [h.strip()[:200] for h in hospitals if h.strip()]
    if not opinion.strip():
        raise ValidationError({"opinion": _("Opinion: write what the experts concluded.")})
    if not hospitals or len(hospitals) > MAX_HOSPITALS:
        raise ValidationError(
            {"hospitals": _("Hospitals proposed: one to ten hospitals, one on a line.")}
        )
    return step(
        case,
        S.OPINION_RECEIVED,
        "opinion_received",
        actor=actor,
        opinion=opinion.strip()[:MAX_TEXT],
        hospitals=hospitals,
        opinion_on=timezone.localdate(),
        hospital="",
        what=_("The experts' opinion is on your case page with the hospitals they propose."),
    )


def refuse(case, *, actor, reason: str):
    """Not covered after the review: the reasons in words, with the clause."""
    _require_manager(actor)
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Reason: write why the case is refused and the clause.")}
        )
    return step(case, S.REFUSED, "refused", actor=actor, note=reason[:MAX_TEXT])


def choose(case, *, actor, choice: str):
    """The member's decision (001 т.71–72): a hospital from the list, treatment in Bulgaria,
    or no treatment at all."""
    if not can_act_on_abroad_case(actor, case):
        raise PermissionDenied
    if choice == "bulgaria":
        return step(case, S.TREATED_IN_BULGARIA, "treated_in_bulgaria", actor=actor)
    if choice == "decline":
        return step(case, S.DECLINED, "declined", actor=actor)
    with transaction.atomic():
        case = lock_case(case.pk)
        if choice not in case.hospitals:
            raise ValidationError(
                {"choice": _("Your decision: choose one of the hospitals proposed.")}
            )
        move_case(
            case, S.HOSPITAL_CHOSEN, "hospital_chosen", by=By.MEMBER, actor=actor, hospital=choice
        )
    return case


def decline(case, *, actor, note: str = ""):
    if not can_act_on_abroad_case(actor, case):
        raise PermissionDenied
    return step(case, S.DECLINED, "declined", actor=actor, note=note[:MAX_TEXT])


def reissue_list(case, *, actor, note: str = ""):
    """001 т.72.2: the hospital was not chosen, or treatment did not begin, within three months:
    new versions of the list (and of the pre-certificate, whose reservation is released)."""
    _require_manager(actor)
    with transaction.atomic():
        case = lock_case(case.pk)
        release_reservation(case, actor=actor)
        move_case(
            case,
            S.OPINION_RECEIVED,
            "list_reissued",
            by=By.CASE_MANAGER,
            actor=actor,
            note=note,
            opinion_on=timezone.localdate(),
            precertificate_issued=None,
            precertificate_number="",
        )
    return case


def admit(case, *, actor, at: dt.datetime):
    _require_manager(actor)
    return step(case, S.ADMITTED, "admitted", actor=actor, admitted_at=at)


def discharge(case, *, actor, at: dt.datetime):
    _require_manager(actor)
    if case.admitted_at and at <= case.admitted_at:
        raise ValidationError({"at": _("Discharged at: must be after the admission.")})
    return step(case, S.DISCHARGED, "discharged", actor=actor, discharged_at=at)


def returned(case, *, actor, on: dt.date):
    _require_manager(actor)
    if case.discharged_at and on < timezone.localtime(case.discharged_at).date():
        raise ValidationError({"on": _("Back in Bulgaria on: cannot be before the discharge.")})
    return step(
        case,
        S.RETURNED,
        "returned",
        actor=actor,
        returned_on=on,
        what=_(
            "Welcome home. You can now ask for the daily allowance and, if the doctor abroad "
            "prescribed them, the medicines."
        ),
    )


def request_follow_up(case, *, actor, note: str = ""):
    """001 т.66–67: follow-up by the doctor abroad within 180 days of the return; 003 has no
    such benefit."""
    terms = abroad_terms(case.member.contract)
    follow_up = terms.benefit("follow-up-care")
    if follow_up is None:
        raise ValidationError(
            _("Follow-up care: these terms (%(terms)s) do not include it.")
            % {"terms": terms.benefits_clause}
        )
    if case.returned_on and follow_up.within_days_of_return:
        last = case.returned_on + dt.timedelta(days=follow_up.within_days_of_return.days)
        if timezone.localdate() > last:
            raise ValidationError(
                _(
                    "Follow-up care: the %(days)s days after the return ended on %(last)s (%(clause)s)."
                )
                % {
                    "days": follow_up.within_days_of_return.days,
                    "last": last.strftime("%d.%m.%Y"),
                    "clause": follow_up.within_days_of_return.clause,
                }
            )
    return step(case, S.FOLLOW_UP, "follow_up", actor=actor, note=note[:MAX_TEXT])


def reassess(case, *, actor, note: str = ""):
    """001 т.74: after the return, further treatment of the same condition is the same claim;
    003 has no reassessment (a new notification is a new case)."""
    terms = abroad_terms(case.member.contract)
    if terms.reassessment is None:
        raise ValidationError(
            _(
                "Reassessment: these terms (%(clause)s) have none; further treatment is a new "
                "case, opened with a new notification."
            )
            % {"clause": terms.conditions_clause.split()[0]}
        )
    return step(
        case,
        S.REASSESSMENT,
        "reassessment",
        actor=actor,
        note=note[:MAX_TEXT],
        reassessments=case.reassessments + 1,
    )


def close(case, *, actor, note: str = ""):
    _require_manager(actor)
    return step(case, S.CLOSED, "closed", actor=actor, note=note[:MAX_TEXT])


def suspend(case, *, actor, note: str = ""):
    """001 т.32: cover stops while premiums are unpaid; the case waits (a person's decision)."""
    _require_manager(actor)
    with transaction.atomic():
        case = lock_case(case.pk)
        move_case(
            case,
            S.SUSPENDED,
            "suspended",
            by=By.CASE_MANAGER,
            actor=actor,
            note=note,
            resume_status=case.status,
        )
    return case


def resume(case, *, actor):
    """001 т.40 / 003 т.36: all missed premiums paid; cover is back from the next day and the
    case goes on where it stopped. Refused while the engine still finds the cover suspended."""
    _require_manager(actor)
    with transaction.atomic():
        case = lock_case(case.pk)
        refusals = opening_refusals(case, timezone.localdate())
        if refusals:
            terms = abroad_terms(case.member.contract)
            raise ValidationError(
                _("The cover is not back yet: %(why)s")
                % {"why": "; ".join(reason_text(r, terms) for r in refusals)}
            )
        move_case(
            case,
            case.resume_status or S.NOTIFIED,
            "resumed",
            by=By.CASE_MANAGER,
            actor=actor,
            resume_status="",
        )
    return case


def contract_ended(case, *, actor, note: str):
    """The contract ended during the case (its term, 001 т.26; for good, 001 т.41): what was
    reserved is released; costs after the end are refused by the engine."""
    _require_manager(actor)
    if not note.strip():
        raise ValidationError({"note": _("Note: say how and when the contract ended.")})
    with transaction.atomic():
        case = lock_case(case.pk)
        release_reservation(case, actor=actor)
        move_case(
            case, S.CONTRACT_ENDED, "contract_ended", by=By.CASE_MANAGER, actor=actor, note=note
        )
    return case


def take(case, *, actor):
    """A case manager takes the case as its owner."""
    _require_manager(actor)
    with transaction.atomic():
        case = lock_case(case.pk)
        case.owner = actor
        case.save(update_fields=["owner"])
        states.note(case, "taken", actor=actor)
        record(actor=actor, verb="abroad_case_taken", obj=case)
    return case
