"""The front desk's answer (issue 12) is the claims engine's decision on a one-line
subscription claim at the agreed price: DB-free, on the real health product (002, 004)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zdrave.engine.adjudication.facts import (
    ClaimFacts,
    ContractFacts,
    CoverFacts,
    HealthCase,
    HistoryLine,
    Instalment,
    InsuredFacts,
)
from zdrave.engine.adjudication.front_desk import LimitKind, Verdict, front_desk_answer
from zdrave.engine.adjudication.health import usage_from_history
from zdrave.engine.adjudication.index import index_for
from zdrave.engine.terms.loader import default_products_root, load_catalog

INDEX = index_for(load_catalog(default_products_root()).version("health"))
START = dt.date(2026, 1, 1)
DAY = dt.date(2026, 6, 15)
# 002 II.Б: package 2 option Пълна, 10 000 лв a year in the subscription form.
PACKAGE_2_FULL = Decimal("5112.92")


def case(*, covers=None, history=(), instalments=(), covered_from=START, terminated=None,
         aggregate=None) -> HealthCase:  # fmt: skip
    return HealthCase(
        contract=ContractFacts(
            type="individual",
            start=START,
            end=dt.date(2027, 1, 1),
            paid_until=None,
            terminated_on=terminated,
            renewal_of_previous=False,
            aggregate_limit=aggregate,
            instalments=tuple(instalments),
        ),
        covers=covers if covers is not None else {2: CoverFacts(2, "full", "Б2")},
        insured=InsuredFacts("1", dt.date(1988, 6, 14), "F", covered_from, True),
        history=tuple(history),
        claim=ClaimFacts("subscription", None, "", frozenset(), ()),
    )


def ask(facts: HealthCase, service: str, price: str | None = "60.00", *, served=(1, 2, 3),
        flagged=False, day=DAY):  # fmt: skip
    return front_desk_answer(
        facts,
        INDEX,
        usage_from_history(facts, INDEX),
        service=service,
        day=day,
        price=Decimal(price) if price is not None else None,
        served_packages=frozenset(served),
        flagged_for_preauthorisation=flagged,
    )


def test_an_unlimited_row_is_covered_and_the_package_limit_is_left():
    answer = ask(case(), "2.1.b")

    assert answer.verdict is Verdict.COVERED
    assert (answer.insurer_pays, answer.member_pays) == (Decimal("60.00"), Decimal("0.00"))
    (package,) = answer.remaining
    assert package.kind is LimitKind.PACKAGE
    assert (package.limit, package.left, package.clause) == (
        PACKAGE_2_FULL,
        PACKAGE_2_FULL,
        "002 II.Б",
    )


def test_paid_lines_in_either_form_use_the_package_limit():
    history = [HistoryLine(dt.date(2026, 3, 1), "2.8.d", "reimbursement", "M54.5", 1,
                           Decimal("100.00"))]  # fmt: skip

    (package,) = ask(case(history=history), "2.1.b").remaining

    assert package.used == Decimal("100.00")
    assert package.left == PACKAGE_2_FULL - Decimal("100.00")


@pytest.mark.parametrize(
    ("service", "covers", "served", "code"),
    [
        pytest.param("2.1.a", None, (2,), "limited-service-reimbursement-only",
                     id="002-II-bel1-limited-row-reimbursement-only"),
        pytest.param("2.1.c", None, (2,), "service-not-in-option",
                     id="002-II-A-row-not-in-option"),
        pytest.param("3.1", None, (2, 3), "package-not-in-contract",
                     id="004-chl21-t33-package-not-in-contract"),
        pytest.param("2.1.b", None, (1, 3), "package-not-in-provider-agreement",
                     id="004-chl29-t11-institution-does-not-serve-package"),
    ],
)  # fmt: skip
def test_not_covered_with_the_clause(service, covers, served, code):
    answer = ask(case(covers=covers), service, served=served)

    assert answer.verdict is Verdict.NOT_COVERED
    assert answer.insurer_pays == Decimal("0.00")
    assert answer.member_pays == Decimal("60.00")
    assert code in {r.code for r in answer.reasons}


def test_hospital_care_needs_pre_authorisation_002_III():
    answer = ask(case(covers={3: CoverFacts(3, "full", "Б2")}), "3.1", "800.00")

    assert answer.verdict is Verdict.PREAUTHORISATION
    assert answer.insurer_pays == Decimal("800.00")
    assert "needs-preauthorisation" in {r.code for r in answer.reasons}


def test_a_row_the_agreement_flags_needs_pre_authorisation():
    answer = ask(case(), "2.8.d", "120.00", flagged=True)

    assert answer.verdict is Verdict.PREAUTHORISATION


def test_over_the_package_limit_the_member_pays_the_rest_004_chl26_t2():
    history = [HistoryLine(dt.date(2026, 3, 1), "2.8.d", "subscription", "M54.5", 1,
                           PACKAGE_2_FULL - Decimal("20.00"))]  # fmt: skip

    answer = ask(case(history=history), "2.1.b")

    assert answer.verdict is Verdict.COPAYMENT
    assert (answer.insurer_pays, answer.member_pays) == (Decimal("20.00"), Decimal("40.00"))
    assert {r.code for r in answer.reasons} >= {"yearly-limit", "member-pays-over-limit"}


def test_an_exhausted_limit_is_not_covered():
    history = [HistoryLine(dt.date(2026, 3, 1), "2.8.d", "subscription", "M54.5", 1,
                           PACKAGE_2_FULL)]  # fmt: skip

    answer = ask(case(history=history), "2.1.b")

    assert answer.verdict is Verdict.NOT_COVERED
    assert answer.remaining[0].left == Decimal("0")


def test_pregnancy_waiting_period_names_the_first_covered_day_004_chl19():
    answer = ask(case(covers={2: CoverFacts(2, "full", "Б2")}, covered_from=dt.date(2026, 5, 1)),
                 "2.12.1.1", day=dt.date(2026, 6, 1))  # fmt: skip

    assert answer.verdict is Verdict.NOT_COVERED
    assert answer.waiting_until == dt.date(2026, 8, 2)


def test_after_termination_nothing_is_covered_004_chl27_t2():
    answer = ask(case(terminated=dt.date(2026, 6, 1)), "2.1.b")

    assert answer.verdict is Verdict.NOT_COVERED
    assert "after-termination" in {r.code for r in answer.reasons}


def test_unpaid_first_instalment_means_no_cover_004_chl25_t3():
    unpaid = [Instalment(START, Decimal("100.00"), None)]

    answer = ask(case(instalments=unpaid), "2.1.b")

    assert answer.verdict is Verdict.NOT_COVERED
    assert "premium-unpaid" in {r.code for r in answer.reasons}


def test_without_an_agreed_price_the_insurer_pays_the_invoice_up_to_the_limit():
    answer = ask(case(), "2.1.b", None)

    assert answer.verdict is Verdict.COVERED
    assert answer.price is None
    assert answer.member_pays == Decimal("0.00")


def test_the_aggregate_limit_is_reported_004_chl26_t1():
    answer = ask(case(aggregate=Decimal("1000.00")), "2.1.b")

    kinds = {r.kind: r for r in answer.remaining}
    assert kinds[LimitKind.AGGREGATE].left == Decimal("1000.00")
    assert kinds[LimitKind.AGGREGATE].clause == "004 Чл.26 т.1"
