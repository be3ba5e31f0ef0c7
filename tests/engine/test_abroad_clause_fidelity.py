"""Best Doctors rules corrected or first encoded by the clause review of issue 15 (001 / 003),
against the real product data. Each row starts from the passing cancer claim of
``test_abroad_adjudication`` and changes what the rule needs; ids name the clause.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from engine.test_abroad_adjudication import (
    DAILY_CASH,
    FOLLOW_UP,
    MEDICINES,
    SECOND_OPINION,
    T2015,
    TREATMENT,
    clauses,
    codes,
    decide,
    scenario,
    v2015,
    with_,
)
from zdrave.engine.adjudication.abroad_reasons import EXCLUSION_PREFIX, REASONS
from zdrave.engine.scenario import ScenarioError

# A medicine prescribed abroad for the post-operative treatment (001 т.53): a medical cost of
# the stay abroad, bought abroad after the treatment ended (2026-08-20) and before the return
# home (2026-08-25), for 20 days.
POST_OP = {
    "benefit": "treatment-abroad",
    "post_operative_medicine": True,
    "date": "2026-08-22",
    "purchased": "2026-08-22",
    "amount": "300.00",
    "dose_days": 20,
    "country": "DE",
}
ENDED = {"treatment_ended": "2026-08-20"}
POST_OP_2015 = {
    **POST_OP,
    "date": "2018-08-22",
    "purchased": "2018-08-22",
}

# The first stage of claim c1 already paid: one second opinion and 50 days of hospital cash.
FIRST_STAGE = [
    {"benefit": "second-opinion", "claim_ref": "c1", "date": "2026-05-12", "paid": "1500.00"},
    {
        "benefit": "daily-hospital-cash",
        "claim_ref": "c1",
        "date": "2026-06-10",
        "paid": "5000.00",
        "quantity": 50,
    },
]


def reassessed(*lines: dict[str, Any], second_opinion_required: bool = True) -> dict[str, Any]:
    """Claim c1 after BDU's reassessment of 2027-03-01 (001 т.74): a new precertificate for
    hospital H2, back home on 2027-05-01."""
    return scenario(
        *lines,
        history=FIRST_STAGE,
        claim={
            "reassessments": [
                {
                    "confirmed": "2027-03-01",
                    "precertificate": {"issued": "2027-03-10", "hospital": "H2"},
                    "returned_home": "2027-05-01",
                    "second_opinion_required": second_opinion_required,
                }
            ]
        },
    )


def lapsed(*lines: dict[str, Any], reinstated_on: str | None) -> dict[str, Any]:
    """Premiums paid to 2026-04-14, due 2026-04-15: cover stops after 2026-05-15 (001 т.27.4);
    the two months of т.41 run to 2026-06-14."""
    premium: dict[str, Any] = {"paid_until": "2026-04-14"}
    if reinstated_on:
        premium["reinstated_on"] = reinstated_on
    return scenario(*lines, premium=premium)


# (scenario, line 0 outcome, line 0 payable, a reason code, its clause)
CASES = [
    # ---- item 15: 003 has no "once per claim" ----
    pytest.param(
        v2015(
            with_(SECOND_OPINION, date="2018-05-15"),
            with_(SECOND_OPINION, date="2018-05-20"),
        ),
        "approved",
        "1500.00",
        None,
        None,
        id="003-t65-first-second-opinion-paid",
    ),
    # ---- item 13: 003 т.60.5 refuses a larger dose too ----
    pytest.param(
        v2015(
            with_(MEDICINES, date="2018-09-10", purchased="2018-09-10", dose_days=90),
        ),
        "rejected",
        "0.00",
        "dose-over-two-months",
        "003 т.60.5",
        id="003-t60-5-dose-over-two-months-refused",
    ),
    pytest.param(
        v2015(with_(MEDICINES, date="2018-09-10", purchased="2018-09-10", dose_days=60)),
        "approved",
        "900.00",
        None,
        None,
        id="003-t60-5-dose-of-60-days-paid",
    ),
    # ---- end of the insurance: 24:00 on the end date (001 т.26.1, 003 т.22) ----
    pytest.param(
        v2015(T2015, contract={"end": "2018-06-10"}),
        "approved",
        "85000.00",
        None,
        None,
        id="003-t22-end-date-covered-to-24h",
    ),
    pytest.param(
        v2015(T2015, contract={"end": "2018-06-09"}),
        "rejected",
        "0.00",
        "after-cover-end",
        "003 т.22",
        id="003-t22-day-after-end-not-covered",
    ),
    # ---- reinstatement (001 т.40, т.41; 003 т.36, т.37) ----
    pytest.param(
        lapsed(with_(SECOND_OPINION, date="2026-05-16"), reinstated_on=None),
        "rejected",
        "0.00",
        "premium-unpaid",
        "001 т.27.4",
        id="001-t27-4-lapsed-not-reinstated",
    ),
    pytest.param(
        lapsed(with_(SECOND_OPINION, date="2026-05-21"), reinstated_on="2026-05-20"),
        "approved",
        "1500.00",
        None,
        None,
        id="001-t40-covered-from-day-after-payment",
    ),
    pytest.param(
        lapsed(with_(SECOND_OPINION, date="2026-05-20"), reinstated_on="2026-05-20"),
        "rejected",
        "0.00",
        "before-reinstatement",
        "001 т.40",
        id="001-t40-payment-day-itself-not-covered",
    ),
    pytest.param(
        lapsed(with_(SECOND_OPINION, date="2026-05-16"), reinstated_on="2026-05-20"),
        "rejected",
        "0.00",
        "before-reinstatement",
        "001 т.40",
        id="001-t40-lapse-before-payment-stays-uncovered",
    ),
    pytest.param(
        lapsed(with_(SECOND_OPINION, date="2026-06-16"), reinstated_on="2026-06-15"),
        "rejected",
        "0.00",
        "contract-lapsed",
        "001 т.41",
        id="001-t41-payment-after-two-months-does-not-reinstate",
    ),
    pytest.param(
        lapsed(with_(SECOND_OPINION, date="2026-06-15"), reinstated_on="2026-06-14"),
        "approved",
        "1500.00",
        None,
        None,
        id="001-t41-payment-on-last-day-of-two-months-reinstates",
    ),
    pytest.param(
        v2015(
            T2015,
            contract={
                "premium": {
                    "frequency": "annual",
                    "paid_until": "2018-04-14",
                    "reinstated_on": "2018-06-10",
                }
            },
        ),
        "rejected",
        "0.00",
        "before-reinstatement",
        "003 т.36",
        id="003-t36-covered-only-from-day-after-payment",
    ),
    # ---- post-operative medicines (001 т.53, 003 т.49) ----
    pytest.param(
        scenario(POST_OP, claim=ENDED),
        "approved",
        "300.00",
        None,
        None,
        id="001-t53-post-op-medicine-bought-before-return",
    ),
    pytest.param(
        scenario(with_(POST_OP, dose_days=30), claim=ENDED),
        "partial",
        "290.00",
        "post-operative-medicine-30-days",
        "001 т.53",
        id="001-t53-supply-past-30-days-pro-rata",
    ),
    pytest.param(
        scenario(with_(POST_OP, date="2026-08-26", purchased="2026-08-26"), claim=ENDED),
        "rejected",
        "0.00",
        "post-operative-medicine-after-return",
        "001 т.53",
        id="001-t53-bought-after-return",
    ),
    pytest.param(
        scenario(with_(POST_OP, country="BG"), claim=ENDED),
        "rejected",
        "0.00",
        "post-operative-medicine-after-return",
        "001 т.53",
        id="001-t53-bought-in-bulgaria",
    ),
    pytest.param(
        scenario(
            with_(POST_OP, date="2026-08-05", purchased="2026-08-05"),
            claim={"treatment_ended": "2026-07-01"},
        ),
        "rejected",
        "0.00",
        "post-operative-medicine-30-days",
        "001 т.53",
        id="001-t53-bought-after-the-30-days",
    ),
    pytest.param(
        scenario(with_(POST_OP, dose_days=60)),
        "partial",
        "170.00",
        "post-operative-medicine-30-days",
        "001 т.53",
        id="001-t53-without-end-of-treatment-30-days-from-return",
    ),
    pytest.param(
        v2015(POST_OP_2015, claim={"treatment_ended": "2018-08-20"}),
        "approved",
        "300.00",
        None,
        None,
        id="003-t49-post-op-medicine-bought-before-return",
    ),
    pytest.param(
        v2015(
            with_(POST_OP_2015, date="2018-08-27", purchased="2018-08-27"),
            claim={"treatment_ended": "2018-08-20"},
        ),
        "rejected",
        "0.00",
        "post-operative-medicine-after-return",
        "003 т.49",
        id="003-t49-bought-after-return",
    ),
    # ---- relatives' costs (001 т.10.13, 003 т.10.14) ----
    pytest.param(
        scenario(with_(TREATMENT, circumstances=["incurred-by-insured-or-relatives"])),
        "rejected",
        "0.00",
        "excluded-incurred-by-insured-or-relatives",
        "001 т.10.13",
        id="001-t10-13-costs-incurred-by-relatives",
    ),
    pytest.param(
        scenario(with_(MEDICINES, circumstances=["incurred-by-insured-or-relatives"])),
        "approved",
        "900.00",
        None,
        None,
        id="001-t10-13-medicines-are-expressly-covered",
    ),
    pytest.param(
        v2015(with_(T2015, circumstances=["incurred-by-insured-or-relatives"])),
        "rejected",
        "0.00",
        "excluded-incurred-by-insured-or-relatives",
        "003 т.10.14",
        id="003-t10-14-costs-incurred-by-relatives",
    ),
    # ---- days of hospital cash already paid on the claim (001 т.30) ----
    pytest.param(
        scenario(with_(DAILY_CASH, quantity=10), claim={"daily_cash_days_paid": 55}),
        "partial",
        "500.00",
        "daily-cash-max-days",
        "001 т.30",
        id="001-t30-days-already-paid-count",
    ),
    pytest.param(
        scenario(with_(DAILY_CASH, quantity=10), claim={"daily_cash_days_paid": 60}),
        "rejected",
        "0.00",
        "daily-cash-max-days",
        "001 т.30",
        id="001-t30-sixty-days-already-paid",
    ),
    # ---- a reassessment keeps the claim going (001 т.74) ----
    pytest.param(
        reassessed(with_(SECOND_OPINION, date="2027-03-05")),
        "approved",
        "1500.00",
        None,
        None,
        id="001-t74-new-second-opinion-bdu-required",
    ),
    pytest.param(
        reassessed(with_(SECOND_OPINION, date="2027-03-05"), second_opinion_required=False),
        "rejected",
        "0.00",
        "second-opinion-already-given",
        "001 VIII-2-А",
        id="001-t74-no-new-opinion-unless-bdu-requires-it",
    ),
    pytest.param(
        reassessed(with_(DAILY_CASH, date="2027-03-20", quantity=20)),
        "partial",
        "1000.00",
        "daily-cash-max-days",
        "001 т.30",
        id="001-t74-same-claim-daily-cash-60-days-go-on",
    ),
    pytest.param(
        reassessed(with_(TREATMENT, date="2027-03-15", hospital="H2")),
        "approved",
        "85000.00",
        None,
        None,
        id="001-t74-new-precertificate-governs-new-stage",
    ),
    pytest.param(
        reassessed(with_(TREATMENT, date="2027-03-15", hospital="H1")),
        "rejected",
        "0.00",
        "other-hospital",
        "001 т.10.4",
        id="001-t74-old-hospital-not-in-new-precertificate",
    ),
    pytest.param(
        reassessed(with_(TREATMENT, date="2027-03-05", hospital="H2")),
        "rejected",
        "0.00",
        "before-precertificate",
        "001 т.10.3",
        id="001-t74-before-new-precertificate",
    ),
    pytest.param(
        reassessed(with_(FOLLOW_UP, date="2027-10-01")),
        "approved",
        "4000.00",
        None,
        None,
        id="001-t74-new-180-days-of-follow-up-care",
    ),
    pytest.param(
        reassessed(with_(FOLLOW_UP, date="2027-11-01")),
        "rejected",
        "0.00",
        "follow-up-after-window",
        "001 т.67",
        id="001-t74-t67-follow-up-after-new-180-days",
    ),
]


@pytest.mark.parametrize(("data", "outcome", "payable", "code", "clause"), CASES)
def test_line_decision(
    data: dict[str, Any], outcome: str, payable: str, code: str | None, clause: str | None
) -> None:
    line = decide(data)["lines"][0]

    assert line["outcome"] == outcome
    assert Decimal(line["payable"]) == Decimal(payable)
    if code is not None:
        assert code in codes(line), line["reasons"]
        assert clause in clauses(line), line["reasons"]
    if outcome == "approved":
        assert line["reasons"] == []
    else:
        assert line["reasons"], "a cut or refused line must say why"


def test_003_t65_two_second_opinions_in_one_claim_are_both_paid() -> None:
    decision = decide(
        v2015(with_(SECOND_OPINION, date="2018-05-15"), with_(SECOND_OPINION, date="2018-05-20"))
    )

    assert [line["outcome"] for line in decision["lines"]] == ["approved", "approved"]
    assert decision["payable"] == "3000.00"


def test_003_has_no_reassessment_of_a_claim() -> None:
    data = v2015(T2015, claim={"reassessments": [{"confirmed": "2018-09-01"}]})

    with pytest.raises(ScenarioError, match="001 т.74") as error:
        decide(data)

    assert error.value.field == "claim.reassessments"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param(
            lambda d: d["contract"]["premium"].update(reinstated_on="2025-01-01"),
            "contract.premium.reinstated_on",
            id="001-t40-reinstated-before-paid-until",
        ),
        pytest.param(
            lambda d: d["claim"]["lines"][0].update(benefit="travel"),
            "claim.lines[0].post_operative_medicine",
            id="001-t53-post-op-medicine-on-travel",
        ),
        pytest.param(
            lambda d: d["claim"].update(daily_cash_days_paid=-1),
            "claim.daily_cash_days_paid",
            id="001-t30-negative-days-paid",
        ),
        pytest.param(
            lambda d: d["claim"].update(
                reassessments=[{"confirmed": "2027-05-01"}, {"confirmed": "2027-03-01"}]
            ),
            "claim.reassessments",
            id="001-t74-reassessments-out-of-order",
        ),
        pytest.param(
            lambda d: d["claim"].update(reassessments=[{"precertificate": None}]),
            "claim.reassessments[0].confirmed",
            id="001-t74-reassessment-without-date",
        ),
    ],
)
def test_malformed_new_fields_name_the_field(change: Any, field: str) -> None:
    data = scenario(POST_OP, claim=ENDED)
    change(data)

    with pytest.raises(ScenarioError) as error:
        decide(data)

    assert error.value.field == field


def test_every_code_these_rules_emit_is_registered_with_both_languages() -> None:
    emitted = {
        code for param in CASES for line in decide(param.values[0])["lines"] for code in codes(line)
    }
    unregistered = {c for c in emitted if c not in REASONS and not c.startswith(EXCLUSION_PREFIX)}

    assert unregistered == set()
    assert {
        "before-reinstatement",
        "post-operative-medicine-after-return",
        "post-operative-medicine-30-days",
        "dose-over-two-months",
        "excluded-incurred-by-insured-or-relatives",
    } <= emitted
    for code in emitted - {c for c in emitted if c.startswith(EXCLUSION_PREFIX)}:
        bulgarian, english = REASONS[code]
        assert bulgarian.strip()
        assert english.strip()
