"""Calendar files for appointments (000 б) стъпка 6–7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from zdrave.base.outbox.ics import event_ics

SOFIA = ZoneInfo("Europe/Sofia")


def test_a_utc_time_is_written_as_sofia_local_time_with_its_timezone():
    start = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)  # 10:00 in Sofia (winter, +02:00)
    calendar = Calendar.from_ical(
        event_ics(uid="u1", summary="Сесия", start=start, end=start + timedelta(hours=1))
    )
    event = calendar.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Sofia"
    assert event["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 1, 15, 10, 0)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Sofia"]


def test_000_step7_reminder_one_hour_before_can_be_left_out():
    start = datetime(2026, 5, 4, 18, 0, tzinfo=SOFIA)
    ics = event_ics(
        uid="u2", summary="Сесия", start=start, end=start + timedelta(hours=1), reminder_before=None
    )
    assert Calendar.from_ical(ics).walk("VALARM") == []


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        pytest.param(
            datetime(2026, 5, 4, 18, 0),
            datetime(2026, 5, 4, 19, 0),
            "start and end must be timezone-aware",
            id="naive",
        ),
        pytest.param(
            datetime(2026, 5, 4, 18, 0, tzinfo=SOFIA),
            datetime(2026, 5, 4, 17, 0, tzinfo=SOFIA),
            "end must be after start",
            id="end-before-start",
        ),
    ],
)
def test_bad_times_are_refused(start, end, error):
    with pytest.raises(ValueError, match=error):
        event_ics(uid="u3", summary="Сесия", start=start, end=end)
