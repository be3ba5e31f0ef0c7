"""Health claim adjudication, rule by rule, against the small test product in
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
    "002-VII-t1-clause-a-has-no-reimbursement": (
        {"cover.0.clause": "A"},
        "rejected",
        "0.00",
        "form-not-in-clause",
        "002 VII т.1",
    ),
    "002-II-bel1-limited-service-only-by-reimbursement": (
        {"claim.form": "subscription"},
        "rejected",
        "0.00",
        "limited-service-reimbursement-only",
        "002 II бел.*",
    ),
    "002-II-1-service-not-in-option": (
        {"cover.0.option": "minimal", "claim.lines.0.service": "2.1.b"},
        "rejected",
        "0.00",
        "service-not-in-option",
        "002 II.1",
    ),
    "004-chl21-t33-package-not-in-contract": (
        {"claim.lines.0": line("5.1", "2026-03-10", "20.00")},
        "rejected",
        "0.00",
        "package-not-in-contract",
        "004 Чл.21(1) т.33",
    ),
    "004-chl24-t3-before-contract-start": (
        {"claim.lines.0.date": "2025-12-31"},
        "rejected",
        "0.00",
        "before-contract-start",
        "004 Чл.24",
    ),
    "004-chl24-t3-contract-start-day-covered-from-0000": (
        {"claim.lines.0.date": "2026-01-01"},
        "approved",
        "64.00",
        None,
        None,
    ),
    "004-chl29-t5-after-contract-end": (
        {"claim.lines.0.date": "2027-01-01", "claim.submitted": "2027-01-05"},
        "rejected",
        "0.00",
        "after-contract-end",
        "004 Чл.24 т.3; Чл.29 т.5",
    ),
    "004-chl24-t3-contract-end-day-not-covered-insurance-ends-at-0000": (
        {"claim.lines.0.date": "2026-12-31", "claim.submitted": "2027-01-05"},
        "rejected",
        "0.00",
        "after-contract-end",
        "004 Чл.24 т.3",
    ),
    "004-chl24-t3-day-before-end-date-covered": (
        {"claim.lines.0.date": "2026-12-30", "claim.submitted": "2027-01-05"},
        "approved",
        "64.00",
        None,
        None,
    ),
    "004-chl24-t3-before-persons-cover-start": (
        {"insured.covered_from": "2026-03-15"},
        "rejected",
        "0.00",
        "before-cover-start",
        "004 Чл.24",
    ),
    "004-chl29-t9-after-termination": (
        {"contract.terminated_on": "2026-03-01"},
        "rejected",
        "0.00",
        "after-termination",
        "004 Чл.29 т.9",
    ),
    "004-chl27-t2-termination-takes-effect-at-0000-of-its-date": (
        {"contract.terminated_on": "2026-03-10"},
        "rejected",
        "0.00",
        "after-termination",
        "004 Чл.29 т.9",
    ),
    "004-chl29-t9-day-before-termination-covered": (
        {"contract.terminated_on": "2026-03-11"},
        "approved",
        "64.00",
        None,
        None,
    ),
    "004-chl25-t5-instalment-overdue-more-than-15-days-cover-continues": (
        {"contract.premium.paid_until": "2026-02-22"},
        "approved",
        "64.00",
        None,
        None,
    ),
    "004-chl25-t5-within-15-days-of-due-date-covered": (
        {"contract.premium.paid_until": "2026-02-23"},
        "approved",
        "64.00",
        None,
        None,
    ),
    "004-chl25-t3-first-instalment-unpaid": (
        {"contract.premium.paid_until": "2025-12-31"},
        "rejected",
        "0.00",
        "premium-unpaid",
        "004 Чл.25 т.3",
    ),
    "004-chl31-claim-after-5-years-time-barred": (
        {"claim.submitted": "2031-03-11"},
        "rejected",
        "0.00",
        "time-barred",
        "004 Чл.31",
    ),
    "004-chl19-1-pregnancy-within-3-months": (
        {
            "claim.diagnosis": "Z34.0",
            "claim.lines.0": line("2.12.1.1", "2026-03-31", "60.00"),
            "claim.documents": [*DOCS, "pregnancy-sheet"],
        },
        "rejected",
        "0.00",
        "waiting-period",
        "004 Чл.19(1)",
    ),
    "004-chl19-1-zzd-chl72-corresponding-day-still-waiting": (
        {
            "claim.diagnosis": "Z34.0",
            "claim.lines.0": line("2.12.1.1", "2026-04-01", "60.00"),
            "claim.submitted": "2026-04-10",
            "claim.documents": [*DOCS, "pregnancy-sheet"],
        },
        "rejected",
        "0.00",
        "waiting-period",
        "004 Чл.19(1)",
    ),
    "004-chl19-1-pregnancy-after-3-months-day-after-corresponding-day": (
        {
            "claim.diagnosis": "Z34.0",
            "claim.lines.0": line("2.12.1.1", "2026-04-02", "60.00"),
            "claim.submitted": "2026-04-10",
            "claim.documents": [*DOCS, "pregnancy-sheet"],
        },
        "approved",
        "48.00",
        "copayment",
        "002",
    ),
    "004-chl19-renewal-without-break-has-no-waiting-period": (
        {
            "contract.renewal_of_previous": True,
            "claim.diagnosis": "Z34.0",
            "claim.lines.0": line("2.12.1.1", "2026-02-15", "60.00"),
            "claim.documents": [*DOCS, "pregnancy-sheet"],
        },
        "approved",
        "48.00",
        None,
        None,
    ),
    "002-II-bel2-pregnancy-exam-needs-option-with-item-12": (
        {
            "cover.0.option": "basic",
            "claim.diagnosis": "Z34.0",
            "claim.lines.0.date": "2026-05-10",
            "claim.submitted": "2026-05-20",
        },
        "rejected",
        "0.00",
        "pregnancy-needs-item-12",
        "002 II бел.**",
    ),
    "002-II-bel2-pregnancy-exam-with-item-12-covered": (
        {
            "claim.diagnosis": "Z34.0",
            "claim.lines.0.date": "2026-05-10",
            "claim.submitted": "2026-05-20",
        },
        "approved",
        "64.00",
        None,
        None,
    ),
    "004-chl21-t11-acne-excluded": (
        {"claim.diagnosis": "L70.0"},
        "rejected",
        "0.00",
        "excluded-acne-skin",
        "004 Чл.21(1) т.11",
    ),
    "004-chl21-t20-mental-disorder-exam-excluded": (
        {"claim.diagnosis": "F32.1"},
        "rejected",
        "0.00",
        "excluded-mental-disorders",
        "004 Чл.21(1) т.20",
    ),
    "004-chl21-t20-yields-to-psychotherapy-sold-in-002-II-11": (
        {
            "cover.0.option": "luxury",
            "cover.0.clause": "Б2",
            "claim.diagnosis": "F32.1",
            "claim.lines.0.service": "2.11.b",
        },
        "approved",
        "80.00",
        None,
        None,
    ),
    "004-chl21-t12-sport-circumstance-on-claim": (
        {"claim.circumstances": ["sport"]},
        "rejected",
        "0.00",
        "excluded-sport",
        "004 Чл.21(1) т.12",
    ),
    "004-chl21-t12-sport-circumstance-on-line": (
        {"claim.lines.0.circumstances": ["sport"]},
        "rejected",
        "0.00",
        "excluded-sport",
        "004 Чл.21(1) т.12",
    ),
    "002-III-bel1-hospital-needs-nhif-rights": (
        {
            "cover": [{"package": 3, "option": "basic", "clause": "A"}],
            "claim.form": "subscription",
            "insured.nhif_rights": False,
            "claim.lines.0": line("3.1", "2026-03-10", "500.00"),
        },
        "rejected",
        "0.00",
        "no-nhif-rights",
        "002 III бел.*",
    ),
    "004-chl21-last-t3-hospital-needs-nhif-rights": (
        {
            "cover": [{"package": 3, "option": "basic", "clause": "A"}],
            "claim.form": "subscription",
            "insured.nhif_rights": False,
            "claim.lines.0": line("3.1", "2026-03-10", "500.00"),
        },
        "rejected",
        "0.00",
        "no-nhif-rights",
        "004 Чл.21(1) т.3",
    ),
    "002-III-hospital-with-nhif-rights-covered": (
        {
            "cover": [{"package": 3, "option": "basic", "clause": "A"}],
            "claim.form": "subscription",
            "claim.lines.0": line("3.1", "2026-03-10", "500.00"),
        },
        "approved",
        "500.00",
        None,
        None,
    ),
    "002-VI-bel1-dental-one-form-only": (
        {
            "cover": [{"package": 6, "option": "basic", "clause": "Б2"}],
            "history": [
                history("6.2.a", "2026-02-01", "20.00", form="subscription", diagnosis="K02.1")
            ],
            "claim.diagnosis": "K02.1",
            "claim.lines.0": line("6.2.a", "2026-03-10", "40.00"),
        },
        "rejected",
        "0.00",
        "dental-single-form",
        "002 VI бел.*",
    ),
    "002-VI-bel1-dental-same-form-again-and-status-only-with-first-claim": (
        {
            "cover": [{"package": 6, "option": "basic", "clause": "Б2"}],
            "history": [history("6.2.a", "2026-02-01", "20.00", diagnosis="K02.1")],
            "claim.diagnosis": "K02.1",
            "claim.lines.0": line("6.2.a", "2026-03-10", "40.00"),
        },
        "approved",
        "40.00",
        None,
        None,
    ),
    "004-chl21-t28-medicine-after-7-days": (
        {
            "cover": PACKAGE_5_FULL_B2,
            "claim.documents": MEDICINE_DOCS,
            "claim.lines.0": line("5.1", "2026-03-09", "20.00", prescribed="2026-03-01"),
        },
        "rejected",
        "0.00",
        "purchase-deadline",
        "004 Чл.21(1) т.28",
    ),
    "004-chl21-t28-medicine-on-7th-day": (
        {
            "cover": PACKAGE_5_FULL_B2,
            "claim.documents": MEDICINE_DOCS,
            "claim.lines.0": line("5.1", "2026-03-08", "20.00", prescribed="2026-03-01"),
        },
        "approved",
        "20.00",
        None,
        None,
    ),
    "004-chl21-t28-glasses-after-15-days": (
        {
            "cover": PACKAGE_5_FULL_B2,
            "claim.lines.0": line("5.3.b", "2026-03-17", "30.00", prescribed="2026-03-01"),
        },
        "rejected",
        "0.00",
        "purchase-deadline",
        "004 Чл.21(1) т.28",
    ),
    "004-chl29-t5-test-more-than-30-days-after-referral": (
        {
            "claim.lines.0": line("2.8.c", "2026-03-10", "40.00", prescribed="2026-02-07"),
            "claim.documents": [*DOCS, "test-results"],
        },
        "rejected",
        "0.00",
        "purchase-deadline",
        "004 Чл.29 т.5",
    ),
    "004-chl29-t5-test-30-days-after-referral": (
        {
            "claim.lines.0": line("2.8.c", "2026-03-10", "40.00", prescribed="2026-02-08"),
            "claim.documents": [*DOCS, "test-results"],
        },
        "approved",
        "32.00",
        None,
        None,
    ),
    "004-chl29-t2-invoice-before-prescription": (
        {
            "cover": PACKAGE_5_FULL_B2,
            "claim.documents": MEDICINE_DOCS,
            "claim.lines.0": line("5.1", "2026-03-09", "20.00", prescribed="2026-03-10"),
        },
        "rejected",
        "0.00",
        "invoice-before-prescription",
        "004 Чл.29 т.2",
    ),
    "004-chl29-t2-invoice-before-examination": (
        {"claim.lines.0.invoice_date": "2026-03-09"},
        "rejected",
        "0.00",
        "invoice-before-prescription",
        "004 Чл.29 т.2",
    ),
    "002-V-B-osnovna-has-no-reimbursement-form": (
        {
            "cover": [{"package": 5, "option": "basic", "clause": "Б2"}],
            "claim.documents": MEDICINE_DOCS,
            "claim.lines.0": line("5.1", "2026-03-10", "10.00"),
        },
        "rejected",
        "0.00",
        "form-not-in-option",
        "002 V.Б",
    ),
    "004-chl19-1-pregnancy-diagnosis-outside-item-12-no-waiting": (
        {"claim.diagnosis": "O21.0", "claim.lines.0.date": "2026-02-10"},
        "approved",
        "64.00",
        None,
        None,
    ),
    "004-chl21-t11-naevus-examination-covered": (
        {"claim.diagnosis": "D22.5"},
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


def test_every_refusal_is_reported_not_only_the_first_004_chl21():
    [result] = decide({"claim.diagnosis": "L70.0", "cover.0.clause": "A"})["lines"]
    assert {r["code"] for r in result["reasons"]} == {"form-not-in-clause", "excluded-acne-skin"}


@pytest.mark.parametrize(
    ("documents", "missing"),
    [
        pytest.param(
            ["claim-form", "invoice", "fiscal-receipt"],
            ["ambulatory-sheet"],
            id="004-pril1-I1-ambulatory-sheet",
        ),
        pytest.param(
            ["claim-form", "ambulatory-sheet", "invoice"],
            ["fiscal-receipt"],
            id="004-pril1-I1-receipt-or-payment-order",
        ),
        pytest.param(
            ["ambulatory-sheet", "invoice", "fiscal-receipt"],
            ["claim-form"],
            id="004-pril1-claim-form",
        ),
        pytest.param(
            [],
            ["claim-form", "ambulatory-sheet", "invoice", "fiscal-receipt"],
            id="004-pril1-nothing-sent",
        ),
    ],
)
def test_missing_documents_make_the_claim_pending_004_pril1(documents, missing):
    decision = decide({"claim.documents": documents})
    assert decision["outcome"] == "pending"
    assert decision["payable"] == "0.00"
    assert set(decision["missing_documents"]) == set(missing)
    assert decision["lines"][0]["outcome"] == "pending"
    assert decision["lines"][0]["payable"] == "0.00"


def test_bank_payment_order_replaces_fiscal_receipt_004_pril1_I1():
    decision = decide(
        {"claim.documents": ["claim-form", "ambulatory-sheet", "invoice", "payment-order"]}
    )
    assert (decision["outcome"], decision["payable"]) == ("approved", "64.00")


def test_dental_status_is_asked_with_the_first_dental_claim_004_pril1_IV1():
    decision = decide(
        {
            "cover": [{"package": 6, "option": "basic", "clause": "Б2"}],
            "claim.diagnosis": "K02.1",
            "claim.lines.0": line("6.2.a", "2026-03-10", "40.00"),
        }
    )
    assert (decision["outcome"], decision["missing_documents"]) == ("pending", ["dental-status"])


def test_no_documents_are_asked_for_a_refused_line_004_chl29_t2():
    decision = decide({"claim.diagnosis": "L70.0", "claim.documents": []})
    assert (decision["outcome"], decision["missing_documents"]) == ("rejected", [])


def test_subscription_claims_need_no_member_documents_004_pril1():
    decision = decide(
        {"claim.form": "subscription", "claim.lines.0.service": "2.1.b", "claim.documents": []}
    )
    assert (decision["outcome"], decision["payable"]) == ("approved", "80.00")
