"""Issue 15, the health product: the rules the clause-by-clause review found wrong and the
operative clauses that were not encoded, each against the real product data and citing its
clause (004 = general conditions, 002 = the package table)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zdrave.engine.adjudication import run_scenario
from zdrave.engine.scenario import ScenarioError
from zdrave.engine.terms.loader import default_products_root, load_catalog

CATALOG = load_catalog(default_products_root())
BASE = json.loads(
    (Path(__file__).parent / "fixtures" / "health-claim.json").read_text(encoding="utf-8")
)
DOCS = ["claim-form", "ambulatory-sheet", "invoice", "fiscal-receipt"]
MEDICINE_DOCS = ["claim-form", "ambulatory-sheet", "prescription", "invoice"]
PREGNANCY_DOCS = [*DOCS, "pregnancy-sheet"]


def decide(**changes: Any) -> dict[str, Any]:
    """The base claim (2.1.a, 80.00 EUR, package 2 Пълна Б1, 2026-03-10) with sections replaced
    or updated: ``contract={...}`` updates, ``line={...}`` updates the only line."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key == "line":
            data["claim"]["lines"][0].update(value)
        elif key in ("contract", "claim", "insured", "premium"):
            target = data["contract"]["premium"] if key == "premium" else data[key]
            target.update(value)
        else:
            data[key] = value
    return run_scenario(data, CATALOG)


def codes(reasons: list[dict[str, Any]]) -> set[str]:
    return {r["code"] for r in reasons}


def clause_of(reasons: list[dict[str, Any]], code: str) -> str:
    [found] = [r["clause"] for r in reasons if r["code"] == code]
    return found


# ---- Wrong today, items 1–10 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "outcome"),
    [
        pytest.param(
            {"claim": {"diagnosis": "O21.0"}, "line": {"date": "2026-02-10"}},
            "approved",
            id="004-chl19-1-exam-with-pregnancy-diagnosis-outside-item-12-no-waiting",
        ),
        pytest.param(
            {
                "claim": {"diagnosis": "Z34.0", "documents": PREGNANCY_DOCS},
                "line": {"service": "2.12.1.1", "date": "2026-02-10"},
            },
            "rejected",
            id="004-chl19-1-item-12-within-3-months-waits",
        ),
    ],
)
def test_pregnancy_waiting_period_applies_to_the_pregnancy_cover_only(changes, outcome):
    decision = decide(**changes)
    assert decision["outcome"] == outcome
    if outcome == "rejected":
        assert clause_of(decision["lines"][0]["reasons"], "waiting-period") == "004 Чл.19(1)"


@pytest.mark.parametrize(
    ("covered_from", "day", "outcome"),
    [
        pytest.param("2026-01-01", "2026-04-01", "rejected", id="004-chl19-1-zzd-72-on-day"),
        pytest.param("2026-01-01", "2026-04-02", "approved", id="004-chl19-1-zzd-72-day-after"),
        pytest.param("2025-11-30", "2026-02-28", "rejected", id="004-chl19-1-zzd-72-month-end"),
        pytest.param("2025-11-30", "2026-03-01", "approved", id="004-chl19-1-zzd-72-after-end"),
    ],
)
def test_waiting_period_ends_on_the_corresponding_day_zzd_chl72(covered_from, day, outcome):
    decision = decide(
        contract={"start": "2025-11-30", "end": "2026-11-30"},
        premium={"paid_until": "2026-11-30"},
        insured={"covered_from": covered_from},
        claim={"diagnosis": "Z34.0", "documents": PREGNANCY_DOCS, "submitted": "2026-04-10"},
        line={"service": "2.12.1.1", "date": day},
    )
    assert decision["lines"][0]["outcome"] == outcome


@pytest.mark.parametrize(
    ("day", "outcome"),
    [
        pytest.param("2026-12-30", "approved", id="004-chl24-t3-day-before-end-covered"),
        pytest.param("2026-12-31", "rejected", id="004-chl24-t3-end-date-not-covered-0000"),
    ],
)
def test_insurance_ends_at_0000_of_the_end_date(day, outcome):
    decision = decide(line={"date": day}, claim={"submitted": "2027-01-05"})
    assert decision["lines"][0]["outcome"] == outcome
    if outcome == "rejected":
        assert clause_of(decision["lines"][0]["reasons"], "after-contract-end").startswith(
            "004 Чл.24 т.3"
        )


def test_004_chl25_t5_overdue_instalment_only_flags_the_insurers_right():
    decision = decide(premium={"paid_until": "2026-02-10"})
    assert decision["outcome"] == "approved"
    assert decision["payable"] == "64.00"
    assert clause_of(decision["reasons"], "premium-overdue") == "004 Чл.25 т.5"
    assert "right to terminate" in decision["reasons"][0]["message"]


def test_004_chl25_t5_within_15_days_no_flag():
    decision = decide(premium={"paid_until": "2026-03-10"})
    assert decision["reasons"] == []


def test_004_chl29_t2_bgn_invoice_after_changeover_waits_for_a_euro_invoice():
    decision = decide(line={"currency": "BGN", "amount": "156.47"})
    assert decision["outcome"] == "pending"
    assert decision["payable"] == "0.00"
    assert decision["missing_documents"] == ["invoice"]
    assert clause_of(decision["reasons"], "bgn-after-euro") == "004 Чл.29 т.2"
    assert decision["lines"][0]["outcome"] == "pending"


def test_004_chl29_t2_bgn_invoice_before_changeover_is_paid():
    decision = decide(
        contract={"start": "2025-06-01", "end": "2026-06-01"},
        premium={"paid_until": "2026-06-01"},
        insured={"covered_from": "2025-06-01"},
        claim={"submitted": "2026-01-10"},
        line={"currency": "BGN", "amount": "156.47", "date": "2025-12-20"},
    )
    assert decision["outcome"] == "approved"
    assert decision["payable"] == "64.00"


def test_004_chl29_t13_other_insurer_clause():
    decision = decide(line={"other_insurer_paid": "80.00"})
    assert clause_of(decision["lines"][0]["reasons"], "other-insurer-share") == "004 Чл.29 т.13"


MEDICINE_LINE = {
    "service": "5.1",
    "date": "2026-03-10",
    "amount": "20.00",
    "prescribed": "2026-03-09",
}


@pytest.mark.parametrize(
    ("channel", "documents", "missing"),
    [
        pytest.param(
            "in-person",
            [*MEDICINE_DOCS, "payment-order"],
            ["fiscal-receipt"],
            id="004-chl34-annex1-III-payment-order-not-for-a-shop-purchase",
        ),
        pytest.param(
            "e-shop",
            [*MEDICINE_DOCS, "payment-order"],
            [],
            id="004-chl34-annex1-III-payment-order-for-an-e-shop-purchase",
        ),
        pytest.param(
            "in-person",
            [*MEDICINE_DOCS, "fiscal-receipt"],
            [],
            id="004-annex1-III-original-fiscal-receipt",
        ),
    ],
)
def test_payment_order_stands_for_the_receipt_only_for_an_e_shop(channel, documents, missing):
    decision = decide(
        cover=[{"package": 5, "option": "full", "clause": "Б2"}],
        claim={"documents": documents},
        line={**MEDICINE_LINE, "purchase_channel": channel},
    )
    assert decision["missing_documents"] == missing


def test_004_annex1_I_payment_order_accepted_for_an_examination():
    decision = decide(
        claim={"documents": ["claim-form", "ambulatory-sheet", "invoice", "payment-order"]}
    )
    assert decision["outcome"] == "approved"


