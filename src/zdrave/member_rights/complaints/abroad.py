"""Complaints about a Best Doctors treatment-abroad case (``zdrave.treatment_abroad``): the
category said of a case, the one-registration rule with the case's own objections, and the
reassessment a complaint may ask for (001 т.74). The deadline follows the case's contract
(001 т.79 / 003 т.77, ``clocks``). Called from ``actions`` inside its transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.claims.abroad import abroad_terms
from zdrave.member_rights.complaints import states
from zdrave.member_rights.complaints.models import Category, Complaint, Outcome
from zdrave.treatment_abroad.actions.cases import move_case
from zdrave.treatment_abroad.fetch import lock_case
from zdrave.treatment_abroad.models import CaseStatus
from zdrave.treatment_abroad.states import By as CaseBy
from zdrave.treatment_abroad.states import allowed as case_allowed

# A claim's category said of a case means the same about the case.
CASE_CATEGORIES = {
    Category.CLAIM_DECISION: Category.CASE_DECISION,
    Category.CLAIM_HANDLING: Category.CASE_HANDLING,
}
# 001 т.74: a new assessment after the final return (the case table's member moves into it).
REASSESSABLE = (CaseStatus.RETURNED, CaseStatus.FOLLOW_UP)


def case_category(category: str) -> str:
    return CASE_CATEGORIES.get(category, category)


def case_refusals(case, category: str, reassessment: bool) -> dict[str, list[str]]:
    """Why a complaint about ``case`` cannot be registered, by field (empty: it can).

    One registration (docs/decisions.md, "Member rights finished (issue 14, session 19)"): an
    objection to a decision on the case (``treatment_abroad`` ``Objection``, 001 т.78 / 003
    т.76) that is not yet answered already holds the member's complaint about the case's
    decision, with its own incoming number and deadline; the case manager answers it and may
    send the case back to the experts. A second registration of the same grievance is refused
    and names the first."""
    errors: dict[str, list[str]] = {}
    if case_category(category) == Category.CASE_DECISION:
        pending = case.objections.filter(answered_on__isnull=True).order_by("filed_on").first()
        if pending is not None:
            errors["subject"] = [
                _(
                    "About: your objection %(number)s to a decision on case %(case)s is already "
                    "registered; our written answer is due by %(due)s (%(clause)s). We answer "
                    "it there, so it is not registered twice."
                )
                % {
                    "number": pending.number,
                    "case": case.number,
                    "due": f"{pending.due:%d.%m.%Y}",
                    "clause": pending.clause,
                }
            ]
    if reassessment:
        rule = abroad_terms(case.member.contract).reassessment
        if case_category(category) != Category.CASE_DECISION:
            errors["reassessment"] = [
                _("Reassessment: only a complaint about a decision on the case asks for one.")
            ]
        elif rule is None:
            errors["reassessment"] = [
                _(
                    "Reassessment: the terms of this contract have none (001 т.74 is not in "
                    "003); further treatment is a new case, opened with a new notification."
                )
            ]
        elif case.status not in REASSESSABLE:
            errors["reassessment"] = [
                _(
                    "Reassessment: it is asked for after the return from treatment abroad "
                    "(001 т.74); case %(case)s is “%(status)s”."
                )
                % {"case": case.number, "status": case.get_status_display()}
            ]
    return errors


def can_reassess_case(complaint: Complaint) -> bool:
    """Whether an upheld answer may start the reassessment the complaint asked for."""
    case = complaint.case
    return (
        case is not None
        and complaint.reassessment_requested
        and not complaint.case_reassessed
        and case_allowed(case.status, CaseStatus.REASSESSMENT, CaseBy.MEMBER)
    )


def reassess_case(complaint: Complaint, *, actor, outcome: str) -> None:
    """001 т.74 is the member's right (the case table's member move into "reassessment"): the
    complaint asked for it, the complaints officer's upheld answer passes it on to the case,
    recorded on both."""
    if outcome == Outcome.NOT_UPHELD:
        raise ValidationError(
            {"reassess": _("Reassessment: only a complaint upheld in full or in part starts it.")}
        )
    if not can_reassess_case(complaint):
        raise ValidationError(
            {"reassess": _("Reassessment: the case is not back from treatment abroad.")}
        )
    case = lock_case(complaint.case_id)
    note = _("Complaint %(number)s upheld: the case is assessed again (001 т.74).") % {
        "number": complaint.number
    }
    move_case(
        case,
        CaseStatus.REASSESSMENT,
        "reassessment",
        by=CaseBy.MEMBER,
        actor=actor,
        note=note,
        reassessments=case.reassessments + 1,
    )
    complaint.case_reassessed = True
    states.step(complaint, "case_reassessed", actor=actor, note=case.number)
    record(actor=actor, verb="complaint_case_reassessed", obj=complaint, case=case.number)
