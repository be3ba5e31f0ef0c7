"""The engine's contract rules fire in the running platform: database rows written by the
contracts actions → ``claims.fetch.case_for`` → ``claims.actions.adjudicate_claim`` (the engine
decides, the decision is stored on the claim). One test per rule, each citing its clause."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from contracts.factories import END, START, make_person, person_holder
from zdrave.claims.actions.decide import adjudicate_claim
from zdrave.claims.fetch import case_for
from zdrave.claims.models import Claim, ClaimLine
from zdrave.contracts import actions
from zdrave.contracts.models import ContractType, MemberRole, TerminationReason
from zdrave.engine.terms.loader import default_products_root, load_catalog

CATALOG = load_catalog(default_products_root())
DOCS = [
    "claim-form",
    "ambulatory-sheet",
    "imaging-report",
    "discharge-summary",
    "invoice",
    "fiscal-receipt",
]
MRI = "2.8.e"  # 002 II.8: once a year under the Full option
HOSPITAL = "3.1"  # 002 III.1


def contract_for(kind=ContractType.INDIVIDUAL, *, packages=(2,), aggregate_limit=None):
    """A health contract in force for 2026 (Full option, clause Б1: 20 % co-payment on
    reimbursement, 002 VII) with its holder on it; returns the holder's membership."""
    person = make_person("Мария", "Иванова", dt.date(1985, 3, 2), female=True)
    contract = actions.create_contract(
        actor=None,
        number=f"T-{person.pk}",
        type=kind,
        holder=person_holder(person, None),
        product_code="health",
        start=START,
        end=END,
        aggregate_limit=aggregate_limit,
    )
    member = actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
    for package in packages:
        actions.add_cover(
            contract, actor=None, product_code="health", package=package, option="full", clause="Б1"
        )
    actions.put_in_force(contract, actor=None)
    return member


def claim(member, day, *, service=MRI, amount="150.00", diagnosis="M54.5", **line):
    found = Claim.objects.create(
        contract=member.contract,
        member=member,
        form="reimbursement",
        submitted=day + dt.timedelta(days=5),
        diagnosis=diagnosis,
        documents=DOCS,
        circumstances=line.pop("circumstances", []),
    )
    ClaimLine.objects.create(
        claim=found,
        member=member,
        index=0,
        service=service,
        date=day,
        amount=Decimal(amount),
        **line,
    )
    return found


def decide(found):
    decision = adjudicate_claim(found.pk, catalog=CATALOG)
    found.refresh_from_db()
    return found, found.lines.get(), decision


def reasons(line):
    return [(r["code"], r["clause"]) for r in line.reasons]


# ---- 004 Чл.25: the premium schedule ----------------------------------------------------


def quarterly(member, first_paid_on=dt.date(2025, 12, 20)):
    """Four instalments of 250 EUR (004 Чл.25 т.2), the first paid before the start."""
    schedule = actions.schedule_premium(
        member.contract,
        [(dt.date(2026, m, 1), Decimal("250.00")) for m in (1, 4, 7, 10)],
        by=None,
    )
    if first_paid_on is not None:
        actions.record_premium_payment(schedule[0], first_paid_on, Decimal("250.00"), by=None)
    return schedule


def test_004_chl25_t5_t6_instalment_overdue_more_than_15_days_holds_the_claim(db):
    """A service in the gap after an instalment fell more than 15 days overdue: cover goes on
    (the insurer only *may* terminate, 004 Чл.25 т.5), but the unpaid instalments fall due with
    the claim and it is paid once they are (т.6): pending, nothing paid yet."""
    member = contract_for()
    quarterly(member)
    found, line, decision = decide(claim(member, dt.date(2026, 5, 10)))
    assert (found.outcome, found.payable) == ("pending", Decimal("0.00"))
    assert (line.outcome, line.eligible, line.payable) == (
        "pending",
        Decimal("150.00"),
        Decimal("0.00"),
    )
    claim_reasons = {r.code: (r.clause, r.message) for r in decision.reasons}
    assert claim_reasons["premium-overdue"][0] == "004 Чл.25 т.5"
    assert "(due 2026-04-01)" in claim_reasons["premium-overdue"][1]
    # The three instalments not paid by the claim's date (15 May) fall due: 3 × 250 EUR.
    assert claim_reasons["instalments-due"][0] == "004 Чл.25 т.6"
    assert "(750.00 due)" in claim_reasons["instalments-due"][1]


