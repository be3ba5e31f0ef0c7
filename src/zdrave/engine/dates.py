"""The range of dates the platform accepts from anyone (forms, the API, the CLI).

Python's ``date`` runs from year 1 to 9999, so a week before 0001-01-03 or after 9999-12-27 (or
a session that ends after 9999-12-31 23:00) cannot even be computed: taken at face value such
input ends in an ``OverflowError``. No insured person was born before 1900 and no contract,
claim or appointment lies beyond 2100, so everything outside that range is refused as input,
with a message that names the field and the range.
"""

from __future__ import annotations

import datetime as dt

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


def in_range(day: dt.date) -> bool:
    if isinstance(day, dt.datetime):
        day = day.date()
    return EARLIEST <= day <= LATEST


def clamp(day: dt.date) -> dt.date:
    """``day`` moved into the accepted range (for navigation links, never for stored data)."""
    return min(max(day, EARLIEST), LATEST)
