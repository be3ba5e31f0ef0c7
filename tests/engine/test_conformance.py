"""Every conformance pair in ``tests/engine/scenarios`` through the real ``zdrave`` command.

The comparison is the one ``docs/scenarios.md`` describes: objects by key subset, money
strings as decimals, ``lines`` by position with as many lines as the scenario, ``persons`` by id,
``missing_documents`` as a set, and ``reasons`` where each expected reason matches some actual
reason (an expected ``clause`` matches any clause starting with it).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from zdrave.engine.adjudication import run_scenario as run_claim
from zdrave.engine.terms.loader import Catalog, default_products_root, load_catalog
from zdrave.engine.underwriting import run_scenario as run_application

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
# The project's own examples, in the same format with the extensions of
# docs/scenarios-extensions.md (issue 15).
OWN_SCENARIOS = Path(__file__).parent / "fixtures" / "scenarios"
MONEY_RE = re.compile(r"^-?\d+(\.\d+)?$")


def pairs(folder: Path = SCENARIOS) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".expected.json"))


def zdrave_command() -> list[str]:
    script = Path(sys.executable).with_name("zdrave")
    return [str(script)] if script.exists() else [sys.executable, "-m", "zdrave.cli"]


def run_zdrave(command: str, scenario: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ZDRAVE_PRODUCTS"}
    return subprocess.run(
        [*zdrave_command(), command, str(scenario)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


# ---- the comparison of scenarios/README.md ---------------------------------------------------


def mismatches(
    expected: Any, actual: Any, path: str = "", scenario: dict | None = None
) -> list[str]:
    """Every way ``actual`` fails ``expected``; empty when it matches."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '(root)'}: expected an object, got {actual!r}"]
        found: list[str] = []
        for key, want in expected.items():
            where = f"{path}.{key}" if path else key
            if key not in actual:
                found.append(f"{where}: missing from the decision")
            elif key == "lines":
                found += _lines(want, actual[key], where, scenario)
            elif key == "persons":
                found += _persons(want, actual[key], where)
            elif key == "missing_documents":
                if set(want) != set(actual[key]) or len(actual[key]) != len(set(actual[key])):
                    found.append(f"{where}: expected the set {sorted(want)}, got {actual[key]}")
            elif key == "reasons":
                found += _reasons(want, actual[key], where)
            else:
                found += mismatches(want, actual[key], where, scenario)
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {expected!r}, got {actual!r}"]
        return [
            m
            for i, (w, a) in enumerate(zip(expected, actual, strict=True))
            for m in mismatches(w, a, f"{path}[{i}]", scenario)
        ]
    if _is_money(expected) and _is_money(actual):
        return (
            []
            if Decimal(expected) == Decimal(actual)
            else [f"{path}: expected {expected}, got {actual}"]
        )
    return (
        []
        if expected == actual and type(expected) is type(actual)
        else [f"{path}: expected {expected!r}, got {actual!r}"]
    )


def _is_money(value: Any) -> bool:
    return isinstance(value, str) and bool(MONEY_RE.match(value))


def _lines(expected: list, actual: Any, path: str, scenario: dict | None) -> list[str]:
    if not isinstance(actual, list):
        return [f"{path}: expected a list of lines, got {actual!r}"]
    found = []
    wanted = len(scenario["claim"]["lines"]) if scenario and "claim" in scenario else len(expected)
    if len(actual) != wanted:
        found.append(f"{path}: the scenario has {wanted} line(s), the decision {len(actual)}")
    if len(expected) > len(actual):
        return [*found, f"{path}: expected {len(expected)} line(s), got {len(actual)}"]
    for i, want in enumerate(expected):
        found += mismatches(want, actual[i], f"{path}[{i}]", scenario)
    return found


def _persons(expected: list, actual: Any, path: str) -> list[str]:
    by_id = {p.get("id"): p for p in actual} if isinstance(actual, list) else {}
    found = []
    for want in expected:
        got = by_id.get(want.get("id"))
        if got is None:
            found.append(f"{path}: no person with id {want.get('id')!r}")
        else:
            found += mismatches(want, got, f"{path}[id={want.get('id')}]")
    return found


def _reasons(expected: list, actual: Any, path: str) -> list[str]:
    if not isinstance(actual, list):
        return [f"{path}: expected a list of reasons, got {actual!r}"]
    return [
        f"{path}: no reason matches {want!r} among {actual!r}"
        for want in expected
        if not any(_reason_matches(want, got) for got in actual)
    ]


