"""Building health claim scenarios for the table-driven engine tests: the base scenario of
``fixtures/health-claim.json`` (2.1.a specialist exam, 80.00 EUR, package 2 Пълна, clause Б1,
reimbursement form) against the small test product in ``fixtures/products``."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from zdrave.engine.adjudication import run_scenario
from zdrave.engine.terms.loader import load_catalog

FIXTURES = Path(__file__).parent / "fixtures"
CATALOG = load_catalog(FIXTURES / "products")
BASE = json.loads((FIXTURES / "health-claim.json").read_text(encoding="utf-8"))
DOCS = ["claim-form", "ambulatory-sheet", "invoice", "fiscal-receipt"]


def build(changes: dict[str, Any]) -> dict[str, Any]:
    """The base scenario with dotted-path changes: ``{"cover.0.option": "basic"}``."""
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            index = int(last)
            if index == len(node):
                node.append(value)
            else:
                node[index] = value
        else:
            node[last] = value
    return data


def history(
    service: str,
    date: str,
    paid: str,
    *,
    form: str = "reimbursement",
    diagnosis: str = "J06.9",
    quantity: int = 1,
) -> dict[str, Any]:
    return {
        "date": date,
        "service": service,
        "form": form,
        "diagnosis": diagnosis,
        "quantity": quantity,
        "paid": paid,
    }


def line(service: str, date: str, amount: str, **extra: Any) -> dict[str, Any]:
    return {
        "service": service,
        "date": date,
        "quantity": 1,
        "amount": amount,
        "currency": "EUR",
        "nhif_paid": "0.00",
        "other_insurer_paid": "0.00",
        **extra,
    }


def decide(changes: dict[str, Any]) -> dict[str, Any]:
    return run_scenario(build(changes), CATALOG)


PACKAGE_5_FULL_B2 = [{"package": 5, "option": "full", "clause": "Б2"}]
MEDICINE_DOCS = ["claim-form", "ambulatory-sheet", "prescription", "invoice", "fiscal-receipt"]
