"""Rules of single steps on both versions of the terms, each with its clause: the clause every
step shows, post-operative medicines (001 т.53 / 003 т.49), premiums unpaid and reinstated
(001 т.27.4, т.40 / 003 т.36), the contract ending during treatment (001 т.26), the objection's
deadline (001 т.79 / 003 т.77), the queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from treatment_abroad.test_case_path import at, issued_days_ago, opened, to_hospital_chosen
from zdrave.claims.abroad import abroad_terms
from zdrave.contracts import actions as contract_actions
from zdrave.contracts.models import PremiumInstalment
from zdrave.engine.calendar import add_months, add_working_days
from zdrave.treatment_abroad import fetch, steps
from zdrave.treatment_abroad.actions import cases, money, talk
from zdrave.treatment_abroad.models import AbroadCase, CaseStatus, CostStatus
from zdrave.treatment_abroad.states import ACTIVE

S = CaseStatus
TODAY = timezone.localdate


def days_ago(n):
    return TODAY() - dt.timedelta(days=n)


CLAUSES = [
    (S.NOTIFIED, "001 т.69", "003 т.65"),
    (S.FILE_COMPLETE, "001 т.70", "003 т.67"),
    (S.EXPERT_REVIEW, "001 т.71", "003 т.69"),
    (S.PRECERTIFICATE_ISSUED, "001 т.72.1", "003 т.10.4"),
    (S.TRAVEL_BOOKED, "001 VIII-2-В1 т.57", "003 VIII-2-B т.53"),
    (S.ADMITTED, "001 т.30", "003 т.27"),
    (S.SUSPENDED, "001 т.40", "003 т.36"),
    (S.FOLLOW_UP, "001 т.67", ""),
    (S.REASSESSMENT, "001 т.74", ""),
]


@pytest.mark.parametrize(
    ("status", "c001", "c003"), CLAUSES, ids=[f"{s}-{a}" for s, a, _b in CLAUSES]
)
def test_each_step_cites_its_clause_of_each_version(member, version, status, c001, c003):
    terms = abroad_terms(member.contract)
    assert steps.clause_of(terms, status) == (c001 if version == "001" else c003)


def _returned_case(member, manager, *, discharged_days_ago=10, returned_days_ago=5):
    case = to_hospital_chosen(opened(member), manager, member.person.user)
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("5000.00"))
    case = issued_days_ago(case, 30)
    case = money.book_travel(
        case,
        actor=manager,
        travel=Decimal("1"),
        accommodation=Decimal("1"),
        companions=0,
        start=days_ago(25),
        agency="Best Doctors Travel",
        iban="BG18RZBB91550123456789",
    )
    case = cases.admit(case, actor=manager, at=at(20))
    case = cases.discharge(case, actor=manager, at=at(discharged_days_ago))
    return cases.returned(case, actor=manager, on=days_ago(returned_days_ago))


def test_post_operative_medicines_only_before_the_return(member, manager, version):
    """001 т.53 / 003 т.49: for 30 days from the end of the treatment, bought before the
    return."""
    case = _returned_case(member, manager)
    bill = lambda day: money.record_bill(  # noqa: E731
        case,
        actor=manager,
        benefit="treatment-abroad",
        amount=Decimal("120.00"),
        date=days_ago(day),
        paid_to="Apotheke",
        post_operative_medicine=True,
        iban="DE89370400440532013000",
    )
    before = bill(7)
    after = bill(3)
    assert before.payable == Decimal("120.00")
    assert after.status == CostStatus.REFUSED
    clause = "001 т.53" if version == "001" else "003 т.49"
    assert {r["clause"] for r in after.reasons} == {clause}


def _overdue_instalment(member, due_days_ago: int):
    return PremiumInstalment.objects.create(
        contract=member.contract, due=days_ago(due_days_ago), amount=Decimal("300.00")
    )


def test_unpaid_premium_refuses_a_new_case(member, manager, version):
    """001 т.27.4 / т.32: cover stops 30 days after an unpaid instalment's due date."""
    _overdue_instalment(member, 40)
    with pytest.raises(ValidationError) as error:
        opened(member)
    assert "30" in " ".join(error.value.messages)
    assert AbroadCase.objects.count() == 0