@pytest.mark.parametrize(
    ("service", "diagnosis", "outcome", "reason"),
    [
        pytest.param("2.1.a", "D22.5", "approved", None, id="004-chl21-t11-naevus-exam-paid"),
        pytest.param(
            "2.10.d",
            "D22.5",
            "rejected",
            "excluded-skin-formation-removal",
            id="004-chl21-t11-naevus-removal-refused",
        ),
        pytest.param("2.1.a", "L70.0", "rejected", "excluded-acne-skin", id="004-chl21-t11-acne"),
        pytest.param(
            "2.1.a", "N95.0", "approved", None, id="004-chl21-t19-postmenopausal-bleeding"
        ),
        pytest.param(
            "2.1.a", "N95.1", "rejected", "excluded-menopause-puberty", id="004-chl21-t19-menopause"
        ),
    ],
)
def test_exclusions_read_by_their_words(service, diagnosis, outcome, reason):
    decision = decide(claim={"diagnosis": diagnosis}, line={"service": service})
    [line] = decision["lines"]
    assert line["outcome"] == outcome, line
    if reason:
        assert reason in codes(line["reasons"])


def test_002_VI_4a_tmj_disorder_is_not_orthodontics():
    decision = decide(
        cover=[{"package": 6, "option": "luxury", "clause": "Б2"}],
        claim={"diagnosis": "K07.6", "documents": [*DOCS, "dental-status"]},
        line={"service": "6.4.a", "amount": "50.00"},
    )
    assert decision["outcome"] == "approved", decision


def test_004_chl21_last_run_t2_malocclusion_is_orthodontics():
    decision = decide(
        cover=[{"package": 6, "option": "luxury", "clause": "Б2"}],
        claim={"diagnosis": "K07.2", "documents": [*DOCS, "dental-status"]},
        line={"service": "6.4.a", "amount": "50.00"},
    )
    assert "excluded-orthodontics" in codes(decision["lines"][0]["reasons"])


# ---- Not encoded yet ------------------------------------------------------------------------

SCHEDULE = [
    {"due": "2026-01-01", "amount": "30.00", "paid": "2025-12-28"},
    {"due": "2026-04-01", "amount": "30.00", "paid": None},
    {"due": "2026-07-01", "amount": "30.00", "paid": None},
    {"due": "2026-10-01", "amount": "30.00", "paid": None},
]


def test_004_chl25_t6_unpaid_instalments_fall_due_and_the_claim_waits():
    decision = decide(premium={"paid_until": None, "instalments": SCHEDULE})
    assert decision["outcome"] == "pending"
    assert decision["payable"] == "0.00"
    [due] = [r for r in decision["reasons"] if r["code"] == "instalments-due"]
    assert due["clause"] == "004 Чл.25 т.6"
    assert "90.00" in due["message"]
    assert decision["lines"][0]["eligible"] == "80.00"


def test_004_chl25_t6_all_instalments_paid_claim_is_paid():
    paid = [{**item, "paid": "2026-03-01"} for item in SCHEDULE]
    decision = decide(premium={"paid_until": None, "instalments": paid})
    assert decision["outcome"] == "approved"
    assert decision["payable"] == "64.00"


def test_004_chl25_t6_applies_to_individual_and_family_not_group():
    decision = decide(
        contract={"type": "group"}, premium={"paid_until": None, "instalments": SCHEDULE}
    )
    assert decision["outcome"] == "approved"


def test_004_chl25_t6_refused_claim_needs_no_instalments():
    decision = decide(
        claim={"diagnosis": "L70.0"}, premium={"paid_until": None, "instalments": SCHEDULE}
    )
    assert decision["outcome"] == "rejected"
    assert "instalments-due" not in codes(decision["reasons"])


@pytest.mark.parametrize(
    ("paid", "day", "outcome"),
    [
        pytest.param(
            "2026-01-05", "2026-01-05", "rejected", id="004-chl24-t3-service-on-payment-day"
        ),
        pytest.param("2026-01-05", "2026-01-06", "approved", id="004-chl24-t3-day-after-payment"),
        pytest.param(None, "2026-03-10", "rejected", id="004-chl25-t3-first-instalment-unpaid"),
    ],
)
def test_cover_starts_after_the_first_instalment_is_paid(paid, day, outcome):
    schedule = [{"due": "2026-01-01", "amount": "120.00", "paid": paid}]
    decision = decide(
        premium={"paid_until": None, "instalments": schedule},
        line={"date": day},
    )
    assert decision["lines"][0]["outcome"] == outcome
    if outcome == "rejected":
        assert clause_of(decision["lines"][0]["reasons"], "premium-unpaid") == "004 Чл.25 т.3"


