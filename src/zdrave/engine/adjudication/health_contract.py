"""Pure calculations of the health contract's life (004 Чл.24, 25, 27, 28, 30) that the
contract work calls: refunds on termination by kind, the repricing right at a loss ratio of
100 %, termination notices, family members joining, group changes and the preventive
examinations of groups.

Where the general conditions give the insurer a *right* (to terminate, to propose a higher
premium), the result carries a flag for a person to decide; nothing here ends a contract.
Periods in months end on the corresponding day of the last month (ЗЗД чл.72).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from zdrave.engine.adjudication.reasons import code
from zdrave.engine.calendar import add_months, add_working_days
from zdrave.engine.decisions import Reason
from zdrave.engine.money import CENT, ZERO

DAY = dt.timedelta(days=1)
NOTICE_MONTHS = 1  # 004 Чл.28 т.5
FAMILY_JOIN_MONTHS = 1  # 004 Чл.27 т.2
GROUP_NOTICE_DAYS = 7  # 004 Чл.24 т.4: the policyholder tells the insurer within 7 days
GROUP_ANSWER_WORKING_DAYS = 7  # 004 Чл.24 т.4: the insurer answers within 7 working days
MISREPRESENTATION_MONTHS = 1  # 004 Чл.28 т.3
HIGHER_RISK_ANSWER_DAYS = 14  # 004 Чл.28 т.4, Чл.27 т.3: "двуседмичен срок"
PREVENTIVE_REQUEST_MONTHS = 6  # 004 Чл.30 т.3
PREVENTIVE_LIST_DAYS = 7  # 004 Чл.30 т.3
LOSS_RATIO_THRESHOLD = Decimal(100)  # 004 Чл.25 т.8, per cent
CARD_RETURN_DAYS = 3  # 004 Чл.25 т.9


class Termination(StrEnum):
    """How a contract ends before its term (004 Чл.25, Чл.28)."""

    MUTUAL = "mutual"  # Чл.25 т.7, Чл.28 т.1
    REPRICING_REFUSED = "repricing-refused"  # Чл.25 т.8
    DEATH = "death"  # Чл.25 т.10, Чл.28 т.2
    MISREPRESENTATION = "misrepresentation"  # Чл.28 т.3, Чл.11
    HIGHER_RISK = "higher-risk"  # Чл.28 т.4, Чл.27 т.3
    NOTICE = "notice"  # Чл.28 т.5
    PREMIUM_OVERDUE = "premium-overdue"  # Чл.25 т.5, КЗ чл.368


@dataclass(frozen=True, slots=True)
class Settlement:
    """The money of an early termination: what the insurer refunds, or may keep / claim."""

    effective_on: dt.date  # cover ends at 00:00 of this day
    refund: Decimal
    insurer_may_keep_premium: bool
    premium_to_claim: Decimal  # premium for the time the insurer carried the risk, if unpaid
    clause: str


def unexpired_share(paid: Decimal, paid_from: dt.date, paid_to: dt.date, ends: dt.date) -> Decimal:
    """The part of premium ``paid`` for [paid_from, paid_to) that falls after ``ends`` (day by
    day, to the cent)."""
    days = (paid_to - paid_from).days
    if days <= 0 or ends >= paid_to:
        return ZERO
    left = (paid_to - max(ends, paid_from)).days
    return (paid * left / days).quantize(CENT, ROUND_HALF_UP)


def settlement(
    kind: Termination,
    *,
    effective_on: dt.date,
    premium_paid: Decimal,
    paid_from: dt.date,
    paid_to: dt.date,
    costs_percent: Decimal = ZERO,
    premium_due_until_effective: Decimal = ZERO,
) -> Settlement:
    """The refund on an early termination by kind. ``premium_paid`` covers [paid_from,
    paid_to); ``costs_percent`` is the share of the premium the tariff sets for making and
    keeping the contract (004 Чл.25 т.7 deducts it; the seeds give no figure);
    ``premium_due_until_effective`` is unpaid premium for the time before the termination."""
    unexpired = unexpired_share(premium_paid, paid_from, paid_to, effective_on)
    if kind is Termination.MUTUAL:
        costs = (unexpired * costs_percent / 100).quantize(CENT, ROUND_HALF_UP)
        return Settlement(effective_on, unexpired - costs, False, ZERO, "004 Чл.25 т.7")
    if kind in (Termination.REPRICING_REFUSED, Termination.HIGHER_RISK):
        clause = "004 Чл.25 т.8" if kind is Termination.REPRICING_REFUSED else "004 Чл.28 т.4"
        return Settlement(effective_on, unexpired, False, ZERO, clause)
    if kind is Termination.DEATH:
        return Settlement(effective_on, ZERO, True, ZERO, "004 Чл.25 т.10")
    if kind is Termination.MISREPRESENTATION:
        return Settlement(effective_on, ZERO, True, premium_due_until_effective, "004 Чл.28 т.3")
    if kind is Termination.NOTICE:
        # Effective at the end of the current insurance period, which the premium paid covers.
        return Settlement(effective_on, unexpired, False, ZERO, "004 Чл.28 т.5")
    # Чл.25 т.5 through КЗ чл.368: the premium for the time the risk was carried stays due.
    return Settlement(effective_on, unexpired, False, premium_due_until_effective, "004 Чл.25 т.5")


def card_return_deadline(terminated_on: dt.date) -> dt.date:
    """004 Чл.25 т.9: on an early termination the insured return their cards "до 3 дни от
    датата на прекратяване" at their own cost; a card kept and used afterwards makes the network
    payments recoverable (Чл.29 т.10.1, ``health_claims.recovery_receivable``)."""
    return terminated_on + dt.timedelta(days=CARD_RETURN_DAYS)


def notice_termination_date(start: dt.date, notice_on: dt.date, period_months: int = 12) -> dt.date:
    """004 Чл.28 т.5: a termination by notice takes effect at the end of the current insurance
    period (a year unless the premium is set for a shorter one, Чл.24 т.3), with at least one
    month's notice. Returns the day at 00:00 of which cover ends: the first end of a period
    that is at least a month after the notice."""
    earliest = add_months(notice_on, NOTICE_MONTHS)
    periods = 1
    while True:
        ends = add_months(start, period_months * periods)
        if ends >= earliest:
            return ends
        periods += 1


def misrepresentation_deadline(learned_on: dt.date) -> dt.date:
    """004 Чл.28 т.3: the insurer may terminate or change the contract within one month of
    learning of the misrepresentation — the last day it may act."""
    return add_months(learned_on, MISREPRESENTATION_MONTHS)


def higher_risk_answer_deadline(proposal_received: dt.date) -> dt.date:
    """004 Чл.28 т.4: the policyholder has two weeks from receiving the insurer's proposal; if
    it does not accept by then, the insurer may terminate."""
    return proposal_received + dt.timedelta(days=HIGHER_RISK_ANSWER_DAYS)


@dataclass(frozen=True, slots=True)
class Repricing:
    loss_ratio: Decimal  # per cent, to two decimals
    insurer_may_propose: bool
    reasons: tuple[Reason, ...]


def repricing(claims_paid: Decimal, premium: Decimal) -> Repricing:
    """004 Чл.25 т.8: when the gross loss ratio (claims over premium) reaches 100 % during the
    term, the insurer *may* propose a higher premium; if the policyholder refuses, it *may*
    terminate and refund the premium paid for after the termination (``settlement``)."""
    if premium <= ZERO:
        ratio = Decimal(0) if claims_paid <= ZERO else Decimal("Infinity")
    else:
        ratio = (claims_paid * 100 / premium).quantize(CENT, ROUND_HALF_UP)
    may = ratio >= LOSS_RATIO_THRESHOLD
    reasons = (code("insurer-may-propose-repricing").reason(detail=f"({ratio} %)"),) if may else ()
    return Repricing(ratio, may, reasons)


def overdue_termination_right(
    instalments: list[tuple[dt.date, dt.date | None]], on: dt.date
) -> tuple[Reason, ...]:
    """004 Чл.25 т.5: (due, paid) pairs; an instalment more than 15 days overdue on ``on``
    gives the insurer the right to act under КЗ чл.368, including terminating. A flag."""
    for due, paid in instalments:
        if due + dt.timedelta(days=15) < on and (paid is None or paid > on):
            return (code("insurer-may-terminate").reason(detail=f"(due {due.isoformat()})"),)
    return ()


# ---- joining and group changes ---------------------------------------------------------------


def family_join_reasons(contract_made: dt.date, joins_on: dt.date) -> tuple[Reason, ...]:
    """004 Чл.27 т.2: by express written agreement a family member may join "не по-късно от 1
    (един) месец след сключване на договора"; the annex takes effect at 00:00 of its date."""
    last = add_months(contract_made, FAMILY_JOIN_MONTHS)
    if joins_on <= last:
        return ()
    return (code("family-join-too-late").reason(detail=f"(last day {last.isoformat()})"),)


