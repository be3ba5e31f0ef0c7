"""The case's states and the one table of allowed moves (the pattern of ``zdrave.claims.states``).

Every change of ``AbroadCase.status`` goes through ``move`` inside an action's transaction: a
move the table does not list is refused with a message and changes nothing; each move writes a
``CaseEvent`` (who, when, from, to, why). The path is 001 т.68–74 / 003 т.64–69:

notified (001 т.69) → file complete (т.70) → expert review (т.71, second opinion VIII-2-A) →
opinion received with the hospitals proposed (т.71) → the member's choice: a hospital (т.72) or
treatment in Bulgaria, or no treatment → pre-certificate issued (т.72, reserved against the
limit of т.28) → travel and stay booked (т.57–60) → admitted → discharged (т.73) → back in
Bulgaria (т.73.1) → follow-up (т.66–67) → closed; a reassessment after the return continues the
same claim (001 т.74; not in 003). Besides: refused, declined, limit used up, on hold while
premiums are unpaid (т.32, reinstated by т.40) and the contract ended (т.41, т.26).
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zdrave.treatment_abroad.models import AbroadCase, CaseEvent, CaseStatus

S = CaseStatus


class By(StrEnum):
    MEMBER = "member"  # the insured or someone acting for them (001 т.68)
    CASE_MANAGER = "case_manager"
    ENGINE = "engine"


M, C, E = By.MEMBER, By.CASE_MANAGER, By.ENGINE

BEFORE_TREATMENT = (
    S.NOTIFIED,
    S.FILE_COMPLETE,
    S.EXPERT_REVIEW,
    S.OPINION_RECEIVED,
    S.HOSPITAL_CHOSEN,
    S.PRECERTIFICATE_ISSUED,
    S.TRAVEL_BOOKED,
)
IN_TREATMENT = (S.ADMITTED, S.DISCHARGED)
AFTER_RETURN = (S.RETURNED, S.FOLLOW_UP, S.REASSESSMENT)
ACTIVE = (*BEFORE_TREATMENT, *IN_TREATMENT, *AFTER_RETURN)
OPEN = (*ACTIVE, S.SUSPENDED, S.TREATED_IN_BULGARIA)
FINAL = (S.DECLINED, S.REFUSED, S.LIMIT_EXHAUSTED, S.CONTRACT_ENDED, S.CLOSED)

TRANSITIONS: dict[tuple[str, str], frozenset[By]] = {}


def _allow(sources, targets, *who: By) -> None:
    for source in sources:
        for target in targets:
            TRANSITIONS[(source, target)] = TRANSITIONS.get((source, target), frozenset()) | set(
                who
            )


_allow((S.NOTIFIED,), (S.FILE_COMPLETE,), C)  # 001 т.70: all information received
_allow((S.FILE_COMPLETE,), (S.NOTIFIED,), C)  # the experts asked for more
_allow((S.FILE_COMPLETE,), (S.EXPERT_REVIEW,), C)  # 001 т.71, VIII-2-A
_allow((S.EXPERT_REVIEW,), (S.OPINION_RECEIVED,), C)  # 001 т.71: covered, hospitals proposed
_allow((S.NOTIFIED, S.FILE_COMPLETE, S.EXPERT_REVIEW), (S.REFUSED,), C, E)  # not covered
_allow((S.OPINION_RECEIVED,), (S.HOSPITAL_CHOSEN, S.TREATED_IN_BULGARIA), M)  # 001 т.71–72
_allow(BEFORE_TREATMENT, (S.DECLINED,), M)
_allow((S.HOSPITAL_CHOSEN,), (S.PRECERTIFICATE_ISSUED,), C)  # 001 т.72
_allow((S.HOSPITAL_CHOSEN,), (S.LIMIT_EXHAUSTED,), C, E)  # 001 т.28
# 001 т.72.2: the list or the pre-certificate ran out (three months): new versions.
_allow((S.HOSPITAL_CHOSEN, S.PRECERTIFICATE_ISSUED, S.TRAVEL_BOOKED), (S.OPINION_RECEIVED,), C)
_allow((S.PRECERTIFICATE_ISSUED,), (S.TRAVEL_BOOKED,), C)  # 001 т.57–60
_allow((S.TRAVEL_BOOKED,), (S.ADMITTED,), C)
_allow((S.ADMITTED,), (S.DISCHARGED,), C)
_allow((S.DISCHARGED,), (S.RETURNED,), C)  # 001 т.73.1
_allow((S.RETURNED,), (S.FOLLOW_UP,), C, M)  # 001 т.66–67, at the member's request
_allow((S.RETURNED, S.FOLLOW_UP), (S.REASSESSMENT,), C, M)  # 001 т.74
_allow((S.REASSESSMENT,), (S.OPINION_RECEIVED, S.CLOSED), C)
_allow((S.RETURNED, S.FOLLOW_UP, S.TREATED_IN_BULGARIA, S.LIMIT_EXHAUSTED), (S.CLOSED,), C)
# 001 т.32 / т.40: cover stops while premiums are unpaid and comes back once all are paid.
_allow(ACTIVE, (S.SUSPENDED,), C, E)
_allow((S.SUSPENDED,), ACTIVE, C, E)
# 001 т.41, т.26: the contract ended (for good, or its term) during the case.
_allow((*ACTIVE, S.SUSPENDED), (S.CONTRACT_ENDED,), C)
# An objection upheld (001 т.79–80) puts the case back before the experts (001 т.74).
_allow((S.REFUSED, S.LIMIT_EXHAUSTED, S.DECLINED, S.CLOSED), (S.EXPERT_REVIEW,), C)


def allowed(source: str, target: str, by: By) -> bool:
    return by in TRANSITIONS.get((source, target), frozenset())


def move(case: AbroadCase, target: str, kind: str, *, by: By, actor, note: str = "") -> CaseEvent:
    """Move the (locked) ``case`` to ``target`` and record the step."""
    source = case.status
    if not allowed(source, target, by):
        raise ValidationError(
            {
                "status": _("Status: a case that is “%(status)s” cannot move to “%(target)s”.")
                % {"status": S(source).label, "target": S(target).label}
            }
        )
    case.status = target
    case.save()
    return _event(case, kind, source, target, actor, note)


def note(case: AbroadCase, kind: str, *, actor, text: str = "") -> CaseEvent:
    """A step that does not change the status (a document added, a cost recorded)."""
    return _event(case, kind, case.status, case.status, actor, text)


def _event(case, kind, source, target, actor, text) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        from_status=source,
        to_status=target,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=text.strip()[:2000],
    )
