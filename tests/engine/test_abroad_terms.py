"""The best-doctors product data: two versions (003 of 2015, 001 of 2019) that differ rule by rule,
and a schema that refuses what the seeds cannot mean."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from zdrave.engine.adjudication.abroad_deadlines import (
    ComplaintDeadline,
    complaint_answer_due,
    complaint_deadline,
    rights_expire_on,
)
from zdrave.engine.terms.abroad import AbroadTerms
from zdrave.engine.terms.loader import load_catalog

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "products")
V2015 = CATALOG.version("best-doctors", "2015-10-01").abroad
V2019 = CATALOG.version("best-doctors", "2019-02-01").abroad


def test_versions_follow_each_other_without_overlap() -> None:
    old, new = CATALOG.versions["best-doctors"]

    assert (old.effective_from, old.effective_to) == (dt.date(2015, 10, 1), dt.date(2019, 1, 31))
    assert new.effective_from == dt.date(2019, 2, 1)
    assert new.effective_to is None
    assert CATALOG.version("best-doctors", on=dt.date(2019, 1, 31)) is old
    assert CATALOG.version("best-doctors", on=dt.date(2019, 2, 1)) is new


def test_every_rule_cites_its_own_seed() -> None:
    assert all(
        c.startswith("003") for c in CATALOG.version("best-doctors", "2015-10-01").citations()
    )
    assert all(
        c.startswith("001") for c in CATALOG.version("best-doctors", "2019-02-01").citations()
    )


@pytest.mark.parametrize(
    ("read", "in_2015", "in_2019"),
    [
        pytest.param(
            lambda t: t.year_limit.eur,
            Decimal("1000000.00"),
            Decimal("1000000.00"),
            id="003-t25-001-t28-year-limit",
        ),
        pytest.param(
            lambda t: t.lifetime_limit.eur,
            Decimal("2000000.00"),
            Decimal("2000000.00"),
            id="003-t25-001-t28-lifetime-limit",
        ),
        pytest.param(
            lambda t: t.benefit("medicines-after-return").lifetime_limit.eur,
            Decimal("50000.00"),
            Decimal("50000.00"),
            id="003-t26-001-t29-medicines",
        ),
        pytest.param(
            lambda t: t.benefit("daily-hospital-cash").daily_allowance.max_days,
            60,
            60,
            id="003-t27-001-t30-daily-cash-days",
        ),
        pytest.param(
            lambda t: t.benefit("follow-up-care") is not None,
            False,
            True,
            id="001-t67-follow-up-care-only-2019",
        ),
        pytest.param(
            lambda t: t.precertificate.validity_months,
            None,
            3,
            id="001-t72-1-certificate-validity-only-2019",
        ),
        pytest.param(
            lambda t: t.benefit("second-opinion").per_claim is not None,
            False,
            True,
            id="003-t65-no-once-per-claim-001-VIII-2-A-once",
        ),
        pytest.param(
            lambda t: (t.premium.reinstatement_clause, t.premium.reinstatement_months_clause),
            ("003 т.36", "003 т.37"),
            ("001 т.40", "001 т.41"),
            id="001-t40-reinstatement-t41-two-months",
        ),
        pytest.param(
            lambda t: t.benefit("treatment-abroad").post_operative_medicines.clause,
            "003 т.49",
            "001 т.53",
            id="003-t49-001-t53-post-operative-medicines",
        ),
        pytest.param(
            lambda t: t.reassessment is not None,
            False,
            True,
            id="001-t74-reassessment-only-2019",
        ),
        pytest.param(lambda t: t.complaints.months, None, 1, id="001-t79-complaint-one-month"),
        pytest.param(
            lambda t: (t.complaints.working_days_min, t.complaints.working_days_max),
            (10, 30),
            (None, None),
            id="003-t77-complaint-10-30-working-days",
        ),
        pytest.param(lambda t: t.prescription.years, 3, 5, id="003-t82-001-t83-prescription"),
        pytest.param(lambda t: t.territory.usa_option, True, False, id="003-III-t7-usa-option"),
        pytest.param(
            lambda t: t.group_joiners is not None,
            False,
            True,
            id="001-t21-1-3-group-joiners-only-2019",
        ),
        pytest.param(
            lambda t: t.cover_period.group_leaver_months,
            None,
            6,
            id="001-t21-1-5-group-leaver-only-2019",
        ),
        pytest.param(
            lambda t: (
                {e.code for e in t.exclusions}
                >= {"non-compliance", "long-term-effects", "cord-blood"}
            ),
            False,
            True,
            id="001-t8-5-t9-9-t11-4-new-exclusions",
        ),
        pytest.param(
            lambda t: {e.code for e in t.exclusions} >= {"skin-cancer", "cutaneous-lymphoma"},
            True,
            False,
            id="003-t11-1-b-t38-1-skin-exclusions",
        ),
        pytest.param(
            lambda t: [w.months for w in t.waiting_periods],
            [6, 3],
            [6, 3],
            id="003-t19-001-t21-1-waiting-months",
        ),
        pytest.param(
            lambda t: t.renewal.max_gap_days, 15, 15, id="003-t23-001-t25-renewal-15-days"
        ),
        pytest.param(
            lambda t: t.pre_existing.lookback_years, 10, 10, id="003-t9-1-001-t9-1-ten-years"
        ),
        pytest.param(
            lambda t: (t.premium.lapse_days_after_due, t.premium.reinstatement_months),
            (30, 2),
            (30, 2),
            id="003-t24-001-t27-4-lapse-reinstatement",
        ),
        pytest.param(
            lambda t: t.premium.frequencies,
            ["annual", "half-yearly", "quarterly", "monthly"],
            ["annual", "half-yearly", "quarterly", "monthly"],
            id="003-t34-001-t38-premium-frequencies",
        ),
        pytest.param(
            lambda t: t.partner, "best-doctors", "bdu", id="partner-best-doctors-then-bdu"
        ),
    ],
)
def test_version_differences(read: Any, in_2015: Any, in_2019: Any) -> None:
    assert read(V2015) == in_2015
    assert read(V2019) == in_2019


def test_six_covered_conditions_in_both_versions() -> None:
    expected = [
        "cancer",
        "coronary-bypass",
        "heart-valve",
        "neurosurgery",
        "living-donor-transplant",
        "bone-marrow-transplant",
    ]
    assert [c.code.value for c in V2015.conditions] == expected
    assert [c.code.value for c in V2019.conditions] == expected


def test_001_t79_complaint_answer_within_one_month() -> None:
    assert complaint_answer_due(V2019, dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)


def test_003_t77_complaint_answer_within_30_working_days() -> None:
    # 3 March (Liberation Day) is a Bulgarian holiday and does not count.
    assert complaint_answer_due(V2015, dt.date(2026, 2, 20)) == dt.date(2026, 4, 6)


@pytest.mark.parametrize(
    ("terms", "filed_on", "expected"),
    [
        pytest.param(
            V2019,
            dt.date(2026, 3, 31),
            ComplaintDeadline(
                dt.date(2026, 3, 31), dt.date(2026, 4, 30), dt.date(2026, 4, 30), "001 т.79"
            ),
            id="001-t79-one-month-ends-on-last-day-of-shorter-month",
        ),
        pytest.param(
            V2015,
            dt.date(2026, 2, 20),
            ComplaintDeadline(
                dt.date(2026, 2, 20), dt.date(2026, 3, 9), dt.date(2026, 4, 6), "003 т.77"
            ),
            id="003-t77-10-and-30-working-days-without-3-march",
        ),
        pytest.param(
            V2015,
            dt.date(2026, 4, 8),
            ComplaintDeadline(
                dt.date(2026, 4, 8), dt.date(2026, 4, 24), dt.date(2026, 5, 27), "003 т.77"
            ),
            id="003-t77-orthodox-easter-does-not-count",
        ),
    ],
)
def test_complaint_deadline_is_an_engine_fact(
    terms: AbroadTerms, filed_on: dt.date, expected: ComplaintDeadline
) -> None:
    assert complaint_deadline(terms, filed_on) == expected


def test_prescription_ends_three_or_five_years_after_the_event() -> None:
    event = dt.date(2026, 5, 10)
    assert rights_expire_on(V2015, event) == dt.date(2029, 5, 10)  # 003 т.82
    assert rights_expire_on(V2019, event) == dt.date(2031, 5, 10)  # 001 т.83


def _terms_with(change: Any) -> dict[str, Any]:
    data = V2019.model_dump(mode="json", exclude_none=True)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            lambda d: d["conditions"][0].update(clause="т.6.1"),
            "citation",
            id="clause-without-seed",
        ),
        pytest.param(
            lambda d: d["conditions"][0].update(diagnoses=["C99"]), "unknown ICD-10", id="bad-icd10"
        ),
        pytest.param(
            lambda d: d["benefits"].append(d["benefits"][0]),
            "duplicate benefits",
            id="duplicate-benefit",
        ),
        pytest.param(
            lambda d: d["exclusions"][0].update(conditions=["stroke"]),
            "conditions",
            id="unknown-condition",
        ),
        pytest.param(
            lambda d: d["exclusions"][0].pop("circumstances"),
            "icd10 codes or circumstances",
            id="exclusion-matches-nothing",
        ),
        pytest.param(
            lambda d: d["waiting_periods"].pop(),
            "every contract type",
            id="waiting-period-missing-group",
        ),
        pytest.param(
            lambda d: d["benefits"][1].pop("precertificate_clause"),
            "precertificate_clause",
            id="precertificate-without-clause",
        ),
        pytest.param(
            lambda d: d["complaints"].update(working_days_max=30),
            "either months",
            id="complaints-both-kinds",
        ),
        pytest.param(lambda d: d.update(surprise=True), "Extra inputs", id="unknown-key"),
    ],
)
def test_schema_refuses_bad_terms(change: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        AbroadTerms.model_validate(_terms_with(change))
