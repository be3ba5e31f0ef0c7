"""The claim's states and the one table of allowed moves.

Every change of ``Claim.status`` goes through ``move`` (in an action's transaction), which
refuses a move the table does not list and writes the ``ClaimEvent`` (who, when, from, to, why)
— the guarantees of a state-machine library, in a table a reader can check against the issue:

submitted → auto-decided by the engine (approved / partly approved / rejected) or waiting for
documents / with an adjuster / with a medical expert → decided (with a second approval where the
four-eyes rule asks for it) → payment scheduled → paid; payment failed → scheduled again;
withdrawn by the member; reopened (new documents, a complaint, an override after payment).
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zdrave.claims.models import Claim, ClaimEvent, ClaimStatus

S = ClaimStatus


class By(StrEnum):
    """Who makes a move: the checks in ``zdrave.claims.actions`` map users to these."""

    MEMBER = "member"
    ENGINE = "engine"  # the platform: the engine's decision, a sweep, the bank's return file
    ADJUSTER = "adjuster"
    MEDICAL = "medical"
    APPROVER = "approver"  # the second person of the four-eyes rule
    PAYMENTS = "payments"
    COMPLAINTS = "complaints"  # the complaints officer upholding a complaint (issue 14)


DECIDED = (S.APPROVED, S.PARTIALLY_APPROVED, S.REJECTED)
OPEN = (S.SUBMITTED, S.PENDING_DOCUMENTS, S.REFERRED_ADJUSTER, S.REFERRED_MEDICAL, S.REOPENED)
WORK = (S.PENDING_DOCUMENTS, S.REFERRED_ADJUSTER, S.REFERRED_MEDICAL)
E, A, M, P = By.ENGINE, By.ADJUSTER, By.MEDICAL, By.PAYMENTS

# (from, to): who may make the move.
TRANSITIONS: dict[tuple[str, str], frozenset[By]] = {}


def _allow(sources, targets, *who: By) -> None:
    for source in sources:
        for target in targets:
            TRANSITIONS.setdefault((source, target), frozenset())
            TRANSITIONS[(source, target)] |= frozenset(who)


# The engine decides a claim that arrives or becomes complete; an adjuster may always decide.
_allow((S.SUBMITTED, S.PENDING_DOCUMENTS, S.REOPENED), (*DECIDED, *WORK), E, A)
_allow((S.REFERRED_ADJUSTER,), (*DECIDED, S.PENDING_DOCUMENTS, S.REFERRED_MEDICAL), A)
_allow((S.REFERRED_ADJUSTER, S.REFERRED_MEDICAL, S.PENDING_DOCUMENTS), (S.AWAITING_APPROVAL,), A)
_allow((S.REOPENED, S.SUBMITTED), (S.AWAITING_APPROVAL,), A)
# New documents while with a person: the claim stays with them (the move is to itself).
_allow((S.REFERRED_MEDICAL,), (S.REFERRED_ADJUSTER, S.PENDING_DOCUMENTS), M)
_allow((S.AWAITING_APPROVAL,), DECIDED, By.APPROVER)
_allow((S.AWAITING_APPROVAL,), (S.REFERRED_ADJUSTER,), By.APPROVER, A)
# 004 Чл.29 т.2: a claim whose documents never came gets a reasoned answer within 6 months.
_allow((S.PENDING_DOCUMENTS,), (S.REJECTED,), A)
_allow((S.SUBMITTED, *WORK, S.REOPENED), (S.WITHDRAWN,), By.MEMBER)
_allow((S.APPROVED, S.PARTIALLY_APPROVED, S.PAYMENT_FAILED), (S.PAYMENT_SCHEDULED,), E, A, P)
_allow((S.PAYMENT_SCHEDULED,), (S.PAID, S.PAYMENT_FAILED), P, E)
# A transfer the bank sends back after the batch was confirmed paid (a camt.054 return days
# later): the claim was not paid after all.
_allow((S.PAID,), (S.PAYMENT_FAILED,), P, E)
_allow((*DECIDED, S.PAID, S.PAYMENT_FAILED), (S.REOPENED,), A, By.COMPLAINTS)

# Before a payment is scheduled, and after the bank returned one. A scheduled or sent payment
# keeps its account (it may already be in a bank file); a rejected or withdrawn claim pays
# nothing.
ACCOUNT_CAN_CHANGE = frozenset(
    {
        S.SUBMITTED,
        S.PENDING_DOCUMENTS,
        S.REFERRED_ADJUSTER,
        S.REFERRED_MEDICAL,
        S.AWAITING_APPROVAL,
        S.APPROVED,
        S.PARTIALLY_APPROVED,
        S.REOPENED,
        S.PAYMENT_FAILED,
    }
)


def account_can_change(claim: Claim) -> bool:
    """Whether the account a claim is paid to may still change (``actions.account``)."""
    return claim.status in ACCOUNT_CAN_CHANGE


def allowed(source: str, target: str, by: By) -> bool:
    return by in TRANSITIONS.get((source, target), frozenset())


def move(
    claim: Claim, target: str, kind: str, *, by: By, actor, note: str = "", save: bool = True
) -> ClaimEvent:
    """Move the (locked) ``claim`` to ``target`` and record the step; a move the table does not
    allow is refused with a message on ``status`` and changes nothing. ``save=False``: the
    caller saves the claim with its next move in the same transaction."""
    source = claim.status
    if not allowed(source, target, by):
        raise ValidationError(
            {
                "status": _("Status: a claim that is “%(status)s” cannot move to “%(target)s”.")
                % {"status": claim.get_status_display(), "target": S(target).label}
            }
        )
    claim.status = target
    if save:
        claim.save()
    return _saved(_event(claim, kind, source, target, actor, note))


def note(claim: Claim, kind: str, *, actor, text: str = "") -> ClaimEvent:
    """A step that does not change the status (a document added, a line overridden)."""
    return _saved(_event(claim, kind, claim.status, claim.status, actor, text))


def step_rows(claim: Claim, steps: list[tuple[str, str, str, object, str]]) -> list[dict]:
    """The steps a new claim went through in the transaction that created it, as the values of
    its ``ClaimEvent`` rows (no instances: the caller writes them with the claim,
    ``actions.together.insert_rows``): (kind, from, to, actor, note). Each (from, to) pair is
    checked against the table like a move (``submitted → submitted`` is the arrival itself)."""
    for kind, source, target, _actor, _note in steps:
        if source != target and not any(allowed(source, target, by) for by in By):
            raise ValueError(f"claim step {kind}: {source} → {target} is not in the table")
    return [_event_values(claim, *step) for step in steps]


def _event(claim: Claim, kind: str, source: str, target: str, actor, note: str) -> ClaimEvent:
    """One step, not yet saved."""
    return ClaimEvent(**_event_values(claim, kind, source, target, actor, note))


def _event_values(claim: Claim, kind: str, source: str, target: str, actor, note: str) -> dict:
    """The fields of one step's row."""
    return {
        "claim": claim,
        "kind": kind,
        "from_status": source,
        "to_status": target,
        "actor": actor,
        "note": note.strip()[:2000],
    }


def _saved(event: ClaimEvent) -> ClaimEvent:
    event.save(force_insert=True)
    return event