@pytest.mark.parametrize(
    ("day", "flagged"),
    [
        # Claims submitted five days after the service: 15 and 16 days after the 1 April due date.
        pytest.param(dt.date(2026, 4, 11), False, id="004-chl25-t5-15-days-overdue-not-yet"),
        pytest.param(dt.date(2026, 4, 12), True, id="004-chl25-t5-16-days-overdue"),
    ],
)
def test_004_chl25_t5_only_more_than_15_days_overdue_is_flagged(db, day, flagged):
    member = contract_for()
    quarterly(member)
    found, _line, decision = decide(claim(member, day))
    assert found.outcome == "pending"
    codes = [r.code for r in decision.reasons]
    assert ("premium-overdue" in codes) is flagged
    assert "instalments-due" in codes


def test_004_chl25_t6_claim_is_paid_once_the_instalments_are_paid(db):
    member = contract_for()
    schedule = quarterly(member)
    for instalment in schedule[1:]:
        actions.record_premium_payment(instalment, dt.date(2026, 5, 12), Decimal("250.00"), by=None)
    found, line, decision = decide(claim(member, dt.date(2026, 5, 10)))
    assert (found.outcome, found.payable) == ("approved", Decimal("120.00"))
    assert decision.reasons == ()


def test_004_chl25_t3_no_cover_before_the_premium_is_paid(db):
    """Cover starts after the premium (here a single payment) is paid, not before the start
    (004 Чл.24 т.3, Чл.25 т.3): paid on 10 February, a service on 5 February is refused, one on
    11 February is paid."""
    member = contract_for()
    (single,) = actions.schedule_premium(member.contract, [(START, Decimal("960.00"))], by=None)
    actions.record_premium_payment(single, dt.date(2026, 2, 10), Decimal("960.00"), by=None)
    before, before_line, _d = decide(claim(member, dt.date(2026, 2, 5)))
    assert (before.outcome, before.payable) == ("rejected", Decimal("0.00"))
    assert reasons(before_line) == [("premium-unpaid", "004 Чл.25 т.3")]
    after, _line, decision = decide(claim(member, dt.date(2026, 2, 11)))
    assert (after.outcome, after.payable) == ("approved", Decimal("120.00"))
    assert decision.reasons == ()


def test_004_chl25_t3_an_unpaid_premium_never_starts_cover(db):
    member = contract_for()
    actions.schedule_premium(member.contract, [(START, Decimal("960.00"))], by=None)
    found, line, _d = decide(claim(member, dt.date(2026, 6, 1)))
    assert (found.outcome, found.payable) == ("rejected", Decimal("0.00"))
    assert reasons(line) == [("premium-unpaid", "004 Чл.25 т.3")]


# ---- 004 Чл.27 т.2, Чл.29 т.9: termination ------------------------------------------------


@pytest.mark.parametrize(
    ("day", "outcome", "payable"),
    [
        pytest.param(dt.date(2026, 5, 31), "approved", "120.00", id="004-chl27-t2-day-before"),
        pytest.param(dt.date(2026, 6, 1), "rejected", "0.00", id="004-chl29-t9-from-00-00"),
    ],
)
def test_004_chl29_t9_nothing_is_paid_for_events_after_termination(db, day, outcome, payable):
    member = contract_for()
    actions.terminate_contract(
        member.contract, on=dt.date(2026, 6, 1), reason=TerminationReason.MUTUAL, by=None
    )
    found, line, _decision = decide(claim(member, day))
    assert (found.outcome, found.payable) == (outcome, Decimal(payable))
    if outcome == "rejected":
        assert reasons(line) == [("after-termination", "004 Чл.29 т.9")]


