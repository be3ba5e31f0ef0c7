"""The whole path of a case through its actions, on both versions of the terms (001 = 2019,
003 = 2015), and the rules of each step with their clauses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contracts.factories import make_user
from treatment_abroad.conftest import best_doctors_member, scan
from zdrave.base.audit.models import AuditEvent
from zdrave.claims.models import Claim, ClaimStatus, Payment
from zdrave.treatment_abroad.actions import cases, money, talk
from zdrave.treatment_abroad.models import AbroadCase, CaseCost, CaseStatus, CostStatus
from zdrave.treatment_abroad.steps import next_due

S = CaseStatus
IBAN = "BG80BNBG96611020345678"


def opened(member, actor=None, **fields):
    data = {"condition": "cancer", "diagnosis": "C50.4", "treating_doctor": "Д-р Иванова"}
    data.update(fields)
    return cases.open_case(actor=actor or member.person.user, member=member, **data)


def to_hospital_chosen(case, manager, member_user):
    cases.file_complete(case, actor=manager)
    cases.send_to_experts(case, actor=manager)
    cases.record_opinion(
        case,
        actor=manager,
        opinion="Операция и химиотерапия.",
        hospitals=["Charité Berlin", "AKH Wien"],
    )
    return cases.choose(case, actor=member_user, choice="Charité Berlin")


def issued_days_ago(case, days: int):
    """Time passes: the pre-certificate (and its reservation) were issued ``days`` ago."""
    day = timezone.localdate() - dt.timedelta(days=days)
    AbroadCase.objects.filter(pk=case.pk).update(precertificate_issued=day)
    CaseCost.objects.filter(case=case, status=CostStatus.RESERVED).update(date=day)
    case.refresh_from_db()
    return case


def at(days_back: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_back)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_opening_gives_number_owner_deadline_and_email(member, manager, version):
    case = opened(member, files=[scan()])
    assert case.number.startswith("TA-")
    assert case.owner == manager
    assert case.status == S.NOTIFIED
    assert case.next_due > case.opened
    assert case.documents.count() == 1
    assert [m.subject for m in mail.outbox if case.number in m.subject]
    assert AuditEvent.objects.filter(verb="abroad_case_opened").count() == 1


def test_same_form_twice_opens_one_case(member, manager):
    first = opened(member, idempotency_key="k1")
    second = opened(member, idempotency_key="k1")
    assert first.pk == second.pk
    assert AbroadCase.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        pytest.param(
            {"diagnosis": "I10"}, "diagnosis", "001 т.42", id="001-t42-003-t38-diagnosis-not-cancer"
        ),
        pytest.param({"condition": "flu"}, "condition", "т.6", id="001-t6-condition-not-in-list"),
        pytest.param({"diagnosis": "XYZ"}, "diagnosis", "C50.4", id="bad-icd10-code"),
    ],
)
def test_diagnosis_outside_the_list_is_explained(member, manager, version, fields, field, words):
    with pytest.raises(ValidationError) as error:
        opened(member, **fields)
    text = " ".join(error.value.message_dict[field])
    expected = words.replace("001 т.42", "001 т.42" if version == "001" else "003 т.38")
    assert expected in text
    assert AbroadCase.objects.count() == 0


def test_contract_in_waiting_period_is_refused_with_reason(db, manager, version):
    """001 т.21.1.1 / 003 т.19: six months' waiting period for an individual contract."""
    member = best_doctors_member("nova", version, started_days_ago=30)
    with pytest.raises(ValidationError) as error:
        opened(member)
    assert "т." in " ".join(error.value.messages)
    assert AbroadCase.objects.count() == 0


def test_stranger_may_not_open_for_someone(member, manager):
    stranger = make_user("stranger")
    with pytest.raises(PermissionDenied):
        opened(member, actor=stranger)