def _reason_matches(expected: dict, actual: Any) -> bool:
    if not isinstance(actual, dict):
        return False
    for key, want in expected.items():
        got = actual.get(key)
        if key == "clause":
            if not (isinstance(got, str) and got.startswith(want)):
                return False
        elif mismatches(want, got):
            return False
    return True


# ---- the pairs -------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", pairs(), ids=lambda p: p.stem)
def test_scenario_through_the_zdrave_command(scenario: Path):
    data = json.loads(scenario.read_text(encoding="utf-8"))
    expected = json.loads(
        scenario.with_name(scenario.stem + ".expected.json").read_text(encoding="utf-8")
    )
    command = "adjudicate" if "claim" in data else "underwrite"
    result = run_zdrave(command, scenario)
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert mismatches(expected, decision, scenario=data) == []


@pytest.mark.parametrize("scenario", pairs(OWN_SCENARIOS), ids=lambda p: p.stem)
def test_own_scenario(scenario: Path):
    """In process, to keep the suite fast: the command itself is run by the shared pairs and by
    ``test_one_own_scenario_through_the_zdrave_command``."""
    data = json.loads(scenario.read_text(encoding="utf-8"))
    expected = json.loads(
        scenario.with_name(scenario.stem + ".expected.json").read_text(encoding="utf-8")
    )
    decide = run_claim if "claim" in data else run_application
    decision = json.loads(json.dumps(decide(data, own_catalog())))
    assert mismatches(expected, decision, scenario=data) == []


def test_one_own_scenario_through_the_zdrave_command():
    test_scenario_through_the_zdrave_command(
        OWN_SCENARIOS / "health-004-chl25-t6-instalments-fall-due-claim-waits.json"
    )


@cache
def own_catalog() -> Catalog:
    return load_catalog(default_products_root())


def test_own_pairs_are_complete():
    names = {p.stem for p in pairs(OWN_SCENARIOS)}
    assert len(names) >= 18
    for name in names:
        assert (OWN_SCENARIOS / f"{name}.expected.json").is_file(), name


def test_there_are_pairs_to_run():
    names = {p.stem for p in pairs()}
    assert {"health-specialist-exam-copay", "underwrite-family-students"} <= names


# ---- the comparison itself can fail ----------------------------------------------------------

DECISION = {
    "outcome": "approved",
    "payable": "64.00",
    "lines": [
        {
            "index": 0,
            "outcome": "approved",
            "copay": "16.00",
            "payable": "64.00",
            "reasons": [{"code": "copayment", "clause": "002 II.Б т.3", "message": "…"}],
        }
    ],
    "missing_documents": ["invoice", "ambulatory-sheet"],
    "persons": [{"id": "p2", "decision": "decline"}, {"id": "p1", "decision": "accept"}],
}
ONE_LINE = {"claim": {"lines": [{}]}}


@pytest.mark.parametrize(
    ("expected", "ok"),
    [
        pytest.param({"payable": "64.0"}, True, id="money-as-decimal"),
        pytest.param({"payable": "64.01"}, False, id="money-differs"),
        pytest.param({"outcome": "partial"}, False, id="scalar-differs"),
        pytest.param({"currency": "EUR"}, False, id="key-missing-from-decision"),
        pytest.param(
            {"missing_documents": ["ambulatory-sheet", "invoice"]}, True, id="documents-as-set"
        ),
        pytest.param({"missing_documents": ["invoice"]}, False, id="documents-set-differs"),
        pytest.param({"persons": [{"id": "p1", "decision": "accept"}]}, True, id="persons-by-id"),
        pytest.param(
            {"persons": [{"id": "p2", "decision": "accept"}]}, False, id="persons-by-id-differs"
        ),
        pytest.param({"lines": [{"reasons": [{"clause": "002"}]}]}, True, id="clause-by-prefix"),
        pytest.param(
            {"lines": [{"reasons": [{"clause": "004"}]}]}, False, id="clause-prefix-differs"
        ),
        pytest.param({"lines": [{"reasons": [{"code": "copayment"}]}]}, True, id="reason-by-code"),
        pytest.param({"lines": [{"index": 0}, {"index": 1}]}, False, id="more-lines-expected"),
    ],
)
def test_comparison_follows_scenarios_readme(expected, ok):
    assert (mismatches(expected, DECISION, scenario=ONE_LINE) == []) is ok


def test_decision_must_have_as_many_lines_as_the_scenario():
    two_lines = {"claim": {"lines": [{}, {}]}}
    assert mismatches({"lines": [{"index": 0}]}, DECISION, scenario=two_lines) != []
