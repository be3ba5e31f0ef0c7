"""Claim adjudication: one scenario of ``zdrave adjudicate`` in, its decision's JSON out.

``run_scenario`` picks the product's terms and dispatches: ``health`` to the health engine here,
``best-doctors`` to ``zdrave.engine.adjudication.abroad`` (imported only when needed).
"""

from __future__ import annotations

from typing import Any

from zdrave.engine.scenario import ScenarioError, get, get_date
from zdrave.engine.terms.loader import Catalog
from zdrave.engine.terms.product import ProductVersion

PRODUCTS = ("health", "best-doctors")


def run_scenario(data: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ScenarioError("(root)", "a scenario is a JSON object")
    product = get(data, "", "product")
    if product not in PRODUCTS:
        raise ScenarioError(
            "product",
            f"cannot adjudicate product {product!r}; expected one of {', '.join(PRODUCTS)}",
        )
    if product == "best-doctors":
        from zdrave.engine.adjudication import abroad

        return abroad.run_scenario(data, catalog)
    from zdrave.engine.adjudication.health import run_health_scenario

    return run_health_scenario(data, select_version(data, catalog))


def select_version(data: dict[str, Any], catalog: Catalog) -> ProductVersion:
    """The terms the scenario names by ``version``, else those in force on ``contract.start``."""
    product = get(data, "", "product")
    if product not in catalog.versions:
        raise ScenarioError("product", f"unknown product {product!r}")
    wanted = get(data, "", "version", required=False)
    if wanted is not None:
        if not isinstance(wanted, str):
            raise ScenarioError("version", "expected a date YYYY-MM-DD")
        try:
            return catalog.version(product, wanted)
        except KeyError as exc:
            raise ScenarioError("version", str(exc.args[0])) from None
    start = get_date(get(data, "", "contract"), "contract", "start")
    try:
        return catalog.version(product, on=start)
    except KeyError as exc:
        raise ScenarioError("contract.start", str(exc.args[0])) from None
