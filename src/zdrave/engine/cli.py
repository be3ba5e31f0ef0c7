"""``zdrave underwrite FILE|-`` and ``zdrave adjudicate FILE|-``: one scenario in, one decision out.

The scenario is JSON (``docs/scenarios.md``) read from FILE or, for ``-``, standard
input. The decision is printed as JSON (UTF-8, indented) and the exit status is 0. A malformed
scenario prints ``error: <field>: <message>`` on standard error and exits 2; product files that
do not load print their problems and exit 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from zdrave.engine.scenario import ScenarioError
from zdrave.engine.terms.loader import Catalog, TermsError, default_products_root, load_catalog

EXIT_OK = 0
EXIT_TERMS = 1
EXIT_USAGE = 2

_catalog: Catalog | None = None


def catalog() -> Catalog:
    """The product catalog, loaded once per process."""
    global _catalog
    if _catalog is None:
        _catalog = load_catalog(default_products_root())
    return _catalog


def _runner(command: str) -> Callable[[dict[str, Any], Catalog], dict[str, Any]]:
    if command == "underwrite":
        from zdrave.engine.underwriting import run_scenario as underwrite

        return underwrite
    from zdrave.engine.adjudication import run_scenario as adjudicate

    return adjudicate


def run(command: str, args: list[str]) -> int:
    if command not in ("underwrite", "adjudicate") or len(args) != 1:
        print(f"usage: zdrave {command} FILE|-", file=sys.stderr)
        return EXIT_USAGE
    try:
        data = _read(args[0])
    except ScenarioError as exc:
        print(f"error: {exc.field}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    try:
        products = catalog()
    except TermsError as exc:
        print(f"error: the product files do not load:\n{exc}", file=sys.stderr)
        return EXIT_TERMS
    try:
        decision = _runner(command)(data, products)
    except ScenarioError as exc:
        print(f"error: {exc.field}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(json.dumps(decision, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _read(source: str) -> Any:
    try:
        if source == "-":
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            with open(source, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        raise ScenarioError(source, f"cannot read the scenario: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ScenarioError(source, "the scenario is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            "(root)", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise ScenarioError("(root)", "the JSON is nested too deeply") from None
    except ValueError as exc:
        # Integers longer than Python's int/str conversion limit (4 300 digits).
        raise ScenarioError("(root)", f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ScenarioError("(root)", "a scenario is a JSON object")
    return data
