"""Pure money rules of a contract's premium (004 Чл.25, Чл.28): which period each instalment
pays for, how a payment is spread over the instalments owed, when an instalment gives the
insurer the right to act on arrears, what an early termination refunds or leaves due, and the
premium earned on a day (the denominator of the loss ratio, Чл.25 т.8).

Days are counted one by one (a leap year has 366): the premium of an instalment is spread
evenly over the days of its period, the period of instalment *i* running from its due date to
the next due date (the first from the contract's start, the last to the day after the end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zdrave.engine.adjudication.health_contract import (
    Repricing,
    Settlement,
    Termination,
    repricing,
    settlement,
)
from zdrave.engine.money import CENT, ZERO

DAY = dt.timedelta(days=1)
# 004 Чл.25 т.5: "просрочена с повече от 15 (петнадесет) дни" — the right exists from the 16th
# day after the due date.
ARREARS_DAYS = 15


@dataclass(frozen=True, slots=True)
class Instalment:
    """One instalment of the schedule: due date, amount (EUR) and the day it was paid in full
    (None while any of it is owed)."""

    due: dt.date
    amount: Decimal
    paid_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Period:
    instalment: Instalment
    starts: dt.date  # first day paid for
    ends: dt.date  # first day NOT paid for (exclusive)

    @property
    def days(self) -> int:
        return (self.ends - self.starts).days


def periods(start: dt.date, end: dt.date, schedule: list[Instalment]) -> list[Period]:
    """The period each instalment pays for (004 Чл.25 т.4: the contract states each due date):
    from its due date (the first from ``start``) to the next one; the last to the day after
    ``end`` (``end`` is the last covered day)."""
    ordered = sorted(schedule, key=lambda i: i.due)
    result = []
    for i, item in enumerate(ordered):
        starts = start if i == 0 else max(item.due, start)
        ends = ordered[i + 1].due if i + 1 < len(ordered) else end + DAY
        result.append(Period(item, starts, max(ends, starts)))
    return result


def arrears_right_from(due: dt.date) -> dt.date:
    """004 Чл.25 т.5: the first day an instalment still unpaid is "more than 15 days" overdue,
    so that the insurer may act (a right, for a person to use; cover does not end)."""
    return due + dt.timedelta(days=ARREARS_DAYS + 1)


def overdue(schedule: list[Instalment], on: dt.date) -> list[Instalment]:
    """The instalments more than 15 days overdue on ``on`` (Чл.25 т.5), oldest first."""
    return sorted(
        (
            i
            for i in schedule
            if arrears_right_from(i.due) <= on and (i.paid_on is None or i.paid_on > on)
        ),
        key=lambda i: i.due,
    )


def allocate(amount: Decimal, owed: list[Decimal]) -> tuple[list[Decimal], Decimal]:
    """A payment spread over what is owed on each instalment, oldest first: the part for each
    and the surplus nobody owes (a person decides what to do with it)."""
    parts = []
    left = amount
    for outstanding in owed:
        part = min(left, outstanding) if outstanding > ZERO else ZERO
        parts.append(part)
        left -= part
    return parts, left


@dataclass(frozen=True, slots=True)
class TerminationMoney:
    """What an early termination settles: the refund to the policyholder, the premium the
    insurer may still claim, the costs kept (Чл.25 т.7), and the clause."""

    kind: Termination
    effective_on: dt.date
    refund: Decimal
    premium_to_claim: Decimal
    costs_kept: Decimal
    unexpired_paid: Decimal
    insurer_may_keep_premium: bool
    clause: str


def termination_money(
    kind: Termination,
    *,
    start: dt.date,
    end: dt.date,
    schedule: list[Instalment],
    effective_on: dt.date,
    costs_percent: Decimal = ZERO,
) -> TerminationMoney:
    """The money of an early termination by ``kind`` effective at 00:00 of ``effective_on``,
    instalment by instalment through ``health_contract.settlement``:

    - paid instalments: the part of each for days from ``effective_on`` on is unexpired;
      by agreement (004 Чл.25 т.7) the costs share ``costs_percent`` of it is kept; on death
      (Чл.25 т.10) and misrepresentation (Чл.28 т.3) nothing is refunded;
    - unpaid instalments: the part for days before ``effective_on`` is premium for the time the
      insurer carried the risk, claimed on misrepresentation (Чл.28 т.3) and non-payment
      (Чл.25 т.5 with КЗ чл.368)."""
    refund = unexpired_total = ZERO
    due_until = ZERO
    clause = ""
    for period in periods(start, end, schedule):
        item = period.instalment
        if item.paid_on is not None and period.days > 0:
            one = settlement(
                kind,
                effective_on=effective_on,
                premium_paid=item.amount,
                paid_from=period.starts,
                paid_to=period.ends,
                costs_percent=costs_percent,
            )
            refund += one.refund
            unexpired_total += _unexpired(item.amount, period, effective_on)
        elif item.paid_on is None and period.days > 0 and period.starts < effective_on:
            carried = (min(effective_on, period.ends) - period.starts).days
            due_until += (item.amount * carried / period.days).quantize(CENT, ROUND_HALF_UP)
    last: Settlement = settlement(
        kind,
        effective_on=effective_on,
        premium_paid=ZERO,
        paid_from=start,
        paid_to=end + DAY,
        premium_due_until_effective=due_until,
    )
    clause = last.clause
    costs = unexpired_total - refund if kind is Termination.MUTUAL else ZERO
    return TerminationMoney(
        kind=kind,
        effective_on=effective_on,
        refund=refund,
        premium_to_claim=last.premium_to_claim,
        costs_kept=costs,
        unexpired_paid=unexpired_total,
        insurer_may_keep_premium=last.insurer_may_keep_premium,
        clause=clause,
    )


def _unexpired(amount: Decimal, period: Period, effective_on: dt.date) -> Decimal:
    if effective_on >= period.ends:
        return ZERO
    left = (period.ends - max(effective_on, period.starts)).days
    return (amount * left / period.days).quantize(CENT, ROUND_HALF_UP)


def earned_premium(
    start: dt.date, end: dt.date, total: Decimal, on: dt.date, ended: dt.date | None = None
) -> Decimal:
    """The premium earned by the end of ``on`` (pro rata temporis): the year's ``total`` times
    the covered days so far over the days of the term; cover ends at 00:00 of ``ended``."""
    last = min(on, end, (ended - DAY) if ended else end)
    term = (end - start).days + 1
    if last < start or term <= 0:
        return ZERO
    return (total * ((last - start).days + 1) / term).quantize(CENT, ROUND_HALF_UP)


def loss_ratio(claims_paid: Decimal, earned: Decimal) -> Repricing:
    """004 Чл.25 т.8: the gross loss ratio (claims over premium earned); at 100 % the insurer
    *may* propose a higher premium (a decision for an underwriter). "Reaches" is compared on
    the exact amounts: 999.99 of 1 000.00 is 99.999 %, shown rounded as 100.00 % but not there
    yet (``health_contract.repricing`` compares the rounded figure)."""
    found = repricing(claims_paid, earned)
    reached = claims_paid > ZERO and claims_paid >= earned
    if reached == found.insurer_may_propose:
        return found
    return Repricing(found.loss_ratio, reached, found.reasons if reached else ())