@dataclass(frozen=True, slots=True)
class GroupChange:
    notify_by: dt.date  # the policyholder tells the insurer within 7 days (004 Чл.24 т.4)
    answer_by: dt.date | None  # the insurer answers within 7 working days of the notice
    covered: bool  # a person the insurer was not told of in time is not covered (Чл.24 т.4)
    reasons: tuple[Reason, ...]


def group_change(changed_on: dt.date, notified_on: dt.date | None) -> GroupChange:
    """004 Чл.24 т.4: the policyholder of a group contract notifies changes in the group within
    7 days; the insurer answers in writing within 7 working days; the insurer carries no risk
    for persons it was not notified of. Joining takes effect by annex from 00:00 of its date
    (Чл.27 т.2)."""
    notify_by = changed_on + dt.timedelta(days=GROUP_NOTICE_DAYS)
    in_time = notified_on is not None and notified_on <= notify_by
    answer_by = (
        add_working_days(notified_on, GROUP_ANSWER_WORKING_DAYS)
        if notified_on is not None
        else None
    )
    reasons = () if in_time else (code("group-change-not-notified").reason(),)
    return GroupChange(notify_by, answer_by, in_time, reasons)


# ---- 004 Чл.30 т.3 and 002 I бел.*: preventive examinations of groups ----------------------


