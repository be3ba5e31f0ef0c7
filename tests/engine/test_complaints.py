"""The written answer to a complaint: its deadline from the product's clause on the Bulgarian
working-day calendar (001 т.79, 003 т.77; 004 silent), and the queue's flag. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from zdrave.engine.complaints import (
    AnswerDeadline,
    Flag,
    answer_deadline,
    answer_flag,
)
from zdrave.engine.terms.abroad import ComplaintRule

RULE_001 = ComplaintRule(months=1, clause="001 т.79")
RULE_003 = ComplaintRule(working_days_min=10, working_days_max=30, clause="003 т.77")
D = dt.date


@pytest.mark.parametrize(
    ("rule", "filed_on", "expected"),
    [
        pytest.param(
            RULE_001,
            D(2026, 3, 31),
            AnswerDeadline(D(2026, 3, 31), D(2026, 4, 30), D(2026, 4, 30), "001 т.79", False, True),
            id="001-t79-one-month-ends-on-last-day-of-shorter-month",
        ),
        pytest.param(
            RULE_001,
            D(2026, 12, 15),
            AnswerDeadline(
                D(2026, 12, 15), D(2027, 1, 15), D(2027, 1, 15), "001 т.79", False, True
            ),
            id="001-t79-one-calendar-month-over-new-year-holidays-too",
        ),
        pytest.param(
            RULE_003,
            D(2026, 2, 20),
            AnswerDeadline(D(2026, 2, 20), D(2026, 3, 9), D(2026, 4, 6), "003 т.77", True, True),
            id="003-t77-10-and-30-working-days-without-3-march",
        ),
        pytest.param(
            RULE_003,
            D(2026, 4, 8),
            AnswerDeadline(D(2026, 4, 8), D(2026, 4, 24), D(2026, 5, 27), "003 т.77", True, True),
            id="003-t77-orthodox-easter-does-not-count",
        ),
        pytest.param(
            RULE_003,
            D(2026, 12, 23),
            AnswerDeadline(D(2026, 12, 23), D(2027, 1, 12), D(2027, 2, 9), "003 т.77", True, True),
            id="003-t77-24-to-28-december-and-new-year-do-not-count",
        ),
        pytest.param(
            None,
            D(2026, 1, 31),
            AnswerDeadline(
                D(2026, 1, 31), D(2026, 2, 28), D(2026, 2, 28), "004 Чл.31 т.2", False, False
            ),
            id="004-silent-one-month-as-001-t79-decision",
        ),
    ],
)
def test_answer_deadline_from_the_products_clause(rule, filed_on, expected):
    assert answer_deadline(rule, filed_on) == expected


@pytest.mark.parametrize(
    ("today", "answered_on", "expected"),
    [
        pytest.param(D(2026, 4, 1), None, Flag.ON_TIME, id="001-t79-weeks-left-on-time"),
        pytest.param(D(2026, 4, 27), None, Flag.AT_RISK, id="001-t79-three-working-days-at-risk"),
        pytest.param(D(2026, 4, 30), None, Flag.AT_RISK, id="001-t79-due-day-still-at-risk"),
        pytest.param(D(2026, 5, 1), None, Flag.OVERDUE, id="001-t79-day-after-due-overdue"),
        pytest.param(D(2026, 5, 9), D(2026, 4, 30), Flag.ANSWERED, id="001-t79-answered-on-due"),
        pytest.param(D(2026, 5, 9), D(2026, 5, 4), Flag.ANSWERED_LATE, id="001-t79-answered-late"),
    ],
)
def test_answer_flag_for_the_queue(today, answered_on, expected):
    assert answer_flag(D(2026, 4, 30), today, answered_on) == expected


def test_the_filing_day_does_not_count_for_003_t77():
    # Filed on a Friday: the first working day counted is the Monday after.
    deadline = answer_deadline(RULE_003, D(2026, 6, 5))
    assert deadline.target == D(2026, 6, 19)
