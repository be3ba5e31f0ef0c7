"""A malformed claim scenario is refused with the field's JSON path and the rule it breaks."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from zdrave.engine.adjudication import run_scenario
from zdrave.engine.scenario import ScenarioError
from zdrave.engine.terms.loader import load_catalog

FIXTURES = Path(__file__).parent / "fixtures"
CATALOG = load_catalog(FIXTURES / "products")
BASE = json.loads((FIXTURES / "health-claim.json").read_text(encoding="utf-8"))


def with_change(section: str, key: str, value: object) -> dict:
    data = copy.deepcopy(BASE)
    node = data
    for part in section.split(".") if section else []:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is KeyError:
        del node[key]
    else:
        node[key] = value
    return data


ERRORS = {
    "unknown-product": ("", "product", "travel", "product", "travel"),
    "unknown-version": ("", "version", "2020-01-01", "version", "2020-01-01"),
    "missing-contract": ("", "contract", KeyError, "contract", "required"),
    "bad-contract-start": ("contract", "start", "2026-13-01", "contract.start", "YYYY-MM-DD"),
    "end-before-start": ("contract", "end", "2025-06-30", "contract.end", "before contract.start"),
    "unknown-package": ("cover.0", "package", 9, "cover[0].package", "no package 9"),
    "option-not-offered": ("cover.0", "option", "platinum", "cover[0].option", "must be one of"),
    "002-III-has-no-minimal-option": (
        "",
        "cover",
        [{"package": 3, "option": "minimal", "clause": "A"}],
        "cover[0].option",
        "no option 'minimal'",
    ),
    "unknown-clause": ("cover.0", "clause", "B3", "cover[0].clause", "must be one of"),
    "unknown-service": (
        "claim.lines.0",
        "service",
        "2.99",
        "claim.lines[0].service",
        "unknown service code",
    ),
    "heading-is-not-claimable": (
        "claim.lines.0",
        "service",
        "2.1",
        "claim.lines[0].service",
        "heading",
    ),
    "negative-amount": (
        "claim.lines.0",
        "amount",
        "-5.00",
        "claim.lines[0].amount",
        "non-negative",
    ),
    "amount-not-a-number": (
        "claim.lines.0",
        "amount",
        "eighty",
        "claim.lines[0].amount",
        "not an amount",
    ),
    "unknown-currency": (
        "claim.lines.0",
        "currency",
        "USD",
        "claim.lines[0].currency",
        "must be one of",
    ),
    "zero-quantity": ("claim.lines.0", "quantity", 0, "claim.lines[0].quantity", "at least 1"),
    "bad-diagnosis": ("claim", "diagnosis", "acne", "claim.diagnosis", "ICD-10"),
    "unknown-form": ("claim", "form", "cash", "claim.form", "must be one of"),
    "unknown-document": (
        "claim",
        "documents",
        ["claim-form", "selfie"],
        "claim.documents[1]",
        "unknown document",
    ),
    "unknown-circumstance": (
        "claim",
        "circumstances",
        ["bungee"],
        "claim.circumstances[0]",
        "unknown circumstance",
    ),
    "no-lines": ("claim", "lines", [], "claim.lines", "at least one line"),
    "history-without-paid": (
        "",
        "history",
        [{"date": "2026-02-01", "service": "2.1.a"}],
        "history[0].paid",
        "required",
    ),
}


@pytest.mark.parametrize(
    ("section", "key", "value", "field", "words"), ERRORS.values(), ids=ERRORS.keys()
)
def test_malformed_scenario_names_the_field(section, key, value, field, words):
    data = with_change(section, key, value)
    with pytest.raises(ScenarioError) as raised:
        run_scenario(data, CATALOG)
    assert raised.value.field == field
    assert words in raised.value.message
