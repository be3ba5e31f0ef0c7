"""Where a Best Doctors contract stands with its premiums (001 т.27.4, т.40–41; 003 т.24 в),
т.36–37): the dates the daily sweep (``actions.lapse``) and the letters read, the same the claims
engine applies to Best Doctors claims (``claims.abroad.contract_facts``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zdrave.claims.abroad import abroad_terms, contract_facts
from zdrave.contracts.models import Contract
from zdrave.engine.calendar import add_months

BEST_DOCTORS = "best-doctors"
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Lapse:
    """Where a Best Doctors contract stands with its premiums on a day."""

    due: dt.date  # the first instalment not paid within the 30 days
    paid_until: dt.date  # the day before it
    stops: dt.date  # the first day without cover: 00:00 of due + 31 days (001 т.27.4)
    last_day_to_pay: dt.date  # paid_until + 2 months (001 т.41)
    reinstated_on: dt.date | None  # every missed premium paid on that day, in time (001 т.40)
    lapse_clause: str
    reinstatement_clause: str
    final_clause: str

    @property
    def ends_on(self) -> dt.date:
        """00:00 of the day the contract ends for good when not reinstated (001 т.41)."""
        return self.last_day_to_pay + DAY


def lapse_of(contract: Contract) -> Lapse | None:
    """The lapse of ``contract``'s premiums, None while every instalment was paid within its 30
    days (or a contract without a schedule)."""
    facts = contract_facts(contract)
    if facts.paid_until is None:
        return None
    rules = abroad_terms(contract).premium
    due = facts.paid_until + DAY
    last = add_months(facts.paid_until, rules.reinstatement_months)
    reinstated = (
        facts.reinstated_on if facts.reinstated_on and facts.reinstated_on <= last else None
    )
    return Lapse(
        due=due,
        paid_until=facts.paid_until,
        stops=due + dt.timedelta(days=rules.lapse_days_after_due + 1),
        last_day_to_pay=last,
        reinstated_on=reinstated,
        lapse_clause=rules.lapse_clause,
        reinstatement_clause=rules.reinstatement_clause,
        final_clause=rules.final_termination_clause,
    )
