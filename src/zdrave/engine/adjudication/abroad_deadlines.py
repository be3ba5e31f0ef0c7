"""Deadlines of the best-doctors terms that are not about money: the written answer to a
complaint (001 т.79: one month; 003 т.77: 10 to 30 working days) and the prescription of rights
(001 т.83: five years; 003 т.82: three years)."""

from __future__ import annotations

import datetime as dt

from zdrave.engine.calendar import add_months, add_working_days
from zdrave.engine.terms.abroad import AbroadTerms


def complaint_answer_due(terms: AbroadTerms, filed_on: dt.date) -> dt.date:
    """The last day for the written answer; for a working-day range, the long end (the short
    end is the target for simple complaints, the long end the limit)."""
    rule = terms.complaints
    if rule.months is not None:
        return add_months(filed_on, rule.months)
    assert rule.working_days_max is not None
    return add_working_days(filed_on, rule.working_days_max)


def rights_expire_on(terms: AbroadTerms, insured_event: dt.date) -> dt.date:
    """The last day a claim for an insured event on ``insured_event`` may be brought."""
    return add_months(insured_event, 12 * terms.prescription.years)
