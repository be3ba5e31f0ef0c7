"""Deadlines of the data subject's rights (GDPR Art. 12(3)): pure, no Django."""

from __future__ import annotations

import datetime as dt

from zdrave.engine.calendar import add_months, is_working_day


def answer_due(received: dt.date, *, extended: bool = False) -> dt.date:
    """The last day to answer a request received on ``received``: one month (Art. 12(3)), or
    three when extended for complexity or number of requests. Periods in months end on the
    same date of the later month (the month's last day when it has none); a period ending on a
    Saturday, Sunday or public holiday runs to the end of the next working day (Regulation
    1182/71 Art. 3(2)(c), 3(4)), on the Bulgarian calendar."""
    due = add_months(received, 3 if extended else 1)
    while not is_working_day(due):
        due += dt.timedelta(days=1)
    return due
