"""Deadlines of the best-doctors terms that are not about money: the written answer to a
complaint (001 т.79: one month; 003 т.77: 10 to 30 working days) and the prescription of rights
(001 т.83: five years; 003 т.82: three years).

Periods are counted as ЗЗД чл.72 counts them: the day of the event does not count; a period in
months ends on the same date of the last month (or its last day when that month is shorter);
working days are Bulgarian working days (``zdrave.engine.calendar``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zdrave.engine.calendar import add_months, add_working_days
from zdrave.engine.terms.abroad import AbroadTerms


@dataclass(frozen=True, slots=True)
class ComplaintDeadline:
    """When the written answer to a complaint is due, for the complaints workflow to read.

    ``target`` is the short end of a working-day range (003 т.77: 10 working days for a simple
    complaint), ``due`` the last day for any complaint; under 001 т.79 both are one month."""

    filed_on: dt.date
    target: dt.date
    due: dt.date
    clause: str


def complaint_deadline(terms: AbroadTerms, filed_on: dt.date) -> ComplaintDeadline:
    rule = terms.complaints
    if rule.months is not None:
        due = add_months(filed_on, rule.months)
        return ComplaintDeadline(filed_on, due, due, rule.clause)
    assert rule.working_days_max is not None
    due = add_working_days(filed_on, rule.working_days_max)
    target = add_working_days(filed_on, rule.working_days_min or rule.working_days_max)
    return ComplaintDeadline(filed_on, target, due, rule.clause)


def complaint_answer_due(terms: AbroadTerms, filed_on: dt.date) -> dt.date:
    """The last day for the written answer; for a working-day range, the long end (the short
    end is the target for simple complaints, the long end the limit)."""
    return complaint_deadline(terms, filed_on).due


def rights_expire_on(terms: AbroadTerms, insured_event: dt.date) -> dt.date:
    """The last day a claim for an insured event on ``insured_event`` may be brought."""
    return add_months(insured_event, 12 * terms.prescription.years)