@dataclass(frozen=True, slots=True)
class PreventiveSchedule:
    request_by: dt.date  # the policyholder's request: at least 6 months before cover ends
    list_by: dt.date | None  # the list of names: at least 7 days before the examinations
    reasons: tuple[Reason, ...]


def preventive_schedule(
    cover_ends: dt.date,
    requested_on: dt.date | None = None,
    exams_start: dt.date | None = None,
    list_sent_on: dt.date | None = None,
) -> PreventiveSchedule:
    """004 Чл.30 т.3: the insurer runs the preventive examinations of package 1 at providers it
    designates, on a schedule: the policyholder requests them no later than 6 months before the
    cover ends and sends the list of names no later than 7 days before they start."""
    request_by = add_months(cover_ends, -PREVENTIVE_REQUEST_MONTHS)
    list_by = exams_start - dt.timedelta(days=PREVENTIVE_LIST_DAYS) if exams_start else None
    found: list[Reason] = []
    if requested_on is not None and requested_on > request_by:
        found.append(
            code("preventive-request-late").reason(detail=f"(by {request_by.isoformat()})")
        )
    if list_by is not None and list_sent_on is not None and list_sent_on > list_by:
        found.append(code("preventive-list-late").reason(detail=f"(by {list_by.isoformat()})"))
    return PreventiveSchedule(request_by, list_by, tuple(found))


def preventive_entitlement(
    *,
    on_list_at_start: bool,
    attended_main: bool,
    attended_reserve: bool,
    reserve_offered: bool = True,
) -> tuple[bool, tuple[Reason, ...]]:
    """Whether the insurer still owes a person the group's preventive examinations: only people
    on the list of insured persons current on the day the programme starts (002 I бел.*), at
    the designated providers only (Чл.30 т.3 — no other provider is paid for this cover); a
    person who missed the main and the reserve dates has had their due (Чл.30 т.3). Once per
    insurance year: the schedule is the year's (002 I, the package's yearly options)."""
    if not on_list_at_start:
        return False, (code("preventive-not-on-list").reason(),)
    if attended_main or attended_reserve:
        return False, ()
    if reserve_offered:
        return False, (code("preventive-missed").reason(),)
    return True, ()
