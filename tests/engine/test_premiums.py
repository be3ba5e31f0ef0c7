"""The premium's money rules (004 Чл.25, Чл.28), without a database: day counts, the 15 days
of arrears, refunds by termination kind and the loss ratio."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zdrave.engine.adjudication.health_contract import Termination
from zdrave.engine.premiums import (
    Instalment,
    allocate,
    arrears_right_from,
    earned_premium,
    loss_ratio,
    overdue,
    periods,
    termination_money,
)

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)  # 365 days
D = Decimal


def quarterly(*paid: dt.date | None) -> list[Instalment]:
    dues = [dt.date(2026, m, 1) for m in (1, 4, 7, 10)]
    paid = paid + (None,) * (4 - len(paid))
    return [Instalment(due, D("300.00"), p) for due, p in zip(dues, paid, strict=True)]


def test_004_chl25_t4_each_instalment_pays_to_the_next_due_date():
    found = periods(START, END, quarterly())
    assert [(p.starts, p.ends, p.days) for p in found] == [
        (dt.date(2026, 1, 1), dt.date(2026, 4, 1), 90),
        (dt.date(2026, 4, 1), dt.date(2026, 7, 1), 91),
        (dt.date(2026, 7, 1), dt.date(2026, 10, 1), 92),
        (dt.date(2026, 10, 1), dt.date(2027, 1, 1), 92),
    ]


@pytest.mark.parametrize(
    ("on", "right"),
    [
        pytest.param(dt.date(2026, 4, 16), False, id="004-chl25-t5-day-15-not-yet"),
        pytest.param(dt.date(2026, 4, 17), True, id="004-chl25-t5-day-16-right-to-act"),
    ],
)
def test_004_chl25_t5_more_than_15_days_overdue(on, right):
    schedule = quarterly(dt.date(2025, 12, 28))
    assert arrears_right_from(dt.date(2026, 4, 1)) == dt.date(2026, 4, 17)
    assert bool(overdue(schedule, on)) is right


def test_004_chl25_t5_paid_before_day_16_is_not_overdue():
    schedule = quarterly(dt.date(2025, 12, 28), dt.date(2026, 4, 16))
    assert overdue(schedule, dt.date(2026, 4, 20)) == []


def test_payment_is_spread_oldest_first_with_the_surplus_left_over():
    assert allocate(D("500.00"), [D("300.00"), D("300.00")]) == ([D("300.00"), D("200.00")], 0)
    assert allocate(D("700.00"), [D("300.00"), D("300.00")]) == (
        [D("300.00"), D("300.00")],
        D("100.00"),
    )


@pytest.mark.parametrize(
    ("kind", "costs", "refund", "to_claim", "kept", "clause"),
    [
        # Paid for Jan–Jun (two instalments, 181 days); effective 1 May: 61 of the second
        # instalment's 91 days unexpired = 300 × 61 / 91 = 201.10.
        pytest.param(
            Termination.MUTUAL, D("20"), D("160.88"), D("0.00"), D("40.22"), "004 Чл.25 т.7",
            id="004-chl25-t7-agreement-unexpired-minus-costs",
        ),
        pytest.param(
            Termination.HIGHER_RISK, D("20"), D("201.10"), D("0.00"), D("0.00"), "004 Чл.28 т.4",
            id="004-chl28-t4-higher-risk-unexpired-part",
        ),
        pytest.param(
            Termination.REPRICING_REFUSED, D("0"), D("201.10"), D("0.00"), D("0.00"),
            "004 Чл.25 т.8", id="004-chl25-t8-repricing-refused-premium-after-termination",
        ),
        pytest.param(
            Termination.DEATH, D("20"), D("0.00"), D("0.00"), D("0.00"), "004 Чл.25 т.10",
            id="004-chl25-t10-death-no-refund",
        ),
        pytest.param(
            Termination.MISREPRESENTATION, D("0"), D("0.00"), D("0.00"), D("0.00"),
            "004 Чл.28 т.3", id="004-chl28-t3-misrepresentation-keeps-premium",
        ),
    ],
)  # fmt: skip
def test_termination_refund_by_kind(kind, costs, refund, to_claim, kept, clause):
    schedule = quarterly(dt.date(2025, 12, 28), dt.date(2026, 4, 1))
    money = termination_money(
        kind,
        start=START,
        end=END,
        schedule=schedule,
        effective_on=dt.date(2026, 5, 1),
        costs_percent=costs,
    )
    assert (money.refund, money.premium_to_claim, money.costs_kept, money.clause) == (
        refund,
        to_claim,
        kept,
        clause,
    )


@pytest.mark.parametrize(
    ("kind", "refund", "to_claim"),
    [
        # Second instalment (1 Apr, 91 days) unpaid; effective 17 April: 16 days carried = 52.75.
        pytest.param(
            Termination.PREMIUM_OVERDUE, D("0.00"), D("52.75"), id="004-chl25-t5-premium-overdue"
        ),
        pytest.param(
            Termination.MISREPRESENTATION, D("0.00"), D("52.75"), id="004-chl28-t3-premium-to-end"
        ),
    ],
)
def test_premium_for_the_time_carried_is_claimed(kind, refund, to_claim):
    schedule = quarterly(dt.date(2025, 12, 28))
    money = termination_money(
        kind, start=START, end=END, schedule=schedule, effective_on=dt.date(2026, 4, 17)
    )
    assert (money.refund, money.premium_to_claim) == (refund, to_claim)


def test_004_chl28_t5_notice_at_period_end_refunds_nothing_when_paid_to_it():
    schedule = [Instalment(START, D("1200.00"), dt.date(2025, 12, 20))]
    money = termination_money(
        Termination.NOTICE,
        start=START,
        end=END,
        schedule=schedule,
        effective_on=END + dt.timedelta(1),
    )
    assert (money.refund, money.clause) == (D("0.00"), "004 Чл.28 т.5")


@pytest.mark.parametrize(
    ("effective", "refund"),
    [
        # A single premium of 365.00 for 365 days: one euro a day, day by day.
        pytest.param(dt.date(2026, 12, 31), D("1.00"), id="004-chl25-t7-last-day-one-day-back"),
        pytest.param(dt.date(2026, 1, 2), D("364.00"), id="004-chl25-t7-second-day"),
        pytest.param(dt.date(2026, 7, 2), D("183.00"), id="004-chl25-t7-pro-rata-183-days"),
    ],
)
def test_004_chl25_t7_pro_rata_day_count(effective, refund):
    schedule = [Instalment(START, D("365.00"), dt.date(2025, 12, 20))]
    money = termination_money(
        Termination.MUTUAL, start=START, end=END, schedule=schedule, effective_on=effective
    )
    assert money.refund == refund


@pytest.mark.parametrize(
    ("on", "earned"),
    [
        pytest.param(dt.date(2025, 12, 31), D("0.00"), id="before-start"),
        pytest.param(dt.date(2026, 1, 1), D("1.00"), id="start-day-counts"),
        pytest.param(dt.date(2026, 12, 31), D("365.00"), id="end-day-whole-year"),
        pytest.param(dt.date(2027, 3, 1), D("365.00"), id="after-end"),
    ],
)
def test_earned_premium_pro_rata(on, earned):
    assert earned_premium(START, END, D("365.00"), on) == earned


def test_earned_premium_stops_at_termination():
    assert earned_premium(START, END, D("365.00"), END, ended=dt.date(2026, 1, 11)) == D("10.00")


@pytest.mark.parametrize(
    ("claims", "earned", "may"),
    [
        pytest.param(D("999.99"), D("1000.00"), False, id="004-chl25-t8-below-100"),
        pytest.param(D("1000.00"), D("1000.00"), True, id="004-chl25-t8-reaches-100"),
    ],
)
def test_004_chl25_t8_loss_ratio_threshold(claims, earned, may):
    assert loss_ratio(claims, earned).insurer_may_propose is may
