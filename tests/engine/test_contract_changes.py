"""004 Чл.27 т.2 and Чл.24 т.4: when an annex changing the insured people may take effect, and
the pro-rata premium for the rest of the year. No database."""

import datetime as dt
from decimal import Decimal

import pytest

from zdrave.engine.contract_changes import (
    Change,
    DateRefusal,
    check_effective,
    covered_until,
    earliest_effective,
    premium_difference,
    pro_rata,
)

D = dt.date
START, END = D(2026, 1, 1), D(2026, 12, 31)


@pytest.mark.parametrize(
    ("change", "notice", "effective", "refusal"),
    [
        # 004 Чл.24 т.4 (4.1.11) + Чл.27 т.2: an addition from 00:00 of the day after notice.
        (Change.ADD, D(2026, 3, 10), D(2026, 3, 11), None),
        (Change.ADD, D(2026, 3, 10), D(2026, 3, 10), DateRefusal.BEFORE_NOTICE),
        (Change.ADD, D(2026, 3, 10), D(2026, 6, 1), None),
        # 004 Чл.24 т.4 (4.1.10): a removal reaches back at most 7 days before the notice.
        (Change.REMOVE, D(2026, 3, 10), D(2026, 3, 3), None),
        (Change.REMOVE, D(2026, 3, 10), D(2026, 3, 2), DateRefusal.NOTICE_TOO_LATE),
        (Change.REMOVE, D(2026, 3, 10), D(2026, 3, 11), None),
        (Change.CHANGE, D(2026, 3, 10), D(2026, 3, 3), None),
        # The annex takes effect within the contract's term (004 Чл.27 т.2).
        (Change.ADD, D(2026, 12, 30), D(2027, 1, 1), DateRefusal.OUTSIDE_TERM),
        (Change.REMOVE, D(2026, 1, 3), D(2025, 12, 31), DateRefusal.OUTSIDE_TERM),
    ],
    ids=[
        "004-chl27-t2-addition-day-after-notice",
        "004-chl24-t4-addition-on-notice-day-refused",
        "004-chl27-t2-addition-later-date-named",
        "004-chl24-t4-removal-7-days-back",
        "004-chl24-t4-removal-8-days-back-refused",
        "004-chl27-t2-removal-day-after-notice",
        "004-chl24-t4-change-7-days-back",
        "004-chl27-t2-after-end-refused",
        "004-chl27-t2-before-start-refused",
    ],
)
def test_group_annex_dates(change, notice, effective, refusal):
    found = check_effective(change, notice=notice, effective=effective, start=START, end=END)
    assert found.refusal == refusal
    assert found.ok is (refusal is None)


def test_refusal_names_the_earliest_day_allowed():
    found = check_effective(
        Change.REMOVE, notice=D(2026, 3, 10), effective=D(2026, 3, 1), start=START, end=END
    )
    assert found.earliest == D(2026, 3, 3)
    assert found.clause == "004 Чл.24 т.4"


@pytest.mark.parametrize(
    ("start", "notice", "ok"),
    [
        (D(2026, 1, 15), D(2026, 2, 15), True),
        (D(2026, 1, 15), D(2026, 2, 16), False),
        (D(2026, 1, 31), D(2026, 2, 28), True),
        (D(2026, 1, 31), D(2026, 3, 1), False),
    ],
    ids=[
        "004-chl27-t2-family-one-month-last-day",
        "004-chl27-t2-family-one-month-and-a-day-refused",
        "004-chl27-t2-family-month-end-clamped",
        "004-chl27-t2-family-after-clamped-month-refused",
    ],
)
def test_family_members_join_within_a_month_of_conclusion(start, notice, ok):
    end = D(start.year, 12, 31)
    found = check_effective(
        Change.ADD,
        notice=notice,
        effective=notice + dt.timedelta(days=1),
        start=start,
        end=end,
        family=True,
    )
    assert found.ok is ok
    if not ok:
        assert found.refusal == DateRefusal.FAMILY_TOO_LATE
        assert found.clause == "004 Чл.27 т.2"


def test_family_removal_is_not_bound_by_the_month():
    found = check_effective(
        Change.REMOVE,
        notice=D(2026, 9, 1),
        effective=D(2026, 9, 2),
        start=START,
        end=END,
        family=True,
    )
    assert found.ok


@pytest.mark.parametrize(
    ("effective", "last_day"),
    [(D(2026, 3, 11), D(2026, 3, 10)), (D(2026, 1, 1), D(2025, 12, 31))],
    ids=["004-chl27-t2-removal-ends-at-0000-of-named-day", "004-chl27-t2-removal-on-start"],
)
def test_removed_person_is_covered_until_the_day_before(effective, last_day):
    assert covered_until(effective) == last_day


def test_earliest_dates():
    assert earliest_effective(Change.ADD, D(2026, 3, 10)) == D(2026, 3, 11)
    assert earliest_effective(Change.REMOVE, D(2026, 3, 10)) == D(2026, 3, 3)


@pytest.mark.parametrize(
    ("annual", "effective", "expected"),
    [
        (Decimal("365.00"), D(2026, 1, 1), Decimal("365.00")),
        (Decimal("365.00"), D(2026, 12, 31), Decimal("1.00")),
        (Decimal("365.00"), D(2026, 7, 1), Decimal("184.00")),
        (Decimal("1000.00"), D(2026, 10, 1), Decimal("252.05")),
        (Decimal("1000.00"), D(2027, 1, 1), Decimal("0.00")),
    ],
    ids=[
        "pro-rata-whole-year",
        "pro-rata-last-day",
        "pro-rata-second-half",
        "pro-rata-rounded-half-up",
        "pro-rata-after-end",
    ],
)
def test_pro_rata_for_the_rest_of_the_year(annual, effective, expected):
    assert pro_rata(annual, start=START, end=END, effective=effective) == expected


def test_removal_credits_and_addition_charges():
    kwargs = {"start": START, "end": END, "effective": D(2026, 7, 1)}
    assert premium_difference(Decimal("365.00"), Change.ADD, **kwargs) == Decimal("184.00")
    assert premium_difference(Decimal("365.00"), Change.REMOVE, **kwargs) == Decimal("-184.00")


@pytest.mark.parametrize(
    ("end", "deadline"),
    [(D(2026, 12, 31), D(2026, 7, 1)), (D(2026, 8, 30), D(2026, 2, 28))],
    ids=["004-chl30-t3-six-months-before-year-end", "004-chl30-t3-clamped-to-month-end"],
)
def test_preventive_examinations_are_asked_six_months_before_the_end(end, deadline):
    from zdrave.engine.contract_changes import examination_request_deadline

    assert examination_request_deadline(end) == deadline