def test_004_chl25_t5_overdue_instalment_in_schedule_is_flagged_not_refused():
    schedule = [
        {"due": "2026-01-01", "amount": "60.00", "paid": "2026-01-01"},
        {"due": "2026-02-01", "amount": "60.00", "paid": "2026-03-25"},
    ]
    # A group contract, so that 004 Чл.25 т.6 does not hold the claim for the late instalment.
    decision = decide(
        contract={"type": "group"}, premium={"paid_until": None, "instalments": schedule}
    )
    assert decision["outcome"] == "approved"
    assert "premium-overdue" in codes(decision["reasons"])


@pytest.mark.parametrize(
    ("established", "renewal", "outcome"),
    [
        pytest.param(
            "2026-02-15", False, "rejected", id="004-chl34-pregnancy-established-in-waiting"
        ),
        pytest.param("2025-12-20", False, "rejected", id="004-chl34-pregnancy-before-contract"),
        pytest.param("2026-04-02", False, "approved", id="004-chl34-pregnancy-after-waiting"),
        pytest.param("2025-12-20", True, "approved", id="004-chl34-pregnancy-previous-contract"),
    ],
)
def test_pregnancy_must_be_established_during_the_contract(established, renewal, outcome):
    decision = decide(
        contract={"renewal_of_previous": renewal},
        claim={
            "diagnosis": "Z34.0",
            "documents": [*PREGNANCY_DOCS, "test-results"],
            "pregnancy_established": established,
            "submitted": "2026-05-20",
        },
        line={"service": "2.12.1.2.a", "date": "2026-05-10", "amount": "30.00"},
    )
    [line] = decision["lines"]
    assert line["outcome"] == outcome, line
    if outcome == "rejected":
        assert "pregnancy-established-outside-cover" in codes(line["reasons"])


@pytest.mark.parametrize(
    ("special", "outcome", "payable", "reason"),
    [
        pytest.param(
            {"excluded_icd10": ["J00-J06"]},
            "rejected",
            "0.00",
            "special-condition-excluded",
            id="004-chl10-chl21-2-excluded-condition",
        ),
        pytest.param(
            {"excluded_services": ["2.1*"]},
            "rejected",
            "0.00",
            "special-condition-excluded",
            id="004-chl10-excluded-service",
        ),
        pytest.param(
            {"waiting": [{"months": 6, "icd10": ["J06"]}]},
            "rejected",
            "0.00",
            "special-condition-waiting",
            id="004-chl20-extra-waiting-period",
        ),
        pytest.param(
            {"limit": "50.00"},
            "partial",
            "50.00",
            "special-condition-limit",
            id="004-chl26-t1-lower-limit-for-the-person",
        ),
        pytest.param(
            {"loading_percent": "25"},
            "approved",
            "64.00",
            None,
            id="004-chl10-loading-is-premium-only",
        ),
    ],
)
def test_special_conditions_apply_to_that_persons_claims(special, outcome, payable, reason):
    decision = decide(insured={"special_conditions": special})
    [line] = decision["lines"]
    assert (line["outcome"], line["payable"]) == (outcome, payable), line
    if reason:
        assert reason in codes(line["reasons"])


