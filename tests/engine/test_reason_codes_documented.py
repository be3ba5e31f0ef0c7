"""Members read the reasons: every code underwriting and Best Doctors adjudication can emit is
explained in docs/reason-codes.md (the health adjudication has its own, finer test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zdrave.engine.adjudication.abroad_reasons import EXCLUSION_PREFIX, REASONS
from zdrave.engine.terms.loader import default_products_root, load_catalog
from zdrave.engine.underwriting.reasons import CODES, declared_code

DOC = (Path(__file__).resolve().parents[2] / "docs" / "reason-codes.md").read_text(encoding="utf-8")
LISTED = set(re.findall(r"^\| `([a-z0-9-]+)` \|", DOC, flags=re.MULTILINE))
CATALOG = load_catalog(default_products_root())


def _declared_codes() -> set[str]:
    return {
        declared_code(q.key)
        for v in CATALOG.all_versions()
        if v.underwriting is not None and v.underwriting.declaration is not None
        for q in v.underwriting.declaration.questions
    }


def _abroad_exclusion_codes() -> set[str]:
    return {
        EXCLUSION_PREFIX + e.code
        for v in CATALOG.versions["best-doctors"]
        for e in v.abroad.exclusions
    }


@pytest.mark.parametrize("code", sorted(c.code for c in CODES))
def test_every_underwriting_code_is_documented(code):
    assert code in LISTED


@pytest.mark.parametrize("code", sorted(_declared_codes()))
def test_every_declaration_answer_code_of_004_chl9_001_003_is_documented(code):
    assert code in LISTED


@pytest.mark.parametrize("code", sorted(REASONS))
def test_every_best_doctors_code_is_documented(code):
    assert code in LISTED


@pytest.mark.parametrize("code", sorted(_abroad_exclusion_codes()))
def test_every_best_doctors_exclusion_of_section_iv_is_documented(code):
    assert code in LISTED


def test_every_documented_clause_names_a_seed():
    clauses = re.findall(r"^\| `[a-z0-9-]+` \| `([^`]+)` \|", DOC, flags=re.MULTILINE)
    assert clauses
    assert [c for c in clauses if not re.match(r"^00[0-4] ", c)] == []
