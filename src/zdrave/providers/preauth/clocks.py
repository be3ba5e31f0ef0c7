"""The turnaround clock of a pre-authorisation request, in working hours of the insurer's
medical desk (09:00–17:00 Sofia time) on the Bulgarian working-day calendar (the engine's
``is_working_day``: weekends and public holidays do not count).

The seeds set no deadline for prior approval (004 Чл.29 т.2's 15 working days are for paying a
claim); a clinic waiting to admit a patient needs an answer the same or the next working day, so
the insurer's service standard is ``TURNAROUND_HOURS`` working hours (docs/decisions.md, issue
12). A request is "at risk" in its last ``AT_RISK_HOURS`` and "overdue" after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils import timezone

from zdrave.engine.calendar import is_working_day

SOFIA = ZoneInfo("Europe/Sofia")
OPENS = dt.time(9, 0)
CLOSES = dt.time(17, 0)
TURNAROUND_HOURS = 8  # one working day
AT_RISK_HOURS = 2


class Flag(StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    DONE = "done"


def _opening(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, OPENS, tzinfo=SOFIA)


def _closing(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, CLOSES, tzinfo=SOFIA)


def _next_working_opening(after: dt.date) -> dt.datetime:
    day = after + dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return _opening(day)


def _clamp_to_desk(moment: dt.datetime) -> dt.datetime:
    """The first moment at or after ``moment`` when the desk is open."""
    local = moment.astimezone(SOFIA)
    day = local.date()
    if not is_working_day(day) or local >= _closing(day):
        return _next_working_opening(day)
    return max(local, _opening(day))


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """The moment ``hours`` desk hours after ``start`` (a request made at night starts its
    clock when the desk opens)."""
    left = dt.timedelta(hours=hours)
    at = _clamp_to_desk(start)
    while True:
        today_left = _closing(at.date()) - at
        if left <= today_left:
            return at + left
        left -= today_left
        at = _next_working_opening(at.date())


def working_hours_between(start: dt.datetime, end: dt.datetime) -> float:
    """Desk hours from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -working_hours_between(end, start)
    total = dt.timedelta()
    at = _clamp_to_desk(start)
    end = end.astimezone(SOFIA)
    while at < end:
        closing = _closing(at.date())
        total += min(closing, end) - at
        at = _next_working_opening(at.date())
    return total.total_seconds() / 3600


@dataclass(frozen=True)
class Clock:
    due: dt.datetime
    hours_left: float
    flag: Flag


def due_for(submitted: dt.datetime) -> dt.datetime:
    return add_working_hours(submitted, TURNAROUND_HOURS)


def clock_for(request, now: dt.datetime | None = None) -> Clock:
    """The clock of ``request`` (a ``PreauthRequest``) at ``now``; stopped at its decision."""
    now = now or timezone.now()
    if not request.is_open:
        end = request.decided_at or now
        return Clock(request.due_at, working_hours_between(end, request.due_at), Flag.DONE)
    left = working_hours_between(now, request.due_at)
    if left <= 0:
        flag = Flag.OVERDUE
    elif left <= AT_RISK_HOURS:
        flag = Flag.AT_RISK
    else:
        flag = Flag.ON_TIME
    return Clock(request.due_at, left, flag)