def test_whole_path_to_the_statement(member, manager, version):
    user = member.person.user
    case = opened(member)
    case = to_hospital_chosen(case, manager, user)
    assert case.status == S.HOSPITAL_CHOSEN
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("40000.00"))
    assert case.status == S.PRECERTIFICATE_ISSUED
    assert case.reserved == Decimal("40000.00")
    case = issued_days_ago(case, 20)
    case = money.book_travel(
        case,
        actor=manager,
        travel=Decimal("900.00"),
        accommodation=Decimal("1400.00"),
        companions=1,
        start=timezone.localdate() - dt.timedelta(days=12),
        agency="Best Doctors Travel",
        iban="BG18RZBB91550123456789",
    )
    assert case.status == S.TRAVEL_BOOKED
    case = cases.admit(case, actor=manager, at=at(10, 9))
    case = cases.discharge(case, actor=manager, at=at(3, 8))  # 6 full days and 23 hours
    assert case.full_days == 6
    bill = money.record_bill(
        case,
        actor=manager,
        benefit="treatment-abroad",
        amount=Decimal("35000.00"),
        date=timezone.localdate() - dt.timedelta(days=3),
        paid_to="Charité Berlin",
        iban="DE89370400440532013000",
    )
    assert bill.payable == Decimal("35000.00")
    case.refresh_from_db()
    assert case.reserved == Decimal("5000.00")
    case = cases.returned(case, actor=manager, on=timezone.localdate() - dt.timedelta(days=2))
    row = money.request_daily_allowance(case, actor=user, iban=IBAN, idempotency_key="d1")
    # 001 т.30 / 003 т.27: EUR 100 per full 24 hours, paid at the end through a claim.
    assert row.payable == Decimal("600.00")
    claim = Claim.objects.get(pk=row.claim_id)
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    assert Payment.objects.get(claim=claim).amount == Decimal("600.00")
    paid = sum(
        c.payable for c in CaseCost.objects.filter(case=case, status__in=("paid", "claimed"))
    )
    assert paid == Decimal("35000.00") + Decimal("900.00") + Decimal("1400.00") + Decimal("600.00")
    # Closed: what the pre-certificate still held back is free again (001 т.28 / 003 т.25).
    case = cases.close(case, actor=manager)
    assert case.reserved == 0
    assert not CaseCost.objects.filter(case=case, status=CostStatus.RESERVED).exists()


def test_second_daily_allowance_request_is_refused(member, manager):
    user = member.person.user
    case = to_hospital_chosen(opened(member), manager, user)
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("1000.00"))
    case = issued_days_ago(case, 10)
    case = money.book_travel(
        case,
        actor=manager,
        travel=Decimal("1"),
        accommodation=Decimal("1"),
        companions=0,
        start=timezone.localdate() - dt.timedelta(days=5),
        agency="Best Doctors Travel",
        iban="BG18RZBB91550123456789",
    )
    case = cases.admit(case, actor=manager, at=at(4))
    case = cases.discharge(case, actor=manager, at=at(1, 11))
    money.request_daily_allowance(case, actor=user, iban=IBAN)
    with pytest.raises(ValidationError):
        money.request_daily_allowance(case, actor=user, iban=IBAN)
    # The travel agency's claim and one daily allowance claim.
    assert Claim.objects.filter(payee="insured").count() == 1


def test_relatives_own_costs_are_excluded(member, manager, version):
    """001 т.10.13–10.14 / 003 т.10.14: a cost the insured or a relative arranged themselves."""
    user = member.person.user
    case = to_hospital_chosen(opened(member), manager, user)
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("1000.00"))
    row = money.record_bill(
        case,
        actor=manager,
        benefit="accommodation",
        amount=Decimal("300.00"),
        date=timezone.localdate(),
        paid_to="Hotel",
        by_member_or_relative=True,
        iban="DE89370400440532013000",
    )
    assert row.status == CostStatus.REFUSED
    assert row.payable == 0
    assert any(r["clause"].startswith(version) for r in row.reasons)


def test_companions_per_terms(db, manager, version):
    """001 т.57/59: two companions for a minor; 003 т.53/55: one."""
    minor = best_doctors_member(
        "kid", version, birth=timezone.localdate().replace(year=timezone.localdate().year - 10)
    )
    case = opened(minor, actor=manager)
    case = to_hospital_chosen(case, manager, minor.person.user)
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("1000.00"))

    def book(n):
        return money.book_travel(
            case,
            actor=manager,
            travel=Decimal("10"),  # noqa: E731
            accommodation=Decimal("10"),
            companions=n,
            start=timezone.localdate(),
            agency="Best Doctors Travel",
            iban="BG18RZBB91550123456789",
        )

    if version == "001":
        assert book(2).status == S.TRAVEL_BOOKED
    else:
        with pytest.raises(ValidationError):
            book(2)
        assert book(1).status == S.TRAVEL_BOOKED


def test_precertificate_limit_used_up(member, manager, version):
    """001 т.28 / 003 т.25: EUR 1 000 000 a year; nothing left, the case moves to limit used up."""
    user = member.person.user
    first = to_hospital_chosen(opened(member, idempotency_key="a"), manager, user)
    money.issue_precertificate(first, actor=manager, amount=Decimal("1000000.00"))
    second = to_hospital_chosen(opened(member, idempotency_key="b"), manager, user)
    second = money.issue_precertificate(second, actor=manager, amount=Decimal("5000.00"))
    assert second.status == S.LIMIT_EXHAUSTED


def test_precertificate_is_issued_once(member, manager, manager2):
    case = to_hospital_chosen(opened(member), manager, member.person.user)
    money.issue_precertificate(case, actor=manager, amount=Decimal("1000.00"))
    with pytest.raises(ValidationError):
        money.issue_precertificate(case, actor=manager2, amount=Decimal("1000.00"))
    assert CaseCost.objects.filter(status=CostStatus.RESERVED).count() == 1


