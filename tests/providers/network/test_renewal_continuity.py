"""The front desk reads a renewal as the claims path does: a person whose cover continues the
previous contract without a break starts no new waiting period (001 т.25 / 003 т.23, applied
to 004 renewals: docs/decisions.md "Renewal without a break"), so the eligibility answer of a
clinic and the decision on a claim for the same visit agree."""

from __future__ import annotations

import datetime as dt

from claims.test_renewal_continuity import renewed
from zdrave.providers.network import fetch

NEW_START = dt.date(2026, 1, 1)


def test_a_renewed_persons_check_carries_no_new_waiting_period(db):
    member = renewed(NEW_START, paid_on=NEW_START)

    insured = fetch.insured_on(member, day=NEW_START + dt.timedelta(days=30))

    assert insured.case.contract.renewal_of_previous is True


def test_a_new_contract_without_a_previous_one_starts_the_waiting_periods(db):
    member = renewed(NEW_START, previous=False, paid_on=NEW_START)

    insured = fetch.insured_on(member, day=NEW_START + dt.timedelta(days=30))

    assert insured.case.contract.renewal_of_previous is False
