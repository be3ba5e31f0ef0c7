"""Every amount of a case is paid through the claims payment module (issue 13): the hospital's
bill against the pre-certificate (001 т.72.3), travel and stay (001 т.57–60 / 003 т.53–56), the
post-operative medicines (001 т.53 / 003 т.49) and the daily allowance (001 т.30 / 003 т.27)
become Best Doctors claims, decided by the engine, put in a SEPA batch (pain.001.001.09) and
confirmed paid by the bank — and the case's statement shows each step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contracts.factories import make_user
from treatment_abroad.test_case_path import IBAN, at, issued_days_ago, opened, to_hospital_chosen
from zdrave.base.identity.models import Role
from zdrave.claims.actions import bank
from zdrave.claims.actions import decide as claim_decide
from zdrave.claims.actions.account import change_account
from zdrave.claims.actions.intake import ClaimInput, LineInput, submit_claim, withdraw
from zdrave.claims.models import Claim, ClaimStatus, Payee, Payment, PaymentStatus
from zdrave.contracts.models import Contract
from zdrave.treatment_abroad import money as case_money
from zdrave.treatment_abroad.actions import cases, money
from zdrave.treatment_abroad.models import AbroadCase, CaseCost, CostStatus

HOSPITAL_IBAN = "DE89370400440532013000"
AGENCY_IBAN = "BG18RZBB91550123456789"
TODAY = timezone.localdate


def days_ago(n: int) -> dt.date:
    return TODAY() - dt.timedelta(days=n)


@pytest.fixture
def adjusters(db):
    return (
        make_user("adj1", Role.CLAIMS_ADJUSTER, email="adj1@insurer.bg"),
        make_user("adj2", Role.CLAIMS_ADJUSTER, email="adj2@insurer.bg"),
    )


def _in_hospital(member, manager, *, key: str = ""):
    user = member.person.user
    case = to_hospital_chosen(opened(member), manager, user)
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("40000.00"))
    case = issued_days_ago(case, 20)
    case = money.book_travel(
        case,
        actor=manager,
        travel=Decimal("900.00"),
        accommodation=Decimal("1400.00"),
        companions=1,
        start=days_ago(12),
        agency="Best Doctors Travel",
        iban=AGENCY_IBAN,
        idempotency_key=key,
    )
    case = cases.admit(case, actor=manager, at=at(10, 9))
    return cases.discharge(case, actor=manager, at=at(3, 8))  # 6 full days


def _decide_by_adjusters(claim, adjusters):
    """Above the four-eyes threshold the claims module wants two adjusters (docs/decisions.md):
    the case's bills follow the claims rules unchanged."""
    first, second = adjusters
    if claim.status == ClaimStatus.REFERRED_ADJUSTER:
        claim_decide.decide(claim, actor=first)
        claim.refresh_from_db()
    if claim.status == ClaimStatus.AWAITING_APPROVAL:
        claim_decide.approve(claim, actor=second)
        claim.refresh_from_db()
    return claim


def test_every_amount_is_paid_through_a_sepa_batch(member, manager, adjusters, version):
    user = member.person.user
    case = _in_hospital(member, manager)
    bill = money.record_bill(
        case,
        actor=manager,
        benefit="treatment-abroad",
        amount=Decimal("35000.00"),
        date=days_ago(3),
        paid_to="Charité Berlin",
        iban=HOSPITAL_IBAN,
    )
    medicines = money.request_medicines_refund(
        case, actor=user, amount=Decimal("120.00"), purchased=days_ago(3), iban=IBAN, country="DE"
    )
    case = cases.returned(case, actor=manager, on=days_ago(2))
    allowance = money.request_daily_allowance(case, actor=user, iban=IBAN)

    claims = {c.pk: c for c in Claim.objects.filter(member=member)}
    # The hospital and the agency are paid as providers, on their own accounts (001 т.72.3).
    hospital = claims[bill.claim_id]
    assert (hospital.payee, hospital.iban, hospital.payee_name) == (
        Payee.PROVIDER,
        HOSPITAL_IBAN,
        "Charité Berlin",
    )
    agency = Claim.objects.get(member=member, iban=AGENCY_IBAN)
    assert agency.payee == Payee.PROVIDER
    assert [line.benefit for line in agency.lines.order_by("index")] == [
        "travel",
        "accommodation",
    ]
    assert claims[medicines.claim_id].payee == claims[allowance.claim_id].payee == Payee.INSURED
    for claim in claims.values():
        _decide_by_adjusters(claim, adjusters)
    assert set(Claim.objects.filter(member=member).values_list("status", flat=True)) == {
        ClaimStatus.PAYMENT_SCHEDULED
    }

    result = bank.create_batch(actor=adjusters[0], execution_date=bank.first_execution_date())
    assert result.left_out == []
    xml = bytes(result.batch.xml).decode()
    for account in (HOSPITAL_IBAN, AGENCY_IBAN, IBAN):
        assert account in xml
    bank.confirm_batch_paid(result.batch, actor=adjusters[0], on=TODAY())

    statement = case_money.statement(case)
    expected = Decimal("35000.00") + Decimal("900.00") + Decimal("1400.00")
    expected += Decimal("120.00") + Decimal("600.00")
    assert statement.paid == expected
    assert statement.on_its_way == 0
    # What the pre-certificate still holds is released when the case closes (001 т.28).
    assert statement.reserved == Decimal("5000.00")
    payments = Payment.objects.filter(claim__member=member)
    assert {p.status for p in payments} == {PaymentStatus.PAID}
    assert {p.batch_id for p in payments} == {result.batch.pk}
    for line in statement.lines:
        if line.cost.claim_id is None:  # the pre-certificate's reservation: nothing to pay
            assert line.cost.status == CostStatus.RESERVED
            continue
        if line.cost.benefit == "accommodation":
            continue  # paid on the travel line: one claim, one transfer to the agency
        assert [t.batch.message_id for t in line.transfers] == [result.batch.message_id]
        assert line.paid == line.decided or line.cost.benefit == "travel"


