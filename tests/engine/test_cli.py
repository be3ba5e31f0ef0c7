"""``zdrave adjudicate`` / ``zdrave underwrite`` as a user runs them: a file or standard input in,
JSON out with exit 0; a malformed scenario gives ``error: <field>: <message>`` and exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SCENARIO = FIXTURES / "health-claim.json"


def zdrave(*args: str, stdin: str | None = None, products: Path | None = FIXTURES / "products"):
    script = Path(sys.executable).with_name("zdrave")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "zdrave.cli"]
    env = dict(os.environ)
    if products is not None:
        env["ZDRAVE_PRODUCTS"] = str(products)
    return subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def test_adjudicate_a_file_prints_the_decision():
    result = zdrave("adjudicate", str(SCENARIO))
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert (decision["outcome"], decision["currency"], decision["payable"]) == (
        "approved",
        "EUR",
        "64.00",
    )


def test_adjudicate_reads_standard_input_with_a_dash():
    result = zdrave("adjudicate", "-", stdin=SCENARIO.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["payable"] == "64.00"


def test_output_is_indented_utf8_not_escaped():
    result = zdrave("adjudicate", str(SCENARIO))
    assert '"clause": "002 II.Б т.3"' in result.stdout
    assert "\\u" not in result.stdout
    assert result.stdout.startswith("{\n  ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("{not json", "error: (root): not valid JSON", id="bad-json"),
        pytest.param("[1, 2]", "error: (root): a scenario is a JSON object", id="not-an-object"),
        pytest.param(
            json.dumps({"product": "health"}), "error: contract: is required", id="missing-contract"
        ),
    ],
)
def test_malformed_scenario_exits_2_naming_the_field(text, message):
    result = zdrave("adjudicate", "-", stdin=text)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)


def test_unknown_service_code_exits_2():
    data = json.loads(SCENARIO.read_text(encoding="utf-8"))
    data["claim"]["lines"][0]["service"] = "9.9"
    result = zdrave("adjudicate", "-", stdin=json.dumps(data))
    assert result.returncode == 2
    assert result.stderr.startswith("error: claim.lines[0].service: unknown service code '9.9'")


def test_missing_file_exits_2(tmp_path):
    result = zdrave("adjudicate", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "cannot read the scenario" in result.stderr


def test_underwrite_refuses_bad_json_too():
    result = zdrave("underwrite", "-", stdin="{")
    assert result.returncode == 2
    assert result.stderr.startswith("error: (root): not valid JSON")


def test_without_a_file_prints_usage_and_exits_2():
    result = zdrave("adjudicate")
    assert result.returncode == 2
    assert "usage: zdrave adjudicate FILE|-" in result.stderr


def test_product_files_that_do_not_load_exit_1(tmp_path):
    broken = tmp_path / "products" / "health" / "2022-11-01"
    broken.mkdir(parents=True)
    (broken / "product.yaml").write_text("product: [", encoding="utf-8")
    result = zdrave("adjudicate", str(SCENARIO), products=tmp_path / "products")
    assert result.returncode == 1
    assert "malformed YAML" in result.stderr


def _scenario_with(change) -> str:
    data = json.loads(SCENARIO.read_text(encoding="utf-8"))
    change(data)
    return json.dumps(data)


def _set_amount(value):
    def change(data):
        data["claim"]["lines"][0]["amount"] = value

    return change


def _set_birth(value):
    def change(data):
        data["insured"]["birth_date"] = value

    return change


def _set_line_date(value):
    def change(data):
        data["claim"]["lines"][0]["date"] = value

    return change


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "[" * 100_000 + "]" * 100_000,
            "error: (root): the JSON is nested too deeply",
            id="deeply-nested-json",
        ),
        pytest.param(
            '{"contract": ' + "9" * 5000 + "}",
            "error: (root): not valid JSON",
            id="5000-digit-integer",
        ),
        pytest.param(
            _scenario_with(_set_amount("1e400")),
            "error: claim.lines[0].amount: must be at most 1000000000",
            id="amount-1e400",
        ),
        pytest.param(
            _scenario_with(_set_amount("9" * 5000)),
            "error: claim.lines[0].amount: an amount has at most 32 characters",
            id="amount-5000-digits",
        ),
        pytest.param(
            _scenario_with(_set_amount(10**30)),
            "error: claim.lines[0].amount: must be at most 1000000000",
            id="amount-huge-number",
        ),
        pytest.param(
            _scenario_with(_set_line_date("9999-12-31")),
            "error: claim.lines[0].date: must be between 1900-01-01 and 2100-12-31",
            id="date-9999",
        ),
        pytest.param(
            _scenario_with(_set_birth("0001-01-01")),
            "error: insured.birth_date: must be between 1900-01-01 and 2100-12-31",
            id="birth-year-1",
        ),
        pytest.param(
            _scenario_with(_set_birth("2026-03-15")),
            "error: insured.birth_date: 2026-03-15 is after claim.lines[0].date (2026-03-10)",
            id="born-after-the-service",
        ),
    ],
)
def test_hostile_scenario_exits_2_naming_the_field_without_a_traceback(text, message):
    result = zdrave("adjudicate", "-", stdin=text)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr
