"""The turnaround clock in desk hours (09:00–17:00 Sofia) on the Bulgarian working-day calendar
(the engine's ``is_working_day``): weekends and public holidays do not count."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from zdrave.providers.preauth.clocks import (
    SOFIA,
    Flag,
    add_working_hours,
    clock_for,
    due_for,
    working_hours_between,
)


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=SOFIA)


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        pytest.param(at("2026-12-01", 10), at("2026-12-02", 10), id="tuesday-morning-next-day"),
        pytest.param(at("2026-12-01", 20), at("2026-12-02", 17), id="evening-starts-at-opening"),
        pytest.param(at("2026-12-04", 15), at("2026-12-07", 15), id="friday-over-the-weekend"),
        # 24–26 December are public holidays; the 26th falls on a Saturday, so Monday 28th is
        # one too (Labour Code): Wednesday 23rd → Tuesday 29th.
        pytest.param(at("2026-12-23", 11), at("2026-12-29", 11), id="christmas-holidays"),
        # 3 March (Liberation Day) 2027 is a Wednesday.
        pytest.param(at("2027-03-02", 10), at("2027-03-04", 10), id="third-of-march"),
    ],
)
def test_due_one_working_day_later(submitted, due):
    assert due_for(submitted) == due


def test_hours_between_skip_nights_and_weekends():
    assert working_hours_between(at("2026-12-04", 16), at("2026-12-07", 10)) == 2.0
    assert working_hours_between(at("2026-12-07", 10), at("2026-12-04", 16)) == -2.0
    assert add_working_hours(at("2026-12-05", 12), 1) == at("2026-12-07", 10)


@pytest.mark.parametrize(
    ("now", "flag"),
    [
        (at("2026-12-02", 9), Flag.ON_TIME),
        (at("2026-12-02", 16), Flag.AT_RISK),
        (at("2026-12-02", 17, 30), Flag.OVERDUE),
    ],
)
def test_flags(now, flag):
    request = SimpleNamespace(is_open=True, due_at=at("2026-12-02", 17), decided_at=None)
    assert clock_for(request, now).flag == flag


def test_a_decided_request_stops_its_clock():
    request = SimpleNamespace(
        is_open=False, due_at=at("2026-12-02", 17), decided_at=at("2026-12-02", 12)
    )
    clock = clock_for(request, at("2026-12-10", 9))
    assert (clock.flag, clock.hours_left) == (Flag.DONE, 5.0)