def test_the_hospital_bill_uses_the_reservation_and_the_rest_stays_reserved(
    member, manager, version
):
    """001 т.72 / т.28: the pre-certificate reserved 40 000; a bill of 35 000 is sent for
    payment and 5 000 stays reserved until the case closes."""
    case = _in_hospital(member, manager)
    money.record_bill(
        case,
        actor=manager,
        benefit="treatment-abroad",
        amount=Decimal("35000.00"),
        date=days_ago(3),
        paid_to="Charité Berlin",
        iban=HOSPITAL_IBAN,
    )
    case.refresh_from_db()
    assert case.reserved == Decimal("5000.00")
    statement = case_money.statement(case)
    assert statement.reserved == Decimal("5000.00")
    # Until an adjuster decides, the bill still counts against the limit (001 т.28 / 003 т.25).
    bars = case_money.limit_bars(case, TODAY(), {"year": "y", "lifetime": "l", "medicines": "m"})
    assert bars[0].used + bars[0].reserved == Decimal("35000.00") + Decimal("5000.00") + Decimal(
        "2300.00"
    )


def test_a_member_cannot_enter_a_provider_bill(member):
    """001 т.72.3: the provider is paid on the staff's word; a member's form pays the member."""
    with pytest.raises(PermissionDenied):
        submit_claim(
            ClaimInput(
                member=member,
                kind="best_doctors",
                lines=[
                    LineInput(
                        service="treatment-abroad",
                        benefit="treatment-abroad",
                        date=TODAY(),
                        amount=Decimal("900.00"),
                    )
                ],
                iban=HOSPITAL_IBAN,
                payee=Payee.PROVIDER,
                payee_name="Charité Berlin",
                condition="cancer",
                diagnosis="C50.4",
            ),
            actor=member.person.user,
        )
    assert Claim.objects.count() == 0


@pytest.mark.parametrize(
    ("bought", "covered"),
    [(7, True), (3, False)],
    ids=["bought-before-return-covered", "bought-after-return-refused"],
)
def test_post_operative_medicines_refunded_through_a_claim_001_t53_003_t49(
    member, manager, version, bought, covered
):
    """001 т.53 / 003 т.49: prescribed for after the operation, covered 30 days from the end
    of the treatment abroad and only if bought before the return to Bulgaria."""
    user = member.person.user
    case = to_hospital_chosen(opened(member), manager, user)
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("1000.00"))
    case = issued_days_ago(case, 30)
    case = money.book_travel(
        case,
        actor=manager,
        travel=Decimal("1"),
        accommodation=Decimal("1"),
        companions=0,
        start=days_ago(25),
        agency="Best Doctors Travel",
        iban=AGENCY_IBAN,
    )
    case = cases.admit(case, actor=manager, at=at(20))
    case = cases.discharge(case, actor=manager, at=at(10))
    case = cases.returned(case, actor=manager, on=days_ago(5))
    row = money.request_medicines_refund(
        case,
        actor=user,
        amount=Decimal("120.00"),
        purchased=days_ago(bought),
        iban=IBAN,
        country="DE",
        idempotency_key=f"med-{bought}",
    )
    clause = "001 т.53" if version == "001" else "003 т.49"
    if covered:
        claim = Claim.objects.get(pk=row.claim_id)
        assert (row.payable, claim.payable, claim.payee) == (
            Decimal("120.00"),
            Decimal("120.00"),
            Payee.INSURED,
        )
        assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
        assert claim.treatment_ended == days_ago(10)
    else:
        assert row.status == CostStatus.REFUSED
        assert row.claim_id is None
        assert {r["clause"] for r in row.reasons} == {clause}
        assert not Claim.objects.filter(member=member, payee=Payee.INSURED).exists()


