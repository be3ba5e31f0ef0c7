"""Issue 15: the pure rules of the claims procedure (004 Чл.26 т.2, Чл.29) and of the
contract's life (004 Чл.24, 25, 27, 28, 30) that the claims and contract work call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zdrave.engine.adjudication.health_claims import (
    NetworkPayment,
    Payee,
    RecoveryGround,
    aid_wear_reason,
    claim_deadlines,
    offset,
    payment_check,
    prescription_reasons,
    recovery_receivable,
)
from zdrave.engine.adjudication.health_contract import (
    Termination,
    card_return_deadline,
    family_join_reasons,
    group_change,
    higher_risk_answer_deadline,
    misrepresentation_deadline,
    notice_termination_date,
    overdue_termination_right,
    preventive_entitlement,
    preventive_schedule,
    repricing,
    settlement,
)
from zdrave.engine.terms.loader import default_products_root, load_catalog

D = dt.date.fromisoformat
HANDLING = load_catalog(default_products_root()).version("health").rules.claim_handling


def codes(reasons) -> list[str]:
    return [r.code for r in reasons]


# ---- 004 Чл.29 т.2: deadlines ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "complete", "request_by", "pay_by", "final_by"),
    [
        pytest.param(
            "2026-10-05",
            "2026-10-05",
            "2026-10-26",
            "2026-10-26",
            "2027-04-05",
            id="004-chl29-t2-plain-weeks",
        ),
        # 3 March (Liberation Day) is a Bulgarian public holiday.
        pytest.param(
            "2026-02-27",
            "2026-02-27",
            "2026-03-23",
            "2026-03-23",
            "2026-08-27",
            id="004-chl29-t2-3-march-holiday-not-counted",
        ),
        # Orthodox Easter 2026: Good Friday 10 April to Easter Monday 13 April.
        pytest.param(
            "2026-04-06",
            "2026-04-08",
            "2026-04-29",
            "2026-05-04",
            "2026-10-06",
            id="004-chl29-t2-orthodox-easter-not-counted",
        ),
        pytest.param(
            "2026-08-31",
            None,
            "2026-09-23",
            None,
            "2027-02-28",
            id="004-chl29-t2-6-sept-moved-to-7-sept-22-sept-and-6-months-to-month-end",
        ),
    ],
)
def test_claim_deadlines_in_bulgarian_working_days(
    received, complete, request_by, pay_by, final_by
):
    found = claim_deadlines(HANDLING, D(received), D(complete) if complete else None)
    assert found.request_documents_by == D(request_by)
    assert found.pay_by == (D(pay_by) if pay_by else None)
    assert found.final_answer_by == D(final_by)


# ---- 004 Чл.26 т.2, Чл.29 т.10: recovery ----------------------------------------------------


def test_004_chl29_t10_each_ground_of_recovery():
    payments = [
        NetworkPayment(D("2026-02-01"), Decimal("300.00")),
        NetworkPayment(D("2026-03-01"), Decimal("300.00")),  # 100.00 above a 500.00 limit
        NetworkPayment(D("2026-04-01"), Decimal("50.00"), excluded=True),
        NetworkPayment(D("2026-05-01"), Decimal("20.00"), owed=False),
        NetworkPayment(D("2026-07-01"), Decimal("40.00")),  # after the cover ended
    ]
    receivable = recovery_receivable(
        payments, Decimal("500.00"), cover_ended=D("2026-07-01"), card_returned=False
    )
    assert receivable.amounts == {
        RecoveryGround.OVER_LIMIT: Decimal("100.00"),
        RecoveryGround.EXCLUDED_RISK: Decimal("50.00"),
        RecoveryGround.NOT_OWED: Decimal("20.00"),
        RecoveryGround.CARD_NOT_RETURNED: Decimal("40.00"),
    }
    assert receivable.total == Decimal("210.00")
    assert {r.clause for r in receivable.reasons} == {
        "004 Чл.29 т.10.2; Чл.26 т.2",
        "004 Чл.29 т.10.3",
        "004 Чл.29 т.10.4",
        "004 Чл.29 т.10.1",
    }


def test_004_chl26_t2_withholding_is_a_right_offered_not_applied():
    receivable = recovery_receivable(
        [NetworkPayment(D("2026-02-01"), Decimal("600.00"))], Decimal("500.00")
    )
    proposal = offset(receivable, Decimal("64.00"))
    assert proposal.insurer_may_withhold
    assert (proposal.withhold, proposal.pay, proposal.still_owed) == (
        Decimal("64.00"),
        Decimal("0.00"),
        Decimal("36.00"),
    )
    assert proposal.clause == "004 Чл.26 т.2"


def test_004_chl26_t2_nothing_to_withhold_within_the_limit():
    receivable = recovery_receivable(
        [NetworkPayment(D("2026-02-01"), Decimal("60.00"))], Decimal("500.00")
    )
    assert receivable.total == Decimal("0.00")
    assert not offset(receivable, Decimal("64.00")).insurer_may_withhold


# ---- 004 Чл.29 т.7–8: payment ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("payee", "kwargs", "allowed", "expected"),
    [
        pytest.param(Payee.INSURED, {}, True, [], id="004-chl29-t7-own-account"),
        pytest.param(
            Payee.INSURED,
            {"account_of_payee": False},
            False,
            ["payee-account-not-own"],
            id="004-chl29-t7-someone-elses-account",
        ),
        pytest.param(
            Payee.INTERMEDIARY,
            {},
            False,
            ["payee-needs-notarised-power"],
            id="004-chl29-t7-intermediary-without-power",
        ),
        pytest.param(
            Payee.INTERMEDIARY,
            {"notarised_power_of_attorney": True},
            True,
            [],
            id="004-chl29-t7-intermediary-with-notarised-power",
        ),
        pytest.param(
            Payee.INSURED,
            {"insured_died": True},
            False,
            ["insured-died-pay-heirs"],
            id="004-chl29-t8-insured-died",
        ),
        pytest.param(
            Payee.HEIRS,
            {"insured_died": True, "heirs_documented": True},
            True,
            [],
            id="004-chl29-t8-heirs-with-documents",
        ),
    ],
)
def test_payment_goes_to_the_right_account(payee, kwargs, allowed, expected):
    check = payment_check(payee, Decimal("64.00"), **kwargs)
    assert check.allowed is allowed
    assert codes(check.reasons) == expected


@pytest.mark.parametrize(
    ("amount", "borne"),
    [
        pytest.param("10.23", True, id="004-chl29-t7-20-leva-is-10.23-eur-fee-borne"),
        pytest.param("10.24", False, id="004-chl29-t7-above-20-leva-insurer-pays-fee"),
    ],
)
def test_bank_fee_for_small_payments(amount, borne):
    check = payment_check(Payee.INSURED, Decimal(amount))
    assert check.bank_fee_borne_by_insured is borne
    assert ("bank-fee-small-payment" in codes(check.reasons)) is borne


# ---- 004 Чл.29 т.2: prescriptions and aids -----------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "by", "expected"),
    [
        pytest.param(
            "2026-03-10", "Д-р Иванова", [], id="004-chl29-t2-prescription-same-day-same-doctor"
        ),
        pytest.param(
            "2026-03-11",
            "Д-р Иванова",
            ["prescription-not-on-examination-day"],
            id="004-chl29-t2-prescription-next-day",
        ),
        pytest.param(
            "2026-03-10",
            "Д-р Петров",
            ["prescription-not-by-examining-doctor"],
            id="004-chl29-t2-prescription-other-doctor",
        ),
    ],
)
def test_prescription_on_the_day_by_the_examining_doctor(issued, by, expected):
    found = prescription_reasons(D("2026-03-10"), "д-р иванова", D(issued), by)
    assert codes(found) == expected


@pytest.mark.parametrize(
    ("bought", "medical", "refused"),
    [
        pytest.param("2026-09-01", False, True, id="004-chl29-t2-aid-within-wear-period"),
        pytest.param("2026-09-01", True, False, id="004-chl29-t2-aid-earlier-for-medical-reasons"),
        pytest.param("2027-03-01", False, True, id="004-chl29-t2-aid-on-corresponding-day"),
        pytest.param("2027-03-02", False, False, id="004-chl29-t2-aid-after-wear-period"),
    ],
)
def test_medical_aid_wear_period(bought, medical, refused):
    reason = aid_wear_reason(D("2026-03-01"), 12, D(bought), medical)
    assert (reason is not None) is refused


# ---- 004 Чл.25, Чл.28: termination ------------------------------------------------------------

YEAR = {"premium_paid": Decimal("365.00"), "paid_from": D("2026-01-01"), "paid_to": D("2027-01-01")}


@pytest.mark.parametrize(
    ("kind", "extra", "refund", "keep", "claim", "clause"),
    [
        pytest.param(
            Termination.MUTUAL,
            {"costs_percent": Decimal(20)},
            "160.00",
            False,
            "0.00",
            "004 Чл.25 т.7",
            id="004-chl25-t7-mutual-less-costs",
        ),
        pytest.param(
            Termination.REPRICING_REFUSED,
            {},
            "200.00",
            False,
            "0.00",
            "004 Чл.25 т.8",
            id="004-chl25-t8-refund-after-termination",
        ),
        pytest.param(
            Termination.DEATH,
            {},
            "0.00",
            True,
            "0.00",
            "004 Чл.25 т.10",
            id="004-chl25-t10-death-no-refund",
        ),
        pytest.param(
            Termination.MISREPRESENTATION,
            {"premium_due_until_effective": Decimal("15.00")},
            "0.00",
            True,
            "15.00",
            "004 Чл.28 т.3",
            id="004-chl28-t3-misrepresentation-keeps-premium",
        ),
        pytest.param(
            Termination.HIGHER_RISK,
            {},
            "200.00",
            False,
            "0.00",
            "004 Чл.28 т.4",
            id="004-chl28-t4-unexpired-part-refunded",
        ),
    ],
)
def test_refunds_on_termination(kind, extra, refund, keep, claim, clause):
    # Effective 2026-06-15: 200 of 365 days are unexpired.
    result = settlement(kind, effective_on=D("2026-06-15"), **YEAR, **extra)
    assert result.refund == Decimal(refund)
    assert result.insurer_may_keep_premium is keep
    assert result.premium_to_claim == Decimal(claim)
    assert result.clause == clause


@pytest.mark.parametrize(
    ("notice", "effective"),
    [
        pytest.param("2026-11-30", "2027-01-01", id="004-chl28-t5-one-month-before-period-end"),
        pytest.param("2026-12-02", "2028-01-01", id="004-chl28-t5-less-than-a-month-next-period"),
    ],
)
def test_termination_by_notice_takes_effect_at_the_end_of_the_period(notice, effective):
    assert notice_termination_date(D("2026-01-01"), D(notice)) == D(effective)


def test_004_chl28_t3_and_t4_deadlines():
    assert misrepresentation_deadline(D("2026-01-31")) == D("2026-02-28")
    assert higher_risk_answer_deadline(D("2026-03-01")) == D("2026-03-15")


@pytest.mark.parametrize(
    ("claims", "premium", "ratio", "may"),
    [
        pytest.param("999.99", "1000.00", "100.00", True, id="004-chl25-t8-rounds-to-100-percent"),
        pytest.param("990.00", "1000.00", "99.00", False, id="004-chl25-t8-below-100-percent"),
        pytest.param("1500.00", "1000.00", "150.00", True, id="004-chl25-t8-above-100-percent"),
    ],
)
def test_repricing_right_at_a_loss_ratio_of_100_percent(claims, premium, ratio, may):
    result = repricing(Decimal(claims), Decimal(premium))
    assert result.loss_ratio == Decimal(ratio)
    assert result.insurer_may_propose is may
    assert codes(result.reasons) == (["insurer-may-propose-repricing"] if may else [])


def test_004_chl25_t5_overdue_gives_a_right_not_an_effect():
    found = overdue_termination_right([(D("2026-02-01"), None)], D("2026-02-17"))
    assert codes(found) == ["insurer-may-terminate"]
    assert overdue_termination_right([(D("2026-02-01"), None)], D("2026-02-16")) == ()


# ---- 004 Чл.27 т.2, Чл.24 т.4: joining and group changes ------------------------------------


@pytest.mark.parametrize(
    ("joins", "late"),
    [
        pytest.param("2026-02-15", False, id="004-chl27-t2-family-joins-on-corresponding-day"),
        pytest.param("2026-02-16", True, id="004-chl27-t2-family-joins-too-late"),
    ],
)
def test_family_member_joins_within_one_month(joins, late):
    assert bool(family_join_reasons(D("2026-01-15"), D(joins))) is late


@pytest.mark.parametrize(
    ("notified", "covered", "answer_by"),
    [
        pytest.param("2026-03-09", True, "2026-03-18", id="004-chl24-t4-notified-on-day-7"),
        pytest.param("2026-03-10", False, "2026-03-19", id="004-chl24-t4-notified-late"),
        pytest.param(None, False, None, id="004-chl24-t4-not-notified"),
    ],
)
def test_group_changes_notice(notified, covered, answer_by):
    change = group_change(D("2026-03-02"), D(notified) if notified else None)
    assert change.notify_by == D("2026-03-09")
    assert change.covered is covered
    assert change.answer_by == (D(answer_by) if answer_by else None)


# ---- 004 Чл.30 т.3: preventive examinations of groups ------------------------------------------


def test_004_chl30_t3_preventive_schedule_deadlines():
    found = preventive_schedule(
        D("2026-12-31"),
        requested_on=D("2026-07-01"),
        exams_start=D("2026-09-14"),
        list_sent_on=D("2026-09-08"),
    )
    assert found.request_by == D("2026-06-30")
    assert found.list_by == D("2026-09-07")
    assert codes(found.reasons) == ["preventive-request-late", "preventive-list-late"]


@pytest.mark.parametrize(
    ("kwargs", "owed", "expected"),
    [
        pytest.param(
            {"on_list_at_start": False, "attended_main": False, "attended_reserve": False},
            False,
            ["preventive-not-on-list"],
            id="002-I-bel1-not-on-list",
        ),
        pytest.param(
            {"on_list_at_start": True, "attended_main": False, "attended_reserve": False},
            False,
            ["preventive-missed"],
            id="004-chl30-t3-missed-main-and-reserve",
        ),
        pytest.param(
            {
                "on_list_at_start": True,
                "attended_main": False,
                "attended_reserve": False,
                "reserve_offered": False,
            },
            True,
            [],
            id="004-chl30-t3-reserve-date-still-owed",
        ),
    ],
)
def test_preventive_examinations_entitlement(kwargs, owed, expected):
    result, reasons = preventive_entitlement(**kwargs)
    assert result is owed
    assert codes(reasons) == expected


def test_004_chl25_t9_cards_returned_within_3_days_of_termination():
    assert card_return_deadline(D("2026-06-15")) == D("2026-06-18")