@pytest.mark.parametrize(
    ("day", "outcome", "payable"),
    [
        pytest.param(
            dt.date(2026, 5, 31), "approved", "120.00", id="004-chl27-t2-last-day-covered"
        ),
        pytest.param(dt.date(2026, 6, 1), "rejected", "0.00", id="004-chl29-t9-day-after-removal"),
    ],
)
def test_004_chl27_t2_nothing_is_paid_for_a_person_after_removal_by_annex(
    db, day, outcome, payable
):
    """A person removed by annex is covered to the end of their last day (``covered_until``);
    the contract itself goes on."""
    member = contract_for()
    member.covered_until = dt.date(2026, 5, 31)
    member.save(update_fields=["covered_until"])
    found, line, _decision = decide(claim(member, day))
    assert (found.outcome, found.payable) == (outcome, Decimal(payable))
    if outcome == "rejected":
        assert reasons(line) == [("after-termination", "004 Чл.29 т.9")]


# ---- 002 III бел.*, 004 Чл.21(1) т.3: НЗОК rights -------------------------------------------


def test_002_iii_hospital_care_needs_nhif_rights(db):
    member = contract_for(packages=(2, 3))
    with_rights, _line, _d = decide(claim(member, dt.date(2026, 3, 2), service=HOSPITAL))
    assert (with_rights.outcome, with_rights.payable) == ("approved", Decimal("120.00"))

    actions.record_nhif_rights(
        member.person, rights=False, checked_on=dt.date(2026, 3, 20), by=None
    )
    found, line, _decision = decide(claim(member, dt.date(2026, 3, 25), service=HOSPITAL))
    assert (found.outcome, found.payable) == ("rejected", Decimal("0.00"))
    assert reasons(line) == [
        ("no-nhif-rights", "002 III бел.*"),
        ("no-nhif-rights", "004 Чл.21(1) т.3"),
    ]


# ---- 004 Чл.21(1): circumstances of the event -----------------------------------------------


def test_004_chl21_t12_an_injury_in_sport_is_excluded(db):
    member = contract_for()
    found, line, _decision = decide(
        claim(member, dt.date(2026, 3, 2), diagnosis="S83.5", circumstances=["sport"])
    )
    assert (found.outcome, found.payable) == ("rejected", Decimal("0.00"))
    assert reasons(line) == [("excluded-sport", "004 Чл.21(1) т.12")]


# ---- 004 Чл.10, Чл.21(2): special conditions for one person ---------------------------------


def test_004_chl10_special_exclusion_applies_to_that_person_only(db):
    holder = contract_for(ContractType.FAMILY)
    spouse_person = make_person("Петър", "Иванов", dt.date(1983, 7, 9))
    spouse = actions.add_member(holder.contract, spouse_person, MemberRole.SPOUSE, actor=None)
    actions.set_special_conditions(
        spouse, agreed_on=dt.date(2025, 12, 1), excluded_icd10=["M50-M54"], by=None
    )
    excluded, line, _d = decide(claim(spouse, dt.date(2026, 3, 2)))
    assert (excluded.outcome, excluded.payable) == ("rejected", Decimal("0.00"))
    assert reasons(line) == [("special-condition-excluded", "004 Чл.10; Чл.21(2)")]
    paid, _line, _d = decide(claim(holder, dt.date(2026, 3, 2)))
    assert (paid.outcome, paid.payable) == ("approved", Decimal("120.00"))


