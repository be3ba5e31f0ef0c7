"""Working days in Bulgaria: weekends and Bulgarian public holidays (Orthodox Easter included,
with the Labour Code's transfers of holidays that fall on a weekend) do not count."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bulgarian_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("BG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bulgarian_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    if days < 0:
        raise ValueError("days must be non-negative")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d) if d <= day.day else dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def age_in_years(birth: dt.date, on: dt.date) -> int:
    """Completed years (навършени години)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_in_months(birth: dt.date, on: dt.date) -> int:
    months = (on.year - birth.year) * 12 + on.month - birth.month
    if on.day < birth.day:
        months -= 1
    return months
