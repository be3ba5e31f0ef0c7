"""The precomputed indices of the health engine decide exactly what the plain rules decide.

The batch reads per-row plans, an ICD-10 category index and a compact usage instead of walking
the terms for every line (docs/decisions.md, "Adjudication speed"); these tests pin the places
where a shortcut could drift from the rule it stands for.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from zdrave.engine.adjudication.facts import DOCUMENT_KEYS, parse_health_case
from zdrave.engine.adjudication.health import adjudicate_health
from zdrave.engine.adjudication.health_decisions import HealthLineDecision
from zdrave.engine.adjudication.index import ALL_CATEGORIES, index_for
from zdrave.engine.adjudication.usage import Usage
from zdrave.engine.decisions import ClaimOutcome
from zdrave.engine.terms.common import icd10_matches
from zdrave.engine.terms.loader import default_products_root, load_catalog

HEALTH = load_catalog(default_products_root()).version("health")
INDEX = index_for(HEALTH)
BASE = json.loads(
    (Path(__file__).parent / "fixtures" / "health-claim.json").read_text(encoding="utf-8")
)


def _diagnoses_to_check() -> list[str]:
    """Every category with and without a subcode, and both ends of every pattern of the rules
    with their neighbours (where a range can be cut wrongly)."""
    codes = [c for category in ALL_CATEGORIES for c in (category, f"{category}.0", f"{category}.9")]
    rules = (*INDEX.icd_exclusions, *INDEX.icd_waiting, *INDEX.icd_claim_types)
    for pattern in {p for rule in rules for p in rule.match.icd10}:
        for end in pattern.split("-"):
            codes += [end, f"{end}.0", f"{end}9", f"{end[:3]}.99"]
    return sorted(set(codes))


def _full_scan(diagnosis: str, rules) -> tuple:
    return tuple(r for r in rules if any(icd10_matches(diagnosis, p) for p in r.match.icd10))


def test_004_chl21_chl19_icd10_category_index_finds_what_a_full_scan_finds():
    for diagnosis in _diagnoses_to_check():
        exclusions, waiting, claim_types = INDEX.by_diagnosis(diagnosis)
        assert exclusions == _full_scan(diagnosis, INDEX.icd_exclusions), diagnosis
        assert waiting == _full_scan(diagnosis, INDEX.icd_waiting), diagnosis
        assert claim_types == _full_scan(diagnosis, INDEX.icd_claim_types), diagnosis


def test_004_chl21_acne_is_excluded_through_the_category_index():
    exclusions, _waiting, _types = INDEX.by_diagnosis("L70.0")
    assert [r.code for r in exclusions] == ["acne-skin"]


@pytest.mark.parametrize(
    ("start", "day", "year"),
    [
        (dt.date(2026, 1, 15), dt.date(2026, 1, 15), 0),
        (dt.date(2026, 1, 15), dt.date(2027, 1, 14), 0),
        (dt.date(2026, 1, 15), dt.date(2027, 1, 15), 1),
        (dt.date(2026, 1, 15), dt.date(2026, 1, 14), -1),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), 0),
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), 1),
        (dt.date(2024, 2, 29), dt.date(2028, 2, 29), 4),
    ],
    ids=[
        "002-II-first-day",
        "002-II-last-day-of-year-0",
        "002-II-anniversary",
        "002-II-before-start",
        "002-II-29-february-start-28-february",
        "002-II-29-february-start-1-march",
        "002-II-29-february-start-leap-anniversary",
    ],
)
def test_002_ii_insurance_year_counts_from_the_contract_start(start, day, year):
    assert Usage(start).year_of(day) == year


def _dental_case(form: str, documents: list[str]):
    data = copy.deepcopy(BASE)
    data["cover"] = [
        {"package": 2, "option": "full", "clause": "Б1"},
        {"package": 6, "option": "full", "clause": "Б1"},
    ]
    data["claim"].update(
        form=form,
        diagnosis="K02.1",
        documents=documents,
        lines=[{"service": "6.2.a", "date": "2026-03-10", "amount": "40.00", "currency": "EUR"}],
    )
    return parse_health_case(
        data, INDEX.require_service, INDEX.packages, DOCUMENT_KEYS | INDEX.document_keys
    )


def test_002_vi_bel_a_pending_dental_claim_does_not_use_up_its_form():
    usage = Usage(dt.date(2026, 1, 1))
    pending = adjudicate_health(_dental_case("reimbursement", ["claim-form"]), INDEX, usage)
    assert pending.outcome is ClaimOutcome.PENDING
    assert not usage.form_used(6, "reimbursement")

    later = adjudicate_health(_dental_case("subscription", []), INDEX, usage)

    assert later.outcome is ClaimOutcome.APPROVED
    assert later.payable == Decimal("40.00")
    assert usage.form_used(6, "subscription")
    assert not usage.form_used(6, "reimbursement")


def test_002_vi_bel_a_paid_dental_claim_closes_the_other_form():
    usage = Usage(dt.date(2026, 1, 1))
    adjudicate_health(_dental_case("subscription", []), INDEX, usage)

    later = adjudicate_health(_dental_case("reimbursement", ["claim-form"]), INDEX, usage)

    assert later.outcome is ClaimOutcome.REJECTED
    assert [r.code for r in later.lines[0].reasons] == ["dental-single-form"]
    assert later.lines[0].reasons[0].clause == "002 VI бел.*"


def test_a_line_decision_built_by_its_fast_constructor_is_a_frozen_dataclass():
    zero = Decimal("0.00")
    decision = HealthLineDecision(
        0, ClaimOutcome.APPROVED, Decimal("80.00"), Decimal("80.00"), zero, Decimal("80.00")
    )
    assert decision == dataclasses.replace(decision)
    assert decision.reasons == ()
    assert decision.quantity == 0
    assert decision.to_json()["payable"] == "80.00"
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.payable = zero  # type: ignore[misc]