def test_004_chl26_special_lower_limit_caps_the_payment(db):
    member = contract_for()
    actions.set_special_conditions(
        member, agreed_on=dt.date(2025, 12, 1), limit=Decimal("100.00"), by=None
    )
    found, line, _d = decide(claim(member, dt.date(2026, 3, 2)))
    assert (found.outcome, found.payable) == ("partial", Decimal("100.00"))
    assert ("special-condition-limit", "004 Чл.26 т.1; Чл.10") in reasons(line)


def test_004_chl26_t1_contract_aggregate_limit_caps_the_payment(db):
    member = contract_for(aggregate_limit=Decimal("90.00"))
    found, line, _d = decide(claim(member, dt.date(2026, 3, 2)))
    assert (found.outcome, found.payable) == ("partial", Decimal("90.00"))
    assert ("aggregate-limit", "004 Чл.26 т.1") in reasons(line)


# ---- 004 Чл.29 т.13, Чл.11: another payer first ---------------------------------------------


def test_004_chl29_t13_only_what_the_other_insurer_did_not_pay_is_covered(db):
    member = contract_for()
    found, line, _d = decide(
        claim(member, dt.date(2026, 3, 2), other_insurer_paid=Decimal("100.00"))
    )
    # 150 billed − 100 paid by the earlier insurer = 50 eligible; 20 % co-payment (Б1) → 40.
    assert (found.outcome, found.payable) == ("partial", Decimal("40.00"))
    assert (line.eligible, line.copay, line.payable) == (
        Decimal("50.00"),
        Decimal("10.00"),
        Decimal("40.00"),
    )
    assert ("other-insurer-share", "004 Чл.29 т.13") in reasons(line)


def test_004_chl11_what_nhif_paid_is_not_reimbursed(db):
    member = contract_for()
    found, line, _d = decide(claim(member, dt.date(2026, 3, 2), nhif_paid=Decimal("30.00")))
    assert (found.outcome, found.payable) == ("partial", Decimal("96.00"))
    assert ("nhif-share", "004 Чл.11") in reasons(line)


# ---- 002 II.8: prior usage of a count limit ---------------------------------------------------


def test_002_ii_8_an_earlier_paid_mri_uses_the_yearly_count(db):
    member = contract_for()
    first, _line, _d = decide(claim(member, dt.date(2026, 3, 2)))
    assert (first.outcome, first.payable) == ("approved", Decimal("120.00"))
    second, line, _d = decide(claim(member, dt.date(2026, 6, 2)))
    assert (second.outcome, second.payable) == ("rejected", Decimal("0.00"))
    assert [clause for _code, clause in reasons(line)] == ["002 II.8"]


# ---- the read itself ----------------------------------------------------------------------


def test_case_for_reads_everything_in_six_queries(db, django_assert_num_queries):
    holder = contract_for(ContractType.FAMILY)
    for instalment in quarterly(holder)[1:]:
        actions.record_premium_payment(instalment, dt.date(2026, 1, 5), Decimal("250.00"), by=None)
    actions.set_special_conditions(
        holder,
        agreed_on=dt.date(2025, 12, 1),
        excluded_services=["2.9*"],
        waiting=[{"months": 6, "icd10": ["K80"], "services": []}],
        by=None,
    )
    decide(claim(holder, dt.date(2026, 2, 2)))
    found = claim(holder, dt.date(2026, 3, 2), circumstances=["sport"])
    # Five reads of claims' own, and the guarantee letters held against the limits (preauth).
    with django_assert_num_queries(6):
        case = case_for(found)
    assert case.contract.instalments[0].paid == dt.date(2025, 12, 20)
    assert [i.paid for i in case.contract.instalments[1:]] == [dt.date(2026, 1, 5)] * 3
    assert case.contract.end == dt.date(2027, 1, 1)
    assert case.insured.special.excluded_services == ("2.9*",)
    assert case.insured.special.waiting[0].months == 6
    assert case.insured.sex == "F"
    assert case.claim.circumstances == frozenset({"sport"})
    assert [(h.service, h.paid) for h in case.history] == [(MRI, Decimal("120.00"))]
