"""The statutory clocks of a claim on the Bulgarian working-day calendar (004 Чл.29 т.2, the
deadlines in the product's ``claim_handling`` terms):

- missing documents are asked for within 15 working days of the claim's receipt;
- the amount is determined and paid within 15 working days after the last document;
- where documents stay missing, a reasoned answer within 6 months of the claim.

The claim's due date is the one that applies to its status; it is "at risk" from
``AT_RISK_WORKING_DAYS`` working days before it and "overdue" after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

from zdrave.claims.models import Claim, ClaimStatus
from zdrave.engine.adjudication.health_claims import claim_deadlines
from zdrave.engine.calendar import add_working_days, working_days_between
from zdrave.products.terms import terms, version_in_force

AT_RISK_WORKING_DAYS = 3
S = ClaimStatus
STOPPED = (S.PAID, S.WITHDRAWN, S.REJECTED, S.PAYMENT_SCHEDULED)


class Flag(StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    DONE = "done"


@dataclass(frozen=True)
class Clock:
    due: dt.date | None
    what: str  # "request_documents" | "pay" | "final_answer"
    clause: str
    flag: Flag
    request_documents_by: dt.date
    final_answer_by: dt.date
    pay_by: dt.date | None


def clock_for(claim: Claim, today: dt.date | None = None) -> Clock:
    today = today or timezone.localdate()
    contract = claim.contract
    handling = terms(contract.product_code, contract.product_version).rules.claim_handling
    if handling is None:
        # A Best Doctors refund: 001 / 003 name no clocks of their own; the insurer's claims
        # handling (КЗ Чл.108, as for health) applies (docs/decisions.md, issue 10).
        handling = version_in_force("health", claim.submitted).rules.claim_handling
    deadlines = claim_deadlines(handling, claim.submitted, claim.complete_on)
    if claim.complete_on is not None:
        due, what, clause = deadlines.pay_by, "pay", handling.decide_and_pay_clause
    elif claim.documents_requested_on is None:
        due, what = deadlines.request_documents_by, "request_documents"
        clause = handling.request_missing_documents_clause
    else:
        due, what, clause = deadlines.final_answer_by, "final_answer", handling.final_answer_clause
    return Clock(
        due=due,
        what=what,
        clause=clause,
        flag=_flag(claim, due, today),
        request_documents_by=deadlines.request_documents_by,
        final_answer_by=deadlines.final_answer_by,
        pay_by=deadlines.pay_by,
    )


def _flag(claim: Claim, due: dt.date | None, today: dt.date) -> Flag:
    if claim.status in STOPPED or due is None:
        return Flag.DONE
    if today > due:
        return Flag.OVERDUE
    if add_working_days(today, AT_RISK_WORKING_DAYS) >= due:
        return Flag.AT_RISK
    return Flag.ON_TIME


def working_days_left(clock: Clock, today: dt.date | None = None) -> int | None:
    if clock.due is None:
        return None
    today = today or timezone.localdate()
    if today > clock.due:
        return -working_days_between(clock.due, today)
    return working_days_between(today, clock.due)