def test_deadlines_from_the_terms(member, manager, version):
    """001 т.72.1: the list of hospitals valid three months; 003 sets none (service target)."""
    case = to_hospital_chosen(opened(member), manager, member.person.user)
    case.refresh_from_db()
    case.status = S.OPINION_RECEIVED
    due = next_due(
        case,
        __import__("zdrave.claims.abroad", fromlist=["x"]).abroad_terms(member.contract),
        case.opinion_on,
    )
    months = (due - case.opinion_on).days
    if version == "001":
        assert 89 <= months <= 92
    else:
        assert months < 40


def test_follow_up_and_reassessment_only_in_2019(member, manager, version):
    """001 т.66–67 follow-up, 001 т.74 reassessment; 003 has neither."""
    user = member.person.user
    case = to_hospital_chosen(opened(member), manager, user)
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("1000.00"))
    case = money.book_travel(
        case,
        actor=manager,
        travel=Decimal("1"),
        accommodation=Decimal("1"),
        companions=0,
        start=timezone.localdate() - dt.timedelta(days=5),
        agency="Best Doctors Travel",
        iban="BG18RZBB91550123456789",
    )
    case = cases.admit(case, actor=manager, at=at(4))
    case = cases.discharge(case, actor=manager, at=at(2))
    case = cases.returned(case, actor=manager, on=timezone.localdate())
    if version == "001":
        case = cases.request_follow_up(case, actor=user)
        assert case.status == S.FOLLOW_UP
        case = cases.reassess(case, actor=user)
        assert case.status == S.REASSESSMENT
    else:
        with pytest.raises(ValidationError):
            cases.request_follow_up(case, actor=user)
        with pytest.raises(ValidationError):
            cases.reassess(case, actor=user)
        case.refresh_from_db()
        assert case.status == S.RETURNED


def test_member_declines_and_chooses_bulgaria(member, manager):
    user = member.person.user
    case = opened(member)
    cases.file_complete(case, actor=manager)
    cases.send_to_experts(case, actor=manager)
    case = cases.record_opinion(case, actor=manager, opinion="x", hospitals=["A"])
    with pytest.raises(ValidationError):
        cases.choose(case, actor=user, choice="Not on the list")
    case = cases.choose(case, actor=user, choice="bulgaria")
    assert case.status == S.TREATED_IN_BULGARIA
    other = opened(member, idempotency_key="z")
    assert cases.decline(other, actor=user).status == S.DECLINED


def test_objection_numbered_and_due_per_terms(member, manager, version):
    """001 т.78–79: incoming number, answer within one month; 003 т.76–77: 10–30 working days.
    Upheld, the case goes back to the experts (001 т.74)."""
    user = member.person.user
    case = opened(member)
    case = cases.refuse(case, actor=manager, reason="Не е покрито (001 т.6).")
    objection = talk.file_objection(case, actor=user, text="Диагнозата е покрита.")
    assert objection.number.startswith("TAO-")
    assert objection.clause == ("001 т.79" if version == "001" else "003 т.77")
    assert objection.due > objection.filed_on
    talk.answer_objection(objection, actor=manager, answer="Преразглеждаме.", upheld=True)
    case.refresh_from_db()
    assert case.status == S.EXPERT_REVIEW


def test_suspended_for_premiums_and_contract_ended(member, manager):
    """001 т.32 / т.40: on hold while unpaid; resumed only when the engine finds cover back."""
    case = opened(member)
    case = cases.suspend(case, actor=manager, note="Вноската не е платена.")
    assert case.status == S.SUSPENDED
    case = cases.resume(case, actor=manager)  # the premium is paid in this fixture
    assert case.status == S.NOTIFIED
    case = cases.contract_ended(case, actor=manager, note="Прекратен (001 т.41).")
    assert case.status == S.CONTRACT_ENDED


def test_messages_both_ways(member, manager):
    case = opened(member)
    talk.post_message(case, actor=member.person.user, body="Кога ще има отговор?")
    talk.post_message(case, actor=manager, body="До 10 работни дни.")
    assert case.messages.count() == 2
    with pytest.raises(PermissionDenied):
        talk.post_message(case, actor=make_user("x"), body="hi")


def test_move_not_in_table_changes_nothing(member, manager):
    case = opened(member)
    with pytest.raises(ValidationError):
        cases.admit(case, actor=manager, at=at(1))
    case.refresh_from_db()
    assert case.status == S.NOTIFIED
    assert case.events.count() == 1


def test_each_step_emails_the_member_what_happens_next(member, manager, version, settings):
    """The member hears of every step by e-mail in plain words: what happened, who acts next,
    by when and under which clause."""
    settings.LANGUAGE_CODE = "bg"
    mail.outbox.clear()
    case = opened(member)
    cases.file_complete(case, actor=manager)
    assert len(mail.outbox) == 2
    last = mail.outbox[-1]
    assert last.to == [member.person.user.email]
    assert case.number in last.subject
    case.refresh_from_db()
    assert case.next_due.strftime("%d.%m.%Y") in last.body
    assert ("001 т.70" if version == "001" else "003 т.67") in last.body