def test_002_bel1_clause_a_cannot_use_a_limited_row_and_says_so():
    decision = decide(
        cover=[{"package": 2, "option": "full", "clause": "A"}], claim={"form": "subscription"}
    )
    [line] = decision["lines"]
    assert line["outcome"] == "rejected"
    [reason] = [r for r in line["reasons"] if r["code"] == "clause-a-no-limited-services"]
    assert "not covered at all" in reason["message"]


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        pytest.param(
            "premium",
            {"instalments": [{"due": "x", "amount": "1.00"}]},
            "contract.premium.instalments[0].due",
            id="instalment-due",
        ),
        pytest.param(
            "line", {"purchase_channel": "mail"}, "claim.lines[0].purchase_channel", id="channel"
        ),
        pytest.param(
            "insured",
            {"special_conditions": {"excluded_icd10": ["XYZ"]}},
            "insured.special_conditions.excluded_icd10[0]",
            id="special-icd",
        ),
    ],
)
def test_bad_extension_input_names_the_field(path, value, field):
    with pytest.raises(ScenarioError) as error:
        decide(**{path: value})
    assert error.value.field == field


def test_amounts_are_decimals():
    assert Decimal(decide()["payable"]) == Decimal("64.00")


@pytest.mark.parametrize(
    ("day", "outcome"),
    [
        pytest.param("2023-02-28", "rejected", id="004-chl31-zzd-72-5-years-end-on-28-feb-2028"),
        pytest.param("2023-03-01", "approved", id="004-chl31-within-5-years"),
    ],
)
def test_limitation_period_counted_forward_from_the_event(day, outcome):
    decision = decide(
        contract={"start": "2023-01-01", "end": "2024-01-01"},
        premium={"paid_until": "2024-01-01"},
        insured={"covered_from": "2023-01-01"},
        claim={"submitted": "2028-02-29"},
        line={"date": day, "currency": "BGN", "amount": "156.47"},
    )
    assert decision["lines"][0]["outcome"] == outcome


@pytest.mark.parametrize(
    ("extra", "outcome", "missing"),
    [
        pytest.param(
            {"examination_date": "2026-03-09"},
            "approved",
            [],
            id="004-chl29-t2-prescription-on-examination-day",
        ),
        pytest.param(
            {"examination_date": "2026-03-05"},
            "pending",
            ["prescription"],
            id="004-chl29-t2-prescription-not-on-examination-day-waits",
        ),
        pytest.param(
            {"prescriber_examined": False},
            "pending",
            ["prescription"],
            id="004-chl29-t2-prescription-by-another-doctor-waits",
        ),
    ],
)
def test_prescription_issued_at_the_examination_by_its_doctor(extra, outcome, missing):
    decision = decide(
        cover=[{"package": 5, "option": "full", "clause": "Б2"}],
        claim={"documents": [*MEDICINE_DOCS, "fiscal-receipt"]},
        line={**MEDICINE_LINE, **extra},
    )
    assert decision["outcome"] == outcome
    assert decision["missing_documents"] == missing


AID_HISTORY = [
    {
        "date": "2026-01-20",
        "service": "5.3.a",
        "form": "reimbursement",
        "diagnosis": "M17.1",
        "quantity": 1,
        "paid": "20.00",
    }
]


@pytest.mark.parametrize(
    ("extra", "circumstances", "outcome"),
    [
        pytest.param({"wear_months": 12}, [], "rejected", id="004-chl29-t2-aid-within-wear-period"),
        pytest.param(
            {"wear_months": 12},
            ["medical-indication"],
            "approved",
            id="004-chl29-t2-aid-earlier-for-medical-reasons",
        ),
        pytest.param({"wear_months": 1}, [], "approved", id="004-chl29-t2-aid-after-wear-period"),
        pytest.param({}, [], "approved", id="004-chl29-t2-no-wear-period-given-not-checked"),
    ],
)
def test_medical_aid_after_its_wear_period(extra, circumstances, outcome):
    decision = decide(
        cover=[{"package": 5, "option": "luxury", "clause": "Б2"}],
        history=AID_HISTORY,
        claim={"diagnosis": "M17.1", "documents": DOCS, "circumstances": circumstances},
        line={
            "service": "5.3.a",
            "date": "2026-03-10",
            "amount": "10.00",
            "prescribed": "2026-03-09",
            **extra,
        },
    )
    [line] = decision["lines"]
    assert line["outcome"] == outcome, line
    if outcome == "rejected":
        assert clause_of(line["reasons"], "aid-wear-period") == "004 Чл.29 т.2"
