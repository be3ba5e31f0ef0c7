"""Storing engine decisions on claims: the ORM path the benchmark times as its baseline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from zdrave.claims.actions.decide import adjudicate_claim
from zdrave.claims.fetch import history_for
from zdrave.claims.models import Claim, ClaimLine
from zdrave.contracts.models import Contract, ContractMember, Cover, InsuredPerson, PolicyHolder
from zdrave.engine.terms.loader import load_catalog

CATALOG = load_catalog(Path(__file__).resolve().parents[1] / "engine" / "fixtures" / "products")
DOCS = ["claim-form", "ambulatory-sheet", "test-results", "invoice", "fiscal-receipt"]


@pytest.fixture
def member(db):
    person = InsuredPerson.objects.create(
        first_name="Мария",
        last_name="Иванова",
        id_kind="passport",
        id_number="X1",
        birth_date=dt.date(1985, 3, 2),
        sex="female",
    )
    holder = PolicyHolder.objects.create(
        kind="person", name="Мария Иванова", identifier="1", person=person
    )
    contract = Contract.objects.create(
        number="Z-1",
        type="individual",
        holder=holder,
        product_code="health",
        product_version=dt.date(2022, 11, 1),
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        status="in_force",
    )
    member = ContractMember.objects.create(
        contract=contract, person=person, role="holder", covered_from=dt.date(2026, 1, 1)
    )
    Cover.objects.create(
        contract=contract,
        member=member,
        product_code="health",
        product_version=dt.date(2022, 11, 1),
        package=2,
        option="full",
        clause="Б1",
    )
    return member


def submit(member, service: str, day: dt.date, amount: str) -> Claim:
    claim = Claim.objects.create(
        contract=member.contract,
        member=member,
        form="reimbursement",
        submitted=day + dt.timedelta(days=5),
        diagnosis="M54.5",
        documents=DOCS,
    )
    ClaimLine.objects.create(
        claim=claim, member=member, index=0, service=service, date=day, amount=Decimal(amount)
    )
    return claim


def test_decision_is_stored_on_the_claim_and_its_lines_002_vii(member):
    claim = submit(member, "2.8.e", dt.date(2026, 3, 10), "150.00")
    adjudicate_claim(claim.pk, catalog=CATALOG)
    claim.refresh_from_db()
    line = claim.lines.get()
    assert (claim.outcome, claim.payable) == ("approved", Decimal("120.00"))
    assert (line.outcome, line.eligible, line.copay, line.payable, line.paid_quantity) == (
        "approved",
        Decimal("150.00"),
        Decimal("30.00"),
        Decimal("120.00"),
        1,
    )
    assert [r["code"] for r in line.reasons] == ["copayment"]


def test_usage_comes_from_decided_lines_002_ii_8_mri_once_a_year(member):
    first = submit(member, "2.8.e", dt.date(2026, 3, 10), "150.00")
    adjudicate_claim(first.pk, catalog=CATALOG)
    second = submit(member, "2.8.e", dt.date(2026, 6, 1), "150.00")
    adjudicate_claim(second.pk, catalog=CATALOG)
    second.refresh_from_db()
    assert (second.outcome, second.payable) == ("rejected", Decimal("0.00"))
    assert [h.service for h in history_for(member.pk)] == ["2.8.e"]


def test_deciding_a_claim_again_gives_the_same_result(member):
    claim = submit(member, "2.8.e", dt.date(2026, 3, 10), "150.00")
    first = adjudicate_claim(claim.pk, catalog=CATALOG)
    again = adjudicate_claim(claim.pk, catalog=CATALOG)
    assert first.to_json() == again.to_json()


@pytest.mark.parametrize(
    ("day", "outcome"),
    [
        pytest.param(dt.date(2026, 12, 31), "approved", id="004-chl24-t3-last-day-of-cover-paid"),
        pytest.param(dt.date(2027, 1, 1), "rejected", id="004-chl24-t3-day-after-the-last-refused"),
    ],
)
def test_the_contracts_last_day_of_cover_is_paid_004_chl24_t3(member, day, outcome):
    """``Contract.end`` is the last day of cover; the engine takes the day at 00:00 of which
    the insurance ends (issue 15), so the read adds a day."""
    claim = submit(member, "2.8.e", day, "150.00")
    adjudicate_claim(claim.pk, catalog=CATALOG)
    claim.refresh_from_db()
    assert claim.outcome == outcome
