"""Health claim adjudication, the money: co-payment, shares of others, pro rata, limits,
currency — rule by rule, against the small test product in
``tests/engine/fixtures/products`` (a faithful excerpt of 002 and 004 that pins its own numbers).

Each row starts from ``fixtures/health-claim.json`` (2.1.a specialist exam, 80.00 EUR, package 2
Пълна, clause Б1, reimbursement form) and changes what the rule needs. Ids name the clause.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine.claim_builder import (
    DOCS,
    MEDICINE_DOCS,
    PACKAGE_5_FULL_B2,
    decide,
    history,
    line,
)

# (changes, line outcome, line payable, expected reason code or None, expected clause prefix)
CASES = {
    "002-VII-b1-copay-20-percent-reimbursement": ({}, "approved", "64.00", "copayment", "002"),
    "002-VII-b2-no-copay": ({"cover.0.clause": "Б2"}, "approved", "80.00", None, None),
    "002-VII-subscription-form-no-copay": (
        {"claim.form": "subscription", "claim.lines.0.service": "2.1.b"},
        "approved",
        "80.00",
        None,
        None,
    ),
    "004-chl21-t35-chronic-medicine-60-days-paid-for-30": (
        {
            "cover": PACKAGE_5_FULL_B2,
            "claim.documents": MEDICINE_DOCS,
            "claim.lines.0": line("5.1", "2026-03-10", "90.00", dose_days=60, treatment="chronic"),
        },
        "partial",
        "45.00",
        "medicine-quantity-pro-rata",
        "004 Чл.21(1) т.35",
    ),
    "004-chl21-t35-acute-medicine-20-days-paid-for-10": (
        {
            "cover": PACKAGE_5_FULL_B2,
            "claim.documents": MEDICINE_DOCS,
            "claim.lines.0": line("5.1", "2026-03-10", "40.00", dose_days=20, treatment="acute"),
        },
        "partial",
        "20.00",
        "medicine-quantity-pro-rata",
        "004 Чл.21(1) т.35",
    ),
    "004-chl21-t35-chronic-medicine-30-days-paid-in-full": (
        {
            "cover": PACKAGE_5_FULL_B2,
            "claim.documents": MEDICINE_DOCS,
            "claim.lines.0": line("5.1", "2026-03-10", "40.00", dose_days=30, treatment="chronic"),
        },
        "approved",
        "40.00",
        None,
        None,
    ),
    "004-chl11-nhif-share-deducted": (
        {"claim.lines.0.nhif_paid": "30.00"},
        "partial",
        "40.00",
        "nhif-share",
        "004 Чл.11",
    ),
    "004-chl29-t13-earlier-insurer-paid-everything": (
        {"claim.lines.0.other_insurer_paid": "80.00"},
        "rejected",
        "0.00",
        "other-insurer-share",
        "004 Чл.29 т.13",
    ),
    "004-chl29-t11-reasonable-and-customary-cap": (
        {"claim.lines.0.reference_price": "50.00"},
        "partial",
        "40.00",
        "reasonable-cost-cap",
        "004 Чл.29 т.11",
    ),
    "002-II-1-count-column-4-specialist-exams-a-year": (
        {
            "history": [
                history("2.1.a", d, "30.00", diagnosis=dx)
                for d, dx in [
                    ("2026-01-10", "J20.0"),
                    ("2026-01-20", "M54.5"),
                    ("2026-02-01", "H10.0"),
                    ("2026-02-20", "K29.7"),
                ]
            ]
        },
        "rejected",
        "0.00",
        "count-limit",
        "002 II.1",
    ),
    "002-II-8-mri-pulna-once-a-year": (
        {
            "history": [history("2.8.e", "2026-02-01", "100.00")],
            "claim.documents": [*DOCS, "test-results"],
            "claim.lines.0": line("2.8.e", "2026-03-10", "150.00"),
        },
        "rejected",
        "0.00",
        "count-limit",
        "002 II.8",
    ),
    "002-II-8-mri-luksozna-twice-a-year": (
        {
            "cover.0.option": "luxury",
            "history": [history("2.8.e", "2026-02-01", "100.00")],
            "claim.documents": [*DOCS, "test-results"],
            "claim.lines.0": line("2.8.e", "2026-03-10", "150.00"),
        },
        "approved",
        "120.00",
        None,
        None,
    ),
    "002-II-11-physiotherapy-150-leva-a-year": (
        {
            "cover.0.clause": "Б2",
            "history": [history("2.11.a", "2026-02-01", "50.00")],
            "claim.lines.0": line("2.11.a", "2026-03-10", "40.00"),
        },
        "partial",
        "26.69",
        "service-money-limit",
        "002 II.11",
    ),
    "002-II-12-pregnancy-group-limit-300-leva-for-all-of-item-12": (
        {
            "claim.diagnosis": "Z34.0",
            "cover.0.clause": "Б2",
            "claim.documents": [*DOCS, "pregnancy-sheet"],
            "history": [history("2.12.1.1", "2026-04-02", "150.00", diagnosis="Z34.0")],
            "claim.lines.0": line("2.12.1.1", "2026-05-10", "60.00"),
            "claim.submitted": "2026-05-20",
        },
        "partial",
        "3.39",
        "service-money-limit",
        "002 II.12",
    ),
    "002-II-B-reimbursement-yearly-sub-limit-300-leva": (
        {
            "cover.0.clause": "Б2",
            "history": [history("2.1.b", "2026-02-01", "150.00", diagnosis="M54.5")],
            "claim.lines.0.service": "2.1.b",
        },
        "partial",
        "3.39",
        "yearly-limit",
        "002 II.Б",
    ),
    "002-II-bel3-reimbursement-counts-towards-subscription-limit": (
        {
            "cover.0.clause": "Б2",
            "claim.form": "subscription",
            "claim.lines.0.service": "2.1.b",
            "history": [
                history("2.1.b", "2026-02-01", "150.00", diagnosis="M54.5"),
                history("2.1.b", "2026-02-10", "4900.00", form="subscription", diagnosis="K29.7"),
            ],
        },
        "partial",
        "62.92",
        "yearly-limit",
        "002 II.Б",
    ),
    "002-II-bel3-subscription-does-not-use-reimbursement-sub-limit": (
        {
            "cover.0.clause": "Б2",
            "claim.lines.0.service": "2.1.b",
            "history": [
                history("2.1.b", "2026-02-10", "4900.00", form="subscription", diagnosis="K29.7")
            ],
        },
        "approved",
        "80.00",
        None,
        None,
    ),
    "002-V-bel1-two-forms-exhaust-one-limit": (
        {
            "cover": [{"package": 5, "option": "minimal", "clause": "Б2"}],
            "claim.documents": MEDICINE_DOCS,
            "history": [history("5.1", "2026-02-01", "20.00", form="subscription")],
            "claim.lines.0": line("5.1", "2026-03-10", "10.00"),
        },
        "partial",
        "5.56",
        "yearly-limit",
        "002 V бел.*",
    ),
    "004-chl26-t1-aggregate-limit-of-the-person": (
        {
            "contract.aggregate_limit": "100.00",
            "history": [history("2.1.b", "2026-02-01", "90.00", diagnosis="M54.5")],
        },
        "partial",
        "10.00",
        "aggregate-limit",
        "004 Чл.26 т.1",
    ),
    "004-chl13-one-primary-exam-per-disease-in-30-days": (
        {"history": [history("2.1.a", "2026-03-01", "30.00")]},
        "rejected",
        "0.00",
        "primary-exam-per-disease",
        "004 Чл.13",
    ),
    "004-chl13-primary-exam-for-another-disease": (
        {"history": [history("2.1.a", "2026-03-01", "30.00", diagnosis="M54.5")]},
        "approved",
        "64.00",
        None,
        None,
    ),
    "004-chl13-primary-exam-after-30-days": (
        {"history": [history("2.1.a", "2026-02-07", "30.00")]},
        "approved",
        "64.00",
        None,
        None,
    ),
    "004-chl13-up-to-two-secondary-exams-per-disease": (
        {
            "history": [
                history("2.2.b", "2026-03-01", "30.00"),
                history("2.2.b", "2026-03-05", "30.00"),
            ],
            "claim.lines.0.service": "2.2.b",
        },
        "rejected",
        "0.00",
        "secondary-exams-per-disease",
        "004 Чл.13",
    ),
    "004-chl13-second-secondary-exam-allowed": (
        {"history": [history("2.2.b", "2026-03-01", "30.00")], "claim.lines.0.service": "2.2.b"},
        "approved",
        "64.00",
        None,
        None,
    ),
    "money-bgn-invoice-before-2026-converted-at-1-95583": (
        {
            "contract.start": "2025-01-01",
            "contract.end": "2025-12-31",
            "contract.premium.paid_until": "2025-12-31",
            "insured.covered_from": "2025-01-01",
            "claim.submitted": "2025-12-20",
            "claim.lines.0": {**line("2.1.a", "2025-12-10", "156.47"), "currency": "BGN"},
        },
        "approved",
        "64.00",
        None,
        None,
    ),
}


@pytest.mark.parametrize(
    ("changes", "outcome", "payable", "reason", "clause"), CASES.values(), ids=CASES.keys()
)
def test_line_rule(changes, outcome, payable, reason, clause):
    decision = decide(changes)
    assert decision["missing_documents"] == []
    [result] = decision["lines"]
    assert result["outcome"] == outcome
    assert Decimal(result["payable"]) == Decimal(payable)
    assert Decimal(decision["payable"]) == Decimal(payable)
    if reason is not None:
        matching = [r for r in result["reasons"] if r["code"] == reason]
        assert matching, result["reasons"]
        assert any(r["clause"].startswith(clause) for r in matching), matching
    if outcome == "rejected":
        assert result["copay"] == "0.00"


def test_copay_and_eligible_on_an_approved_line_002_vii():
    [result] = decide({})["lines"]
    assert (result["billed"], result["eligible"], result["copay"], result["payable"]) == (
        "80.00",
        "80.00",
        "16.00",
        "64.00",
    )


def test_copay_alone_keeps_the_claim_approved_not_partial_002_vii():
    assert decide({})["outcome"] == "approved"


def test_lines_of_one_claim_share_a_count_limit_002_ii_8():
    decision = decide(
        {
            "claim.documents": [*DOCS, "test-results"],
            "claim.lines.0": line("2.8.e", "2026-03-10", "150.00"),
            "claim.lines.1": line("2.8.e", "2026-03-12", "150.00"),
        }
    )
    assert [(x["outcome"], x["payable"]) for x in decision["lines"]] == [
        ("approved", "120.00"),
        ("rejected", "0.00"),
    ]
    assert (decision["outcome"], decision["payable"]) == ("partial", "120.00")


def test_insurance_year_runs_from_contract_start_002_ii_1():
    four_exams = [
        history("2.1.a", d, "30.00", diagnosis=dx)
        for d, dx in [
            ("2025-04-10", "J20.0"),
            ("2025-05-20", "M54.5"),
            ("2025-06-01", "H10.0"),
            ("2025-07-20", "K29.7"),
        ]
    ]
    changes = {
        "contract.start": "2025-03-01",
        "contract.end": "2027-02-28",
        "insured.covered_from": "2025-03-01",
        "history": four_exams,
    }
    in_second_year = decide({**changes, "claim.lines.0.date": "2026-03-01"})
    still_first_year = decide({**changes, "claim.lines.0.date": "2026-02-28"})
    assert in_second_year["lines"][0]["outcome"] == "approved"
    assert still_first_year["lines"][0]["outcome"] == "rejected"


def test_count_limit_pays_the_part_within_the_limit_pro_rata_002_ii_8():
    decision = decide(
        {
            "cover.0.option": "luxury",
            "claim.documents": [*DOCS, "test-results"],
            "claim.lines.0": {**line("2.8.e", "2026-03-10", "300.00"), "quantity": 3},
        }
    )
    [result] = decision["lines"]
    assert (result["outcome"], result["eligible"], result["copay"], result["payable"]) == (
        "partial",
        "200.00",
        "40.00",
        "160.00",
    )
