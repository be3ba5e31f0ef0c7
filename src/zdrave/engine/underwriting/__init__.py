"""Underwriting: who may be insured (004 Чл.1, 6-10, 12, 23, 24 for ``health``; 001 / 003
sections II, V, VI for ``best-doctors``). Pure: terms and an application in, a decision out.

``run_scenario`` reads one ``zdrave underwrite`` scenario (``docs/scenarios.md``),
picks the terms (``version``, else the version in force on ``contract.start``) and returns the
decision's JSON form. A malformed scenario raises ``ScenarioError`` naming the field.
"""

from __future__ import annotations

from typing import Any

from zdrave.engine.decisions import ApplicationDecision
from zdrave.engine.scenario import ScenarioError
from zdrave.engine.terms.loader import Catalog
from zdrave.engine.terms.product import ProductVersion
from zdrave.engine.terms.underwriting import Underwriting
from zdrave.engine.underwriting.decide import age_years, decide
from zdrave.engine.underwriting.facts import Application, read_application

__all__ = ["age_years", "decide", "read_application", "run_scenario", "terms_for"]


def run_scenario(data: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    app = read_application(data)
    decision: ApplicationDecision = decide(app, terms_for(app, catalog).underwriting)  # type: ignore[arg-type]
    return decision.to_json()


def terms_for(app: Application, catalog: Catalog) -> ProductVersion:
    """The product version whose underwriting applies: the one named by ``version``, else the
    one in force on the contract start."""
    if app.product not in catalog.versions:
        known = ", ".join(catalog.products())
        raise ScenarioError("product", f"unknown product {app.product!r}; expected one of {known}")
    try:
        if app.version is not None:
            version = catalog.version(app.product, effective_from=app.version)
        else:
            version = catalog.version(app.product, on=app.start)
    except KeyError as exc:
        field = "version" if app.version is not None else "contract.start"
        raise ScenarioError(field, str(exc.args[0])) from None
    if not isinstance(version.underwriting, Underwriting):
        raise ScenarioError("product", f"{version.key} has no underwriting terms")
    return version
