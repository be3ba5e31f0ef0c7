"""Every reason code the health adjudication can emit is explained in docs/reason-codes.md."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from zdrave.engine.adjudication import run_scenario
from zdrave.engine.adjudication.index import index_for
from zdrave.engine.adjudication.reasons import EXCLUDED_PREFIX, REASON_CODES
from zdrave.engine.terms.common import CITATION_RE
from zdrave.engine.terms.loader import default_products_root, load_catalog

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "reason-codes.md").read_text(encoding="utf-8")
LISTED = set(re.findall(r"^\| `([a-z0-9-]+)` \|", DOC, flags=re.MULTILINE))
CATALOG = load_catalog(default_products_root())
HEALTH = CATALOG.version("health")
BASE = json.loads(
    (Path(__file__).parent / "fixtures" / "health-claim.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("code", sorted(REASON_CODES))
def test_every_engine_code_is_documented(code):
    assert code in LISTED


@pytest.mark.parametrize("code", sorted(REASON_CODES))
def test_every_engine_code_has_a_clause_and_both_languages(code):
    entry = REASON_CODES[code]
    assert CITATION_RE.match(entry.clause), entry.clause
    assert entry.bg.strip()
    assert entry.en.strip()


def test_every_exclusion_of_004_chl21_is_documented():
    missing = [e.code for e in HEALTH.rules.exclusions if EXCLUDED_PREFIX + e.code not in LISTED]
    assert missing == []


def test_a_sweep_of_the_real_product_emits_only_documented_codes():
    """Every service of every package (clause Б1 where offered, else A), both forms, with an everyday,
    an excluded and a pregnancy diagnosis: each reason's code is on the page."""
    emitted: set[str] = set()
    covers = [
        {"package": p.number, "option": p.options[-1].value, "clause": _b1_or_a(p)}
        for p in HEALTH.packages
    ]
    for code in index_for(HEALTH).services:
        for form in ("reimbursement", "subscription"):
            for diagnosis in ("J06.9", "L70.0", "Z34.0"):
                data = copy.deepcopy(BASE)
                data["cover"] = covers
                data["claim"]["form"] = form
                data["claim"]["diagnosis"] = diagnosis
                data["claim"]["lines"][0]["service"] = code
                decision = run_scenario(data, CATALOG)
                emitted |= {r["code"] for line in decision["lines"] for r in line["reasons"]}
                emitted |= {r["code"] for r in decision["reasons"]}
    assert emitted - LISTED == set()
    assert {"copayment", "excluded-acne-skin", "waiting-period"} <= emitted


def _b1_or_a(package) -> str:
    clauses = [c.value for c in package.clauses]
    return "Б1" if "Б1" in clauses else clauses[0]
