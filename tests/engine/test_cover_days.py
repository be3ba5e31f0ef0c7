"""Each line on the cover in force on its own day (``engine.adjudication.cover_days``): a claim
whose lines straddle an annex (004 Чл.27 т.1–2) — the spans of the person's cover timeline, the
waiting period of a row counted from the day the row came into cover (004 Чл.19), and a day
with no cover for the package (004 Чл.24 т.3; Чл.27 т.2). No database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from engine.claim_builder import CATALOG, DOCS, build, line
from zdrave.engine.adjudication.cover_days import case_on, row_cover_start
from zdrave.engine.adjudication.facts import (
    DOCUMENT_KEYS,
    CoverFacts,
    CoverSpan,
    SpecialConditions,
    parse_health_case,
)
from zdrave.engine.adjudication.health import adjudicate_health, usage_from_history
from zdrave.engine.adjudication.index import index_for

INDEX = index_for(CATALOG.version("health", dt.date(2022, 11, 1)))
ANNEX = dt.date(2026, 3, 1)
BASIC = {2: CoverFacts(2, "basic", "Б1")}
FULL = {2: CoverFacts(2, "full", "Б1")}
LUXURY = {2: CoverFacts(2, "luxury", "Б1")}


def timeline(before, after):
    """``before`` to the day before the annex, ``after`` from it."""
    return (
        CoverSpan(None, ANNEX - dt.timedelta(days=1), before),
        CoverSpan(ANNEX, None, after),
    )


def case_of(changes, spans=()):
    data = build(changes)
    case = parse_health_case(
        data, INDEX.require_service, INDEX.packages, DOCUMENT_KEYS | INDEX.document_keys
    )
    return dataclasses.replace(case, spans=spans)


def decide(case):
    decision = adjudicate_health(case, INDEX, usage_from_history(case, INDEX))
    return [
        (d.outcome.value, d.payable, [(r.code, r.clause) for r in d.reasons])
        for d in decision.lines
    ]


PREGNANCY = {
    "claim.diagnosis": "Z34.0",
    "claim.lines.0": line("2.12.1.1", "2026-04-05", "60.00"),
    "claim.submitted": "2026-04-10",
    "claim.documents": [*DOCS, "pregnancy-sheet"],
}


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        pytest.param(
            timeline(BASIC, FULL),
            ("rejected", Decimal("0.00"), [("waiting-period", "004 Чл.19(1)")]),
            id="004-chl19-1-option-adding-item-12-starts-the-waiting-period-at-the-annex",
        ),
        pytest.param(
            timeline(FULL, LUXURY),
            ("approved", Decimal("48.00"), [("copayment", "002 II.Б т.3")]),
            id="004-chl19-1-row-in-both-options-keeps-its-first-day",
        ),
    ],
)
def test_waiting_period_runs_from_the_day_the_row_came_into_cover(spans, expected):
    case = case_of(PREGNANCY, spans)
    assert decide(case) == [expected]


def test_004_chl19_1_row_cover_start_is_the_annex_day_for_a_row_the_option_added():
    case = case_of(PREGNANCY, timeline(BASIC, FULL))
    info = INDEX.services["2.12.1.1"]
    assert row_cover_start(case, info, dt.date(2026, 4, 5)) == ANNEX
    assert row_cover_start(case_of(PREGNANCY, timeline(FULL, FULL)), info, ANNEX) == dt.date(
        2026, 1, 1
    )


def test_004_chl27_t2_two_lines_across_an_upgrade_use_each_day_s_option():
    """An MRI (2.8.e) is in Full, not in Basic (002 II.8): the line before the annex is refused
    for its option, the line after it is paid under Full Б1 (20 % co-payment)."""
    changes = {
        "claim.lines.0": line("2.8.e", "2026-02-20", "150.00"),
        "claim.lines.1": line("2.8.e", "2026-03-02", "150.00"),
        "claim.documents": [*DOCS, "imaging-report", "test-results", "referral"],
    }
    lines = decide(case_of(changes, timeline(BASIC, FULL)))
    assert [(outcome, payable) for outcome, payable, _r in lines] == [
        ("rejected", Decimal("0.00")),
        ("approved", Decimal("120.00")),
    ]
    assert [code for code, _clause in lines[0][2]] == ["service-not-in-option"]


def test_004_chl24_t3_a_day_without_the_package_refuses_the_line_with_the_annex_clause():
    changes = {
        "claim.lines.0": line("2.1.a", "2026-02-20", "80.00"),
        "claim.lines.1": line("2.1.a", "2026-03-02", "80.00", diagnosis="K29.7"),
    }
    lines = decide(case_of(changes, timeline(FULL, {})))
    assert lines[0][:2] == ("approved", Decimal("64.00"))
    assert lines[1] == (
        "rejected",
        Decimal("0.00"),
        [("package-not-in-force-on-day", "004 Чл.24 т.3; Чл.27 т.2")],
    )


def test_004_chl27_t1_special_conditions_apply_from_their_day():
    excluded = SpecialConditions(excluded_icd10=("J00-J99",), since=ANNEX)
    case = case_of({})
    case = dataclasses.replace(case, insured=dataclasses.replace(case.insured, special=excluded))
    assert case_on(case, ANNEX - dt.timedelta(days=1)).insured.special is None
    assert case_on(case, ANNEX).insured.special is excluded
    # The base line (10 March, J06.9) is after the annex: refused.
    assert decide(case)[0][2] == [("special-condition-excluded", "004 Чл.10; Чл.21(2)")]


def test_without_spans_or_dated_conditions_the_case_is_used_as_it_is():
    case = case_of({})
    assert case_on(case, dt.date(2026, 3, 10)) is case