def test_post_operative_supply_past_30_days_is_cut(member, manager, version):
    """001 т.53 / 003 т.49: a 60-day supply bought on the day the treatment ended is covered
    for the 30 days (and the day itself) the terms allow."""
    user = member.person.user
    case = _in_hospital(member, manager)
    row = money.request_medicines_refund(
        case,
        actor=user,
        amount=Decimal("600.00"),
        purchased=days_ago(3),
        dose_days=60,
        iban=IBAN,
        country="DE",
    )
    assert Decimal("0") < row.payable < Decimal("600.00")
    assert Claim.objects.get(pk=row.claim_id).payable == row.payable


@pytest.mark.parametrize("action", ["travel", "bill", "medicines"])
def test_the_same_form_twice_pays_once(member, manager, action):
    user = member.person.user
    case = _in_hospital(member, manager, key="travel-key")
    if action == "travel":
        # Booked already with this key: the second submission changes nothing.
        again = money.book_travel(
            case,
            actor=manager,
            travel=Decimal("900.00"),
            accommodation=Decimal("1400.00"),
            companions=1,
            start=days_ago(12),
            agency="Best Doctors Travel",
            iban=AGENCY_IBAN,
            idempotency_key="travel-key",
        )
        assert again.status == case.status
    else:
        for _ in range(2):
            if action == "bill":
                money.record_bill(
                    case,
                    actor=manager,
                    benefit="repatriation",
                    amount=Decimal("800.00"),
                    date=days_ago(2),
                    paid_to="Air Ambulance",
                    iban=HOSPITAL_IBAN,
                    idempotency_key="bill-key",
                )
            else:
                money.request_medicines_refund(
                    case,
                    actor=user,
                    amount=Decimal("80.00"),
                    purchased=days_ago(3),
                    iban=IBAN,
                    idempotency_key="med-key",
                )
    assert Claim.objects.filter(member=member).count() == (1 if action == "travel" else 2)
    assert CaseCost.objects.filter(case=case).exclude(status=CostStatus.RESERVED).count() == (
        2 if action == "travel" else 3
    )


def test_a_bill_names_the_provider_and_a_valid_iban(member, manager):
    case = _in_hospital(member, manager)
    with pytest.raises(Exception) as error:  # noqa: PT011 — ValidationError on "iban"
        money.record_bill(
            case,
            actor=manager,
            benefit="repatriation",
            amount=Decimal("800.00"),
            date=days_ago(2),
            paid_to="Air Ambulance",
            iban="DE00123",
        )
    assert "iban" in error.value.message_dict
    assert not Claim.objects.filter(payee=Payee.PROVIDER, iban__startswith="DE").exists()


def test_contract_not_in_force_refuses_a_case_with_the_reason(member, version):
    """001 т.26 / 003: nothing is covered after the contract ended; the member is told why,
    with the clause of their own version of the terms, and no case or claim is made."""
    Contract.objects.filter(pk=member.contract_id).update(terminated_on=days_ago(5))
    member.contract.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        opened(member)
    text = " ".join(error.value.messages)
    assert f"{version} т." in text
    assert AbroadCase.objects.count() == 0
    assert Claim.objects.count() == 0


def test_the_member_cannot_redirect_or_withdraw_the_hospitals_claim(member, manager):
    """001 т.72.3: the member sees the claim paid for them but cannot change the provider's
    account or withdraw the insurer's bill."""
    case = _in_hospital(member, manager)
    row = money.record_bill(
        case,
        actor=manager,
        benefit="treatment-abroad",
        amount=Decimal("20000.00"),
        date=days_ago(3),
        paid_to="Charité Berlin",
        iban=HOSPITAL_IBAN,
    )
    claim = Claim.objects.get(pk=row.claim_id)
    user = member.person.user
    with pytest.raises(ValidationError) as error:
        change_account(claim, actor=user, iban=IBAN, payee=Payee.INSURED, payee_name="Петя")
    assert "iban" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        withdraw(claim, actor=user)
    claim.refresh_from_db()
    assert (claim.iban, claim.payee, claim.status) == (
        HOSPITAL_IBAN,
        Payee.PROVIDER,
        ClaimStatus.REFERRED_ADJUSTER,
    )
