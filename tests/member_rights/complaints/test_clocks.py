"""The complaint's deadline rule is read from the contract's product terms: Best Doctors 2019
(001 т.79) and 2015 (003 т.77) have one; the health terms (004) and a complaint about no
contract have none (one month applies, engine/complaints.py)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from zdrave.member_rights.complaints.clocks import deadline_for, rule_for


@pytest.mark.parametrize(
    ("product", "version", "clause", "due"),
    [
        pytest.param(
            "best-doctors",
            dt.date(2019, 2, 1),
            "001 т.79",
            dt.date(2026, 12, 2),
            id="001-t79-best-doctors-2019-one-month",
        ),
        pytest.param(
            "best-doctors",
            dt.date(2015, 10, 1),
            "003 т.77",
            dt.date(2026, 12, 14),
            id="003-t77-best-doctors-2015-30-working-days",
        ),
        pytest.param(
            "health",
            dt.date(2022, 11, 1),
            "004 Чл.31 т.2",
            dt.date(2026, 12, 2),
            id="004-silent-one-month",
        ),
    ],
)
def test_the_deadline_follows_the_contracts_terms(product, version, clause, due):
    contract = SimpleNamespace(product_code=product, product_version=version)
    deadline = deadline_for(contract, dt.date(2026, 11, 2))
    assert (deadline.clause, deadline.due) == (clause, due)
    assert deadline.from_terms is (product == "best-doctors")


def test_a_complaint_about_no_contract_takes_the_silent_terms_rule():
    assert rule_for(None) is None
    assert deadline_for(None, dt.date(2026, 3, 31)).due == dt.date(2026, 4, 30)
