"""The project's own Best Doctors conformance examples (``fixtures/scenarios/best-doctors-*``),
one per rule of issue 15, through the real ``zdrave`` command and compared as
``docs/scenarios.md`` says. The extensions of the input they use are described in
docs/scenarios-extensions-best-doctors.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.test_conformance import mismatches, run_zdrave

EXAMPLES = Path(__file__).resolve().parent / "fixtures" / "scenarios"


def examples() -> list[Path]:
    return sorted(
        p for p in EXAMPLES.glob("best-doctors-*.json") if not p.name.endswith(".expected.json")
    )


@pytest.mark.parametrize("scenario", examples(), ids=lambda p: p.stem)
def test_best_doctors_example_through_the_zdrave_command(scenario: Path) -> None:
    data = json.loads(scenario.read_text(encoding="utf-8"))
    expected = json.loads(
        scenario.with_name(scenario.stem + ".expected.json").read_text(encoding="utf-8")
    )

    result = run_zdrave("adjudicate", scenario)

    assert result.returncode == 0, result.stderr
    assert mismatches(expected, json.loads(result.stdout), scenario=data) == []


def test_every_new_best_doctors_rule_has_an_example() -> None:
    names = {p.stem for p in examples()}
    for clause in ("t73-2", "t64-5", "t65", "t65-1", "t22", "t40", "t53", "t10-13", "t30", "t74"):
        assert any(clause in name for name in names), clause


def test_a_malformed_extension_exits_2_naming_the_field(tmp_path: Path) -> None:
    data = json.loads((EXAMPLES / "best-doctors-2019-t74-reassessment.json").read_text("utf-8"))
    data["claim"]["reassessments"][0]["confirmed"] = "01.03.2027"
    scenario = tmp_path / "bad.json"
    scenario.write_text(json.dumps(data), encoding="utf-8")

    result = run_zdrave("adjudicate", scenario)

    assert result.returncode == 2
    assert "claim.reassessments[0].confirmed" in result.stderr
    assert "Traceback" not in result.stderr
