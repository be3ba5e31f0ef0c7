"""The answer letter's further options come from the product's own clauses: the Financial
Supervision Commission and the court (004 Чл.31 т.2; 001 т.80 and т.82; 003 т.78 and т.81) and
the prescription of rights (004 Чл.31 т.1; 001 т.83; 003 т.82)."""

from __future__ import annotations

import pytest

from zdrave.member_rights.complaints.letters import further_options
from zdrave.products.terms import terms


@pytest.mark.parametrize(
    ("product", "version", "clauses"),
    [
        pytest.param("health", "2022-11-01", ["004 Чл.31 т.2", "004 Чл.31 т.1"], id="004-chl31"),
        pytest.param(
            "best-doctors", "2019-02-01", ["001 т.80", "001 т.82", "001 т.83"], id="001-t80-t82-t83"
        ),
        pytest.param(
            "best-doctors", "2015-10-01", ["003 т.78", "003 т.81", "003 т.82"], id="003-t78-t81-t82"
        ),
    ],
)
def test_further_options_cite_the_products_clauses(product, version, clauses):
    text = " ".join(further_options(terms(product, version), "en"))
    assert "Financial Supervision Commission" in text
    assert "court" in text
    for clause in clauses:
        assert clause in text


def test_a_complaint_about_no_contract_still_names_the_supervisor_and_the_court():
    text = " ".join(further_options(None, "bg"))
    assert "Комисията за финансов надзор" in text
    assert "съд" in text
