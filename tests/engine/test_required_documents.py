"""The document checklist a member sees before uploading: the engine's own rules of 004
Приложение №1 for one line, the same ones ``missing_documents`` applies to a claim."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zdrave.engine.adjudication.documents import missing_documents, required_documents
from zdrave.engine.adjudication.facts import (
    ClaimFacts,
    ClaimLine,
    ContractFacts,
    HealthCase,
    InsuredFacts,
)
from zdrave.engine.adjudication.index import index_for
from zdrave.engine.terms.loader import default_products_root, load_catalog

INDEX = index_for(load_catalog(default_products_root()).version("health", "2022-11-01"))
R = "reimbursement"
RECEIPT_OR_ORDER = ("fiscal-receipt", "payment-order")


@pytest.mark.parametrize(
    ("service", "e_shop", "expected"),
    [
        pytest.param(
            "2.8.e",
            False,
            ("claim-form", "ambulatory-sheet", "imaging-report", "invoice", RECEIPT_OR_ORDER),
            id="004-pril1-I2-imaging-needs-its-report",
        ),
        pytest.param(
            "2.1.a",
            False,
            ("claim-form", "ambulatory-sheet", "invoice", RECEIPT_OR_ORDER),
            id="004-pril1-I1-examination",
        ),
        pytest.param(
            "5.1",
            False,
            (
                "claim-form",
                ("ambulatory-sheet", "discharge-summary"),
                "prescription",
                "invoice",
                "fiscal-receipt",
            ),
            id="004-pril1-III1-medicines-original-receipt",
        ),
        pytest.param(
            "5.1",
            True,
            (
                "claim-form",
                ("ambulatory-sheet", "discharge-summary"),
                "prescription",
                "invoice",
                RECEIPT_OR_ORDER,
            ),
            id="004-chl34-e-shop-payment-order-stands-for-the-receipt",
        ),
        pytest.param(
            "6.2.b",
            False,
            (
                "claim-form",
                "ambulatory-sheet",
                "dental-status",
                "invoice",
                "fiscal-receipt",
                "x-ray",
            ),
            id="004-pril1-IV1-pulpitis-needs-an-x-ray",
        ),
    ],
)
def test_required_documents_of_a_line_004_prilozhenie_1(service, e_shop, expected):
    assert required_documents(INDEX, service, R, e_shop=e_shop) == expected


def test_first_claim_documents_given_earlier_are_not_asked_again_004_pril1_IV1():
    docs = required_documents(INDEX, "6.2.b", R, earlier=frozenset({"dental-status"}))
    assert "dental-status" not in docs
    assert docs[0] == "claim-form"


def test_in_network_care_needs_no_documents_from_the_member():
    assert required_documents(INDEX, "2.8.e", "subscription") == ()


def _case(service: str) -> HealthCase:
    day = dt.date(2026, 3, 10)
    return HealthCase(
        contract=ContractFacts(
            type="individual",
            start=dt.date(2026, 1, 1),
            end=dt.date(2027, 1, 1),
            paid_until=None,
            terminated_on=None,
            renewal_of_previous=False,
        ),
        covers={},
        insured=InsuredFacts(
            id="1", birth_date=None, sex=None, covered_from=dt.date(2026, 1, 1), nhif_rights=True
        ),
        history=(),
        claim=ClaimFacts(
            form=R,
            submitted=day,
            diagnosis="M54.5",
            documents=frozenset(),
            lines=(ClaimLine(0, service, day, 1, Decimal("10.00"), "EUR"),),
        ),
    )


@pytest.mark.parametrize("service", sorted(INDEX.services))
def test_checklist_agrees_with_what_the_engine_finds_missing(service):
    """For every claimable row: with nothing delivered, ``missing_documents`` asks for the first
    document of each item of the checklist — the list the member saw is the engine's."""
    case = _case(service)
    missing = missing_documents(case, [(case.claim.lines[0], INDEX.services[service])], INDEX)
    checklist = required_documents(INDEX, service, R, "M54.5")
    assert missing == tuple(i if isinstance(i, str) else i[0] for i in checklist)
