"""A claim whose lines fall on both sides of an annex: each line is decided on what was in force
on its own day of service (004 Чл.27 т.1–2: an annex acts from 00:00 of its date) — special
conditions agreed by annex apply only to the lines on or after the day agreed, and a package the
annex took off refuses the lines after it (004 Чл.24 т.3; Чл.27 т.2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from claims.test_fetch_rules import CATALOG, DOCS, contract_for, reasons
from zdrave.claims.actions.decide import adjudicate_claim
from zdrave.claims.models import Claim, ClaimLine
from zdrave.contracts import actions
from zdrave.contracts.models import Cover

ANNEX = dt.date(2026, 4, 1)


def two_line_claim(member, days, *, services=("2.8.e", "2.8.c"), diagnosis="M54.5"):
    """A reimbursement claim with an MRI (002 II.8) and a functional test (2.8.c) on ``days``,
    decided by the engine."""
    found = Claim.objects.create(
        contract=member.contract,
        member=member,
        form="reimbursement",
        submitted=max(days) + dt.timedelta(days=5),
        diagnosis=diagnosis,
        documents=DOCS,
    )
    for index, (day, service) in enumerate(zip(days, services, strict=True)):
        ClaimLine.objects.create(
            claim=found, member=member, index=index, service=service, date=day,
            amount=Decimal("150.00"),
        )  # fmt: skip
    adjudicate_claim(found.pk, catalog=CATALOG)
    found.refresh_from_db()
    return found, list(found.lines.order_by("index"))


def test_004_chl27_t1_special_exclusion_by_annex_refuses_only_the_lines_after_it(db):
    """An underwriter's exclusion of M50–M54 agreed by annex on 1 April (004 Чл.10, Чл.21(2),
    Чл.27 т.1): the MRI of 20 March is paid, the test of 1 April refused."""
    member = contract_for()
    actions.set_special_conditions(member, agreed_on=ANNEX, excluded_icd10=["M50-M54"], by=None)
    found, (before, after) = two_line_claim(member, [ANNEX - dt.timedelta(days=12), ANNEX])
    assert (before.outcome, before.payable) == ("approved", Decimal("120.00"))
    assert (after.outcome, after.payable) == ("rejected", Decimal("0.00"))
    assert reasons(after) == [("special-condition-excluded", "004 Чл.10; Чл.21(2)")]
    assert found.payable == Decimal("120.00")


def test_004_chl27_t1_special_conditions_agreed_before_the_start_apply_to_every_line(db):
    member = contract_for()
    actions.set_special_conditions(
        member, agreed_on=dt.date(2025, 12, 1), excluded_icd10=["M50-M54"], by=None
    )
    _found, lines = two_line_claim(member, [dt.date(2026, 3, 20), ANNEX])
    assert [line.payable for line in lines] == [Decimal("0.00"), Decimal("0.00")]
    assert all(
        ("special-condition-excluded", "004 Чл.10; Чл.21(2)") in reasons(line) for line in lines
    )


def test_004_chl24_t3_line_after_an_annex_took_the_package_off_is_refused(db):
    """Package 2 ends on 31 March by annex; the line of 1 April has no cover that day."""
    member = contract_for()
    Cover.objects.filter(contract=member.contract, package=2).update(
        valid_until=ANNEX - dt.timedelta(days=1)
    )
    found, (before, after) = two_line_claim(member, [ANNEX - dt.timedelta(days=1), ANNEX])
    assert (before.outcome, before.payable) == ("approved", Decimal("120.00"))
    assert (after.outcome, after.payable) == ("rejected", Decimal("0.00"))
    assert reasons(after) == [("package-not-in-force-on-day", "004 Чл.24 т.3; Чл.27 т.2")]
