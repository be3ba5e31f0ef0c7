"""What a Claim became, in the shape ClaimResponse and ExplanationOfBenefit are written from:
``Answer`` lines with the amounts decided, the processing outcome, and (for a
pre-authorisation) the guarantee letter's number and period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Line:
    sequence: int
    service: str
    date: str
    billed: Decimal
    eligible: Decimal | None = None  # None: not decided yet
    copay: Decimal | None = None
    benefit: Decimal | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    outcome: str  # R4 ClaimProcessingCodes: queued | complete | partial | error
    disposition: str
    lines: list[Line] = field(default_factory=list)
    paid: bool = False
    pre_auth_ref: str = ""
    pre_auth_period: tuple[dt.date, dt.date] | None = None

    @property
    def decided(self) -> bool:
        return all(line.benefit is not None for line in self.lines)