def test_reinstated_from_the_day_after_payment(member, manager, version):
    """001 т.40 / 003 т.36: all missed premiums paid, cover from 00:00 the next day — the case
    on hold does not go on the same day."""
    case = opened(member)
    instalment = _overdue_instalment(member, 40)
    case = cases.suspend(case, actor=manager, note="Неплатена вноска.")
    with pytest.raises(ValidationError):
        cases.resume(case, actor=manager)
    contract_actions.record_premium_payment(instalment, TODAY(), instalment.amount, by=None)
    with pytest.raises(ValidationError) as error:
        cases.resume(case, actor=manager)
    clause = "001 т.40" if version == "001" else "003 т.36"
    assert clause in " ".join(error.value.messages)
    case.refresh_from_db()
    assert case.status == S.SUSPENDED
    # 001 т.41 / 003 т.37: the deadline shown is two months from the date premiums were paid to
    terms = abroad_terms(member.contract)
    assert case.next_due == add_months(days_ago(41), terms.premium.reinstatement_months)


def test_contract_ended_during_treatment(member, manager, version):
    """The contract terminated while in hospital: costs from the termination day are refused,
    the case manager records the end and the reservation is released."""
    case = to_hospital_chosen(opened(member), manager, member.person.user)
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("5000.00"))
    case = issued_days_ago(case, 10)
    case = money.book_travel(
        case,
        actor=manager,
        travel=Decimal("1"),
        accommodation=Decimal("1"),
        companions=0,
        start=days_ago(9),
        agency="Best Doctors Travel",
        iban="BG18RZBB91550123456789",
    )
    case = cases.admit(case, actor=manager, at=at(8))
    contract_actions.terminate_contract(member.contract, on=days_ago(2), reason="mutual", by=None)
    row = money.record_bill(
        case,
        actor=manager,
        benefit="treatment-abroad",
        amount=Decimal("900.00"),
        date=TODAY(),
        paid_to="Charité",
        iban="DE89370400440532013000",
    )
    assert row.status == CostStatus.REFUSED
    case = cases.contract_ended(case, actor=manager, note="Прекратен по взаимно съгласие.")
    assert case.status == S.CONTRACT_ENDED
    assert case.reserved == 0
    assert not case.costs.filter(status=CostStatus.RESERVED).exists()


def test_objection_answer_due_per_version(member, manager, version):
    """001 т.79: one month; 003 т.77: 30 working days at most."""
    case = opened(member)
    objection = talk.file_objection(case, actor=member.person.user, text="Не съм съгласна.")
    expected = add_months(TODAY(), 1) if version == "001" else add_working_days(TODAY(), 30)
    assert objection.due == expected


def test_answered_objection_not_upheld_keeps_the_status(member, manager):
    case = cases.refuse(opened(member), actor=manager, reason="Не е покрито.")
    objection = talk.file_objection(case, actor=member.person.user, text="Възразявам.")
    talk.answer_objection(
        objection, actor=manager, answer="Отказът остава (001 т.80).", upheld=False
    )
    case.refresh_from_db()
    assert case.status == S.REFUSED
    with pytest.raises(ValidationError):
        talk.answer_objection(objection, actor=manager, answer="again", upheld=True)


def test_queue_by_deadline_with_overdue_and_filters(member, manager, manager2):
    late = opened(member, idempotency_key="late")
    soon = opened(member, idempotency_key="soon")
    AbroadCase.objects.filter(pk=late.pk).update(next_due=days_ago(3))
    cases.take(soon, actor=manager2)
    assert [c.pk for c in fetch.queue()] == [late.pk, soon.pk]
    assert [c.pk for c in fetch.queue(overdue_only=True)] == [late.pk]
    assert [c.pk for c in fetch.queue(mine_of=manager2)] == [soon.pk]
    assert list(fetch.queue(status=S.REFUSED)) == []


def test_every_active_state_can_be_put_on_hold():
    from zdrave.treatment_abroad.states import By, allowed

    assert all(allowed(s, S.SUSPENDED, By.CASE_MANAGER) for s in ACTIVE)
    assert not allowed(S.CLOSED, S.SUSPENDED, By.CASE_MANAGER)


def test_new_list_after_three_months_releases_the_reservation(member, manager, version):
    """001 т.72.2: treatment not begun within three months of the pre-certificate — new
    versions of the list and the pre-certificate; what was reserved is released."""
    case = to_hospital_chosen(opened(member), manager, member.person.user)
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("5000.00"))
    case = cases.reissue_list(case, actor=manager, note="Трите месеца изтекоха (001 т.72.2).")
    assert case.status == S.OPINION_RECEIVED
    assert case.reserved == 0
    assert case.precertificate_issued is None
    assert case.costs.filter(status=CostStatus.RELEASED).count() == 1
    case = cases.choose(case, actor=member.person.user, choice="AKH Wien")
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("6000.00"))
    assert case.reserved == Decimal("6000.00")
