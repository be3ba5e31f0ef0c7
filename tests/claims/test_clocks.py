"""The statutory clocks of a claim (004 Чл.29 т.2) on the Bulgarian working-day calendar:
missing documents asked for within 15 working days of receipt, the amount paid within 15
working days of the last document, a final answer within 6 months; "at risk" from 3 working
days before the due date, "overdue" after it."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.staff_data import received_on, submit
from zdrave.claims.clocks import Flag, clock_for, working_days_left
from zdrave.claims.models import Claim, ClaimStatus
from zdrave.engine.calendar import is_working_day

S = ClaimStatus
# Orthodox Easter 2027 is 2 May: Good Friday 30 April, Holy Saturday and Labour Day 1 May,
# Easter Monday 3 May, Labour Day moved from the Saturday to Tuesday 4 May, St George's Day
# Thursday 6 May, and 24 May (Cyrillic alphabet day) a Monday.
EASTER_2027_HOLIDAYS = [
    dt.date(2027, 4, 30),
    dt.date(2027, 5, 3),
    dt.date(2027, 5, 4),
    dt.date(2027, 5, 6),
    dt.date(2027, 5, 24),
]


@pytest.fixture
def claim(member, member_user) -> Claim:
    """A claim still without an ICD-10 code: with the medical expert, so its clock runs."""
    found = submit(member, member_user, key="clock", diagnosis="")
    assert found.status == S.REFERRED_MEDICAL
    return found


def test_the_calendar_knows_the_easter_2027_holidays():
    assert [d for d in EASTER_2027_HOLIDAYS if is_working_day(d)] == []
    assert is_working_day(dt.date(2027, 4, 29))
    assert is_working_day(dt.date(2027, 5, 5))


def test_004_chl29_t2_documents_asked_for_within_15_working_days_across_easter_2027(claim):
    # Received Wednesday 28 April 2027, documents not yet complete, none asked for yet.
    claim = received_on(claim, dt.date(2027, 4, 28), complete=False)
    clock = clock_for(claim, today=dt.date(2027, 4, 28))
    # 29 Apr (1), 5 May (2), 7 May (3), 10–14 May (8), 17–21 May (13), 25 May (14),
    # 26 May (15): the holidays of 30 Apr – 4 May, 6 May and 24 May do not count.
    assert (clock.what, clock.due) == ("request_documents", dt.date(2027, 5, 26))
    assert clock.request_documents_by == dt.date(2027, 5, 26)
    assert clock.final_answer_by == dt.date(2027, 10, 28)  # 6 months, the same day
    assert clock.pay_by is None
    assert clock.clause == "004 Чл.29 т.2"
    assert clock.flag == Flag.ON_TIME
    assert working_days_left(clock, today=dt.date(2027, 4, 28)) == 15


def test_004_chl29_t2_paid_within_15_working_days_of_the_last_document_across_easter_2027(
    claim,
):
    claim = received_on(claim, dt.date(2027, 4, 29))
    clock = clock_for(claim, today=dt.date(2027, 4, 29))
    # From Thursday 29 April: 5 May (1), 7 May (2), 10–14 (7), 17–21 (12), 25–27 May (15).
    assert (clock.what, clock.due) == ("pay", dt.date(2027, 5, 27))
    assert clock.pay_by == dt.date(2027, 5, 27)


@pytest.mark.parametrize(
    ("today", "flag", "left"),
    [
        pytest.param(dt.date(2027, 5, 20), Flag.ON_TIME, 4, id="4-working-days-before-on-time"),
        # 3 working days before 27 May are 21, 25, 26 May: 24 May is a holiday.
        pytest.param(dt.date(2027, 5, 21), Flag.AT_RISK, 3, id="3-working-days-before-at-risk"),
        pytest.param(dt.date(2027, 5, 27), Flag.AT_RISK, 0, id="due-day-at-risk"),
        pytest.param(dt.date(2027, 5, 28), Flag.OVERDUE, -1, id="day-after-overdue"),
    ],
)
def test_at_risk_three_working_days_before_and_overdue_after(claim, today, flag, left):
    claim = received_on(claim, dt.date(2027, 4, 29))
    clock = clock_for(claim, today=today)
    assert (clock.due, clock.flag) == (dt.date(2027, 5, 27), flag)
    assert working_days_left(clock, today=today) == left


def test_a_claim_received_before_christmas_2026_is_due_on_14_january_2027(claim):
    # 004 Чл.29 т.2 from Friday 18 December 2026: 24, 25 and 28 December (26 December, a
    # Saturday, moved to Monday) and 1 January 2027 do not count.
    claim = received_on(claim, dt.date(2026, 12, 18))
    assert clock_for(claim, today=dt.date(2027, 1, 14)).due == dt.date(2027, 1, 14)
    assert clock_for(claim, today=dt.date(2027, 1, 14)).flag == Flag.AT_RISK
    assert clock_for(claim, today=dt.date(2027, 1, 15)).flag == Flag.OVERDUE


def test_the_clock_stops_once_the_payment_is_scheduled(member, member_user):
    paid = received_on(submit(member, member_user, key="paid"), dt.date(2026, 12, 18))
    assert paid.status == S.PAYMENT_SCHEDULED
    assert clock_for(paid, today=dt.date(2027, 3, 1)).flag == Flag.DONE
