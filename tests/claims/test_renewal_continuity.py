"""No new waiting period on a renewal without a break: a claim that would fall in the pregnancy
waiting period (004 Чл.19(1): 3 months from the person's cover) is not refused for it when the
person's cover continues the previous contract (``Contract.previous``; 001 т.25 / 003 т.23:
the new policy in force within 15 days of the old one's expiry), through
``contracts.continuity`` → ``claims.fetch.case_for`` (``renewal_of_previous``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from contracts.factories import make_person, person_holder
from zdrave.claims.actions.decide import adjudicate_claim
from zdrave.claims.fetch import case_for
from zdrave.claims.models import Claim, ClaimLine
from zdrave.contracts import actions
from zdrave.contracts.continuity import continues_previous
from zdrave.contracts.models import ContractType, MemberRole
from zdrave.engine.terms.loader import default_products_root, load_catalog

CATALOG = load_catalog(default_products_root())
PREGNANCY = "2.12.1.1"  # 002 II.12: pregnancy care, 3-month waiting period (004 Чл.19(1))
DOCS = ["claim-form", "ambulatory-sheet", "invoice", "fiscal-receipt", "pregnancy-sheet"]
OLD_START, OLD_END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def _contract(person, holder, number, start, end, previous=None, *, paid_on=None):
    contract = actions.create_contract(
        actor=None,
        number=number,
        type=ContractType.INDIVIDUAL,
        holder=holder,
        product_code="health",
        product_version=dt.date(2022, 11, 1),
        start=start,
        end=end,
        previous=previous,
    )
    member = actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
    actions.add_cover(
        contract, actor=None, product_code="health", package=2, option="full", clause="Б1"
    )
    if paid_on is not None:
        (first,) = actions.schedule_premium(contract, [(start, Decimal("600.00"))], by=None)
        actions.record_premium_payment(first, paid_on, Decimal("600.00"), by=None)
    actions.put_in_force(contract, actor=None)
    return member


def renewed(new_start: dt.date, *, previous=True, paid_on=None):
    """A woman insured for 2025, then on a contract from ``new_start`` that renews it (or not)."""
    person = make_person("Ана", "Костова", dt.date(1990, 5, 5), female=True)
    holder = person_holder(person, None)
    old = _contract(person, holder, f"OLD-{person.pk}", OLD_START, OLD_END)
    return _contract(
        person,
        holder,
        f"NEW-{person.pk}",
        new_start,
        new_start + dt.timedelta(days=364),
        old.contract if previous else None,
        paid_on=paid_on,
    )


def pregnancy_claim(member, day):
    found = Claim.objects.create(
        contract=member.contract,
        member=member,
        form="reimbursement",
        submitted=day + dt.timedelta(days=5),
        diagnosis="Z34.0",
        documents=DOCS,
        circumstances=[],
    )
    ClaimLine.objects.create(
        claim=found, member=member, index=0, service=PREGNANCY, date=day, amount=Decimal("60.00")
    )
    adjudicate_claim(found.pk, catalog=CATALOG)
    return found.lines.get()


def codes(line):
    return {r["code"] for r in line.reasons}


def test_001_t25_renewed_person_waits_no_new_pregnancy_waiting_period(db):
    member = renewed(dt.date(2026, 1, 1))
    assert case_for(Claim(member=member, contract=member.contract)).contract.renewal_of_previous
    line = pregnancy_claim(member, dt.date(2026, 2, 1))
    assert "waiting-period" not in codes(line)
    assert line.payable == Decimal("48.00")  # 60 less the 20 % co-payment of clause Б1


def test_004_chl19_1_same_claim_without_renewal_falls_in_the_waiting_period(db):
    member = renewed(dt.date(2026, 1, 1), previous=False)
    line = pregnancy_claim(member, dt.date(2026, 2, 1))
    assert "waiting-period" in codes(line)
    assert line.payable == Decimal("0.00")


@pytest.mark.parametrize(
    ("start", "continuous"),
    [
        pytest.param(dt.date(2026, 1, 1), True, id="001-t25-next-day"),
        # The old contract expires at 00:00 of 1 January; 15 days from then is 16 January.
        pytest.param(dt.date(2026, 1, 16), True, id="001-t25-15-days-after-expiry"),
        pytest.param(dt.date(2026, 1, 17), False, id="001-t25-16-days-after-expiry"),
    ],
)
def test_001_t25_renewal_continues_cover_within_15_days(db, start, continuous):
    assert continues_previous(renewed(start)) is continuous


@pytest.mark.parametrize(
    ("paid_on", "continuous"),
    [
        # 004 Чл.24 т.3: paid after the start, cover begins the day after the payment.
        pytest.param(dt.date(2026, 1, 15), True, id="004-chl24-t3-paid-15-jan-cover-from-16-jan"),
        pytest.param(dt.date(2026, 1, 16), False, id="004-chl24-t3-paid-16-jan-cover-from-17-jan"),
    ],
)
def test_001_t25_first_instalment_paid_late_breaks_cover(db, paid_on, continuous):
    assert continues_previous(renewed(dt.date(2026, 1, 1), paid_on=paid_on)) is continuous


def test_001_t25_person_removed_before_the_end_is_not_continuous(db):
    member = renewed(dt.date(2026, 1, 1))
    old = member.contract.previous.members.get()
    old.covered_until = dt.date(2025, 11, 30)
    old.save()
    assert continues_previous(member) is False
