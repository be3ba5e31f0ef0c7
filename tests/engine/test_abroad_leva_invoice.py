"""Best Doctors: a leva (BGN) invoice dated from the euro changeover (2026-01-01) is a document
that asks for a correct one in euro — the claim waits (``pending``, ``invoice`` missing, reason
``bgn-after-euro`` citing the clause that names the claim's documents: 001 т.65.1 / 003 т.62.1
for medicines, else the benefit's own clause), as the health engine does under 004 Чл.29 т.2.
Leva before the changeover are converted at 1.95583; an unknown currency stays an input error.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.test_abroad_adjudication import (
    DAILY_CASH,
    MEDICINES,
    TREATMENT,
    codes,
    decide,
    scenario,
    with_,
)
from zdrave.engine.scenario import ScenarioError

# 1760.25 лв = 900.00 € (the MEDICINES line's amount) at 1.95583.
LEVA_MEDICINES = with_(MEDICINES, amount="1760.25", currency="BGN")
LEVA_TREATMENT = with_(TREATMENT, amount="166245.55", currency="BGN")  # 85 000.00 €
V2015_CONTRACT = {"start": "2017-01-01", "end": "2036-12-31"}


def _reason(line: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in line["reasons"] if r["code"] == code)


@pytest.mark.parametrize(
    ("data", "eligible", "clause"),
    [
        pytest.param(scenario(LEVA_MEDICINES), "900.00", "001 т.65.1", id="001-t65-1-medicines"),
        pytest.param(
            scenario(
                LEVA_MEDICINES,
                version="2015-10-01",
                contract=V2015_CONTRACT,
                insured={"covered_from": "2017-01-01"},
            ),
            "900.00",
            "003 т.62.1",
            id="003-t62-1-medicines",
        ),
        pytest.param(
            scenario(LEVA_TREATMENT), "85000.00", "001 VIII-2-Б т.48", id="001-t48-treatment"
        ),
    ],
)
def test_leva_invoice_after_changeover_waits_for_a_euro_invoice(
    data: dict[str, Any], eligible: str, clause: str
) -> None:
    decision = decide(data)

    assert decision["outcome"] == "pending"
    assert decision["payable"] == "0.00"
    assert decision["missing_documents"] == ["invoice"]
    line = decision["lines"][0]
    assert (line["outcome"], line["eligible"], line["payable"]) == ("pending", eligible, "0.00")
    reason = _reason(line, "bgn-after-euro")
    assert reason["clause"] == clause
    assert "send a correct invoice in euro" in reason["message"]
    assert "not refused" in reason["message"]


def test_001_t65_1_an_invoice_given_in_leva_is_still_asked_for_in_euro() -> None:
    documents = ["prescription", "invoice", "fiscal-receipt"]

    decision = decide(scenario(LEVA_MEDICINES, claim={"documents": documents}))

    assert decision["outcome"] == "pending"
    assert decision["missing_documents"] == ["invoice"]
    assert codes(decision["lines"][0]) == {"bgn-after-euro"}


def test_001_t65_1_leva_line_waits_and_the_euro_line_beside_it_is_paid() -> None:
    decision = decide(scenario(LEVA_MEDICINES, TREATMENT))

    assert decision["outcome"] == "pending"
    assert [line["outcome"] for line in decision["lines"]] == ["pending", "approved"]
    assert [line["payable"] for line in decision["lines"]] == ["0.00", "85000.00"]
    assert decision["payable"] == "85000.00"
    assert decision["missing_documents"] == ["invoice"]


def test_001_t65_1_missing_documents_and_a_leva_invoice_list_each_document_once() -> None:
    decision = decide(scenario(LEVA_MEDICINES, claim={"documents": ["fiscal-receipt"]}))

    assert decision["missing_documents"] == ["prescription", "invoice"]
    assert codes(decision["lines"][0]) == {"documents-missing", "bgn-after-euro"}


# A claim of late 2025: the treatment line's invoice date is its purchase (default: its date).
CLAIM_2025 = {
    "notified": "2025-10-10",
    "first_symptoms": "2025-10-01",
    "precertificate": {"issued": "2025-11-01", "hospital": "H1"},
    "returned_home": "2026-01-20",
}


@pytest.mark.parametrize(
    ("purchased", "outcome", "payable"),
    [
        pytest.param("2025-12-31", "approved", "1000.00", id="leva-on-2025-12-31-converted"),
        pytest.param("2026-01-01", "pending", "0.00", id="leva-on-2026-01-01-waits"),
    ],
)
def test_the_changeover_day_is_the_first_that_asks_for_euro(
    purchased: str, outcome: str, payable: str
) -> None:
    line = with_(TREATMENT, date="2026-01-02", purchased=purchased, amount="1955.83")

    decision = decide(scenario(with_(line, currency="BGN"), claim=CLAIM_2025))

    assert (decision["outcome"], decision["payable"]) == (outcome, payable)


def test_001_t30_daily_cash_has_no_invoice_so_leva_hold_nothing() -> None:
    decision = decide(scenario(with_(DAILY_CASH, currency="BGN")))

    assert decision["outcome"] == "approved"
    assert decision["payable"] == "1200.00"


def test_an_unknown_currency_is_still_an_input_error_naming_the_field() -> None:
    with pytest.raises(ScenarioError) as error:
        decide(scenario(with_(MEDICINES, currency="USD")))

    assert error.value.field == "claim.lines[0].currency"
    assert "EUR, BGN" in str(error.value)
