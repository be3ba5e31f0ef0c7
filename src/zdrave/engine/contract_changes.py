"""Changes to the insured people of a contract in force (004 Чл.27 т.2, Чл.24 т.4): when an
annex may take effect, who stops being covered when, and the pro-rata premium for the rest of
the insurance year. Pure functions: dates and Decimal euro in, dates and Decimal euro out.

The readings (docs/decisions.md, "Group administration (issue 11)"):

- 004 Чл.27 т.2 (last bullet): an annex changing the insured people "влиза в сила от 00:00
  часа на посочената дата" — a person added is covered from 00:00 of the annex's date; a person
  removed is covered until 24:00 of the day before (their last covered day).
- 004 Чл.24 т.4 (4.1.11): the insurer bears no risk for a person it was not told of in
  writing, so an addition takes effect at the earliest at 00:00 of the day after the notice.
- 004 Чл.24 т.4 (4.1.10): the holder of a group contract tells the insurer of a change in the
  group within 7 days, so a removal may take effect from the day of the change when that is at
  most 7 days before the notice; a later notice cannot reach further back.
- 004 Чл.27 т.2 (first bullet): family members join "не по-късно от 1 (един) месец след
  сключване на договора" — one month after the contract is concluded (not after the event,
  as the issue's text says: the document is the authority).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from zdrave.engine.calendar import add_months

CENT = Decimal("0.01")
DAY = dt.timedelta(days=1)
# 004 Чл.24 т.4 (4.1.10): "в рамките на 7 (седем) дни".
GROUP_NOTICE_DAYS = 7
# 004 Чл.27 т.2: "не по-късно от 1 (един) месец след сключване на договора".
FAMILY_JOIN_MONTHS = 1


class Change(StrEnum):
    ADD = "added"
    REMOVE = "removed"
    CHANGE = "changed"


class DateRefusal(StrEnum):
    """Why an annex date is refused; the caller words it for the user."""

    BEFORE_NOTICE = "before-notice"  # an addition before the day after notice (Чл.24 т.4)
    NOTICE_TOO_LATE = "notice-too-late"  # a removal more than 7 days before notice (Чл.24 т.4)
    OUTSIDE_TERM = "outside-term"  # not within the contract's term
    FAMILY_TOO_LATE = "family-too-late"  # a family member a month after conclusion (Чл.27 т.2)


@dataclass(frozen=True)
class DateCheck:
    ok: bool
    earliest: dt.date | None = None  # the earliest allowed date, when there is one
    refusal: DateRefusal | None = None
    clause: str = ""


OK = DateCheck(ok=True)


def earliest_effective(change: Change, notice: dt.date) -> dt.date:
    """The earliest day at 00:00 of which an annex notified on ``notice`` may take effect for a
    person: additions the day after notice (004 Чл.24 т.4, 4.1.11; Чл.27 т.2), removals and
    changes up to 7 days before it (004 Чл.24 т.4, 4.1.10)."""
    if change is Change.ADD:
        return notice + DAY
    return notice - dt.timedelta(days=GROUP_NOTICE_DAYS)


def check_effective(
    change: Change,
    *,
    notice: dt.date,
    effective: dt.date,
    start: dt.date,
    end: dt.date,
    family: bool = False,
) -> DateCheck:
    """May a ``change`` notified on ``notice`` take effect at 00:00 of ``effective`` on a
    contract running ``start``..``end`` (``end`` the last day of cover)? ``family``: a family
    contract, where an addition must be notified within a month of conclusion (taken as the
    start date; 004 Чл.27 т.2)."""
    if family and change is Change.ADD:
        last = add_months(start, FAMILY_JOIN_MONTHS)
        if notice > last:
            return DateCheck(False, None, DateRefusal.FAMILY_TOO_LATE, "004 Чл.27 т.2")
    if not start <= effective <= end:
        earliest = max(start, earliest_effective(change, notice))
        return DateCheck(False, earliest, DateRefusal.OUTSIDE_TERM, "004 Чл.27 т.2")
    earliest = earliest_effective(change, notice)
    if effective < earliest:
        refusal = DateRefusal.BEFORE_NOTICE if change is Change.ADD else DateRefusal.NOTICE_TOO_LATE
        return DateCheck(False, max(earliest, start), refusal, "004 Чл.24 т.4")
    return OK


def covered_until(effective: dt.date) -> dt.date:
    """The last covered day of a person removed by an annex taking effect at 00:00 of
    ``effective`` (004 Чл.27 т.2)."""
    return effective - DAY


def term_days(start: dt.date, end: dt.date) -> int:
    """Days of cover from ``start`` to ``end`` inclusive (``end`` is the last day of cover)."""
    return (end - start).days + 1


def pro_rata(annual: Decimal, *, start: dt.date, end: dt.date, effective: dt.date) -> Decimal:
    """The part of ``annual`` (a person's premium for the contract's term ``start``..``end``)
    for the days from ``effective`` to ``end`` inclusive, to the cent (half up): what an
    addition costs, or what a removal credits, for the rest of the insurance year (issue 11;
    the premium is for the insurance period, 004 Чл.24 т.3, Чл.25 т.1)."""
    if effective > end:
        return Decimal("0.00")
    effective = max(effective, start)
    remaining = term_days(effective, end)
    return (annual * remaining / term_days(start, end)).quantize(CENT, rounding=ROUND_HALF_UP)


def premium_difference(
    annual: Decimal, change: Change, *, start: dt.date, end: dt.date, effective: dt.date
) -> Decimal:
    """The premium an annex line adds (positive) or credits (negative): ``pro_rata`` of
    ``annual`` for an addition, minus it for a removal, the difference of the two annual
    premiums (``annual`` is then new − old) for a change."""
    amount = pro_rata(annual, start=start, end=end, effective=effective)
    return -amount if change is Change.REMOVE else amount


# 004 Чл.30 т.3: the request "не по-късно от 6 месеца преди края на покритието".
EXAMINATION_REQUEST_MONTHS = 6


def examination_request_deadline(end: dt.date) -> dt.date:
    """The last day the holder may ask for preventive examinations on a contract whose last day
    of cover is ``end``: 6 months before the cover ends at 00:00 of the day after ``end``
    (004 Чл.30 т.3)."""
    return add_months(end + DAY, -EXAMINATION_REQUEST_MONTHS)
