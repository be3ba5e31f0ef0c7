"""When the written answer to a complaint (жалба) is due, and whether it is at risk — pure.

The deadline is the product's own clause where it has one:

- 001 т.79 (Best Doctors 2019): "Писмен отговор се изпраща … в срок до 1 месец от датата на
  подаване на жалбата" — one calendar month;
- 003 т.77 (Best Doctors 2015): "в срок между 10 (десет) и 30 (тридесет) работни дни от датата
  на подаване в зависимост от сложността на жалбата" — Bulgarian working days, 10 the target for
  a simple complaint, 30 the limit.

004 (the health product) has no complaints clause and no deadline for an answer: Чл.30 т.1 asks
for every message in writing, Чл.31 т.2 settles disputes by negotiation and then under Bulgarian
law. The platform then answers within one calendar month of filing, the insurer-side rule of
001 т.79 (docs/decisions.md, "Complaints (issue 14)"); ``AnswerDeadline.from_terms`` is False so
pages can say that the terms are silent.

Periods are counted as ЗЗД чл.72 counts them: the day of filing does not count; a month ends on
the same date of the next month (its last day when shorter); working days are Bulgarian working
days (``zdrave.engine.calendar``). For a complaint by post the filing day is the postmark's
(004 Чл.30 т.7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from zdrave.engine.calendar import add_months, add_working_days
from zdrave.engine.terms.abroad import ComplaintRule

# 004 is silent: one month, as the insurer answers under 001 т.79 (a decision, not a clause).
SILENT_TERMS_RULE = ComplaintRule(months=1, clause="004 Чл.31 т.2")
AT_RISK_WORKING_DAYS = 3


class Flag(StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    ANSWERED = "answered"
    ANSWERED_LATE = "answered_late"


@dataclass(frozen=True, slots=True)
class AnswerDeadline:
    """``target``: the short end of a working-day range (003 т.77: a simple complaint);
    ``due``: the last day for any complaint. Under a rule in months both are the same day."""

    filed_on: dt.date
    target: dt.date
    due: dt.date
    clause: str
    working_days: bool
    from_terms: bool


def answer_deadline(rule: ComplaintRule | None, filed_on: dt.date) -> AnswerDeadline:
    """The deadline for the written answer to a complaint filed on ``filed_on`` under ``rule``
    (the product's complaints clause; None when the product's terms have none)."""
    from_terms = rule is not None
    rule = rule or SILENT_TERMS_RULE
    if rule.months is not None:
        due = add_months(filed_on, rule.months)
        return AnswerDeadline(filed_on, due, due, rule.clause, False, from_terms)
    assert rule.working_days_max is not None
    due = add_working_days(filed_on, rule.working_days_max)
    target = add_working_days(filed_on, rule.working_days_min or rule.working_days_max)
    return AnswerDeadline(filed_on, target, due, rule.clause, True, from_terms)


def answer_flag(due: dt.date, today: dt.date, answered_on: dt.date | None = None) -> Flag:
    """On time, at risk (``AT_RISK_WORKING_DAYS`` working days or fewer left), overdue; once
    answered, whether the answer went out by the due day."""
    if answered_on is not None:
        return Flag.ANSWERED if answered_on <= due else Flag.ANSWERED_LATE
    if today > due:
        return Flag.OVERDUE
    if add_working_days(today, AT_RISK_WORKING_DAYS) >= due:
        return Flag.AT_RISK
    return Flag.ON_TIME
