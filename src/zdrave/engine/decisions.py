"""What the engine decides, as frozen dataclasses with a JSON form.

Every ``Reason`` cites the seed clause behind it; its ``code`` is listed in
``docs/reason-codes.md`` with a plain-language explanation in Bulgarian and English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from zdrave.engine.money import ZERO, cents


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    clause: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "clause": self.clause, "message": self.message}


class UnderwritingOutcome(StrEnum):
    ACCEPT = "accept"
    REFER = "refer"  # to an underwriter (004 Чл.10: may be accepted on special conditions)
    DECLINE = "decline"

    @property
    def severity(self) -> int:
        return {"accept": 0, "refer": 1, "decline": 2}[self.value]


def most_severe(outcomes: list[UnderwritingOutcome]) -> UnderwritingOutcome:
    return max(outcomes, key=lambda o: o.severity, default=UnderwritingOutcome.ACCEPT)


@dataclass(frozen=True, slots=True)
class PersonDecision:
    id: str
    decision: UnderwritingOutcome
    reasons: tuple[Reason, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "decision": self.decision.value,
            "reasons": [r.to_json() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class ApplicationDecision:
    decision: UnderwritingOutcome
    persons: tuple[PersonDecision, ...]
    reasons: tuple[Reason, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "persons": [p.to_json() for p in self.persons],
            "reasons": [r.to_json() for r in self.reasons],
        }


class ClaimOutcome(StrEnum):
    APPROVED = "approved"
    PARTIAL = "partial"  # something paid, but less than billed for a reason beyond co-payment
    REJECTED = "rejected"
    PENDING = "pending"  # documents missing: not a rejection (004 Чл.29 т.2)


def _money(value: Decimal) -> str:
    return f"{cents(value):.2f}"


@dataclass(frozen=True, slots=True)
class LineDecision:
    index: int
    outcome: ClaimOutcome
    billed: Decimal  # in EUR
    eligible: Decimal  # what the terms would pay before co-payment
    copay: Decimal
    payable: Decimal
    reasons: tuple[Reason, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "outcome": self.outcome.value,
            "billed": _money(self.billed),
            "eligible": _money(self.eligible),
            "copay": _money(self.copay),
            "payable": _money(self.payable),
            "reasons": [r.to_json() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class ClaimDecision:
    outcome: ClaimOutcome
    lines: tuple[LineDecision, ...]
    missing_documents: tuple[str, ...] = ()
    reasons: tuple[Reason, ...] = ()
    currency: str = "EUR"
    payable: Decimal = field(default=ZERO)

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "currency": self.currency,
            "payable": _money(self.payable),
            "lines": [line.to_json() for line in self.lines],
            "missing_documents": list(self.missing_documents),
            "reasons": [r.to_json() for r in self.reasons],
        }


def claim_outcome(
    lines: tuple[LineDecision, ...], missing_documents: tuple[str, ...]
) -> ClaimOutcome:
    """The claim's outcome from its lines: pending while documents are missing; otherwise
    approved if every line is, rejected if none pays, partial in between."""
    if missing_documents:
        return ClaimOutcome.PENDING
    outcomes = {line.outcome for line in lines}
    if outcomes <= {ClaimOutcome.APPROVED}:
        return ClaimOutcome.APPROVED
    if outcomes <= {ClaimOutcome.REJECTED}:
        return ClaimOutcome.REJECTED
    if ClaimOutcome.PENDING in outcomes and outcomes <= {
        ClaimOutcome.PENDING,
        ClaimOutcome.APPROVED,
    }:
        return ClaimOutcome.PENDING
    return ClaimOutcome.PARTIAL
