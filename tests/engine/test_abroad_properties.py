"""Properties of the best-doctors limits (001 т.28–31): whatever the order in which claims come,
the insurance-year limit (EUR 1 000 000), the lifetime limit (EUR 2 000 000), the medicines limit
(EUR 50 000) and the 60 days of hospital cash per claim are never exceeded; and deciding the same
claim twice gives the same decision."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from zdrave.engine.adjudication.abroad import run_scenario
from zdrave.engine.terms.loader import load_catalog

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "products")
BENEFITS = (
    "treatment-abroad",
    "travel",
    "accommodation",
    "medicines-after-return",
    "daily-hospital-cash",
)


def claim_scenario(
    ref: str, year: int, lines: list[tuple[str, int]], history: list[dict[str, Any]]
) -> dict[str, Any]:
    def line(benefit: str, amount: int) -> dict[str, Any]:
        if benefit == "daily-hospital-cash":
            return {"benefit": benefit, "date": f"{year}-02-10", "quantity": amount % 90}
        if benefit == "medicines-after-return":
            return {
                "benefit": benefit,
                "date": f"{year}-03-10",
                "amount": f"{amount % 60000}.00",
                "dose_days": 60,
            }
        return {
            "benefit": benefit,
            "date": f"{year}-02-10",
            "hospital": "H1",
            "amount": f"{amount}.00",
        }

    return {
        "product": "best-doctors",
        "version": "2019-02-01",
        "contract": {
            "type": "individual",
            "start": "2025-01-01",
            "end": "2034-12-31",
            "premium": {"frequency": "annual", "paid_until": "2034-12-31"},
        },
        "insured": {"id": "p1", "birth_date": "1980-06-15", "covered_from": "2025-01-01"},
        "history": history,
        "claim": {
            "ref": ref,
            "condition": "cancer",
            "diagnosis": "C50.9",
            "notified": f"{year}-01-10",
            "first_symptoms": f"{year}-01-05",
            "precertificate": {"issued": f"{year}-02-01", "hospital": "H1"},
            "returned_home": f"{year}-03-01",
            "hospital_nights": 70,
            "lines": [line(b, a) for b, a in lines],
        },
    }


claims = st.lists(
    st.tuples(
        st.integers(min_value=2026, max_value=2029),
        st.lists(
            st.tuples(st.sampled_from(BENEFITS), st.integers(min_value=0, max_value=700_000)),
            min_size=1,
            max_size=4,
        ),
    ),
    min_size=1,
    max_size=8,
)


def run_in_order(claim_list: list[tuple[int, list[tuple[str, int]]]]) -> list[dict[str, Any]]:
    history: list[dict[str, Any]] = []
    for number, (year, lines) in enumerate(claim_list):
        data = claim_scenario(f"c{number}", year, lines, history)
        decision = run_scenario(data, CATALOG)
        for item, decided in zip(data["claim"]["lines"], decision["lines"], strict=True):
            history.append(
                {
                    "benefit": item["benefit"],
                    "claim_ref": f"c{number}",
                    "date": item["date"],
                    "paid": decided["payable"],
                    "quantity": item.get("quantity"),
                }
            )
    return history


def assert_within_limits(history: list[dict[str, Any]]) -> None:
    by_year: dict[int, Decimal] = {}
    days: dict[str, int] = {}
    medicines = Decimal(0)
    for line in history:
        paid = Decimal(line["paid"])
        year = int(line["date"][:4])  # the contract starts on 1 January: years are calendar years
        by_year[year] = by_year.get(year, Decimal(0)) + paid
        if line["benefit"] == "medicines-after-return":
            medicines += paid
        if line["benefit"] == "daily-hospital-cash":
            days[line["claim_ref"]] = days.get(line["claim_ref"], 0) + int(paid / 100)
    assert all(total <= Decimal("1000000.00") for total in by_year.values()), by_year  # 001 т.28
    assert sum(by_year.values(), Decimal(0)) <= Decimal("2000000.00")  # 001 т.28, т.31
    assert medicines <= Decimal("50000.00")  # 001 т.29
    assert all(d <= 60 for d in days.values())  # 001 т.30


@settings(max_examples=60, deadline=None)
@given(claims, st.randoms(use_true_random=False))
def test_001_t28_t31_limits_hold_in_any_order(claim_list, rnd) -> None:
    assert_within_limits(run_in_order(claim_list))
    shuffled = list(claim_list)
    rnd.shuffle(shuffled)
    assert_within_limits(run_in_order(shuffled))


@settings(max_examples=30, deadline=None)
@given(claims)
def test_same_claim_decided_twice_is_the_same(claim_list) -> None:
    year, lines = claim_list[0]
    data = claim_scenario("c0", year, lines, [])

    assert run_scenario(data, CATALOG) == run_scenario(data, CATALOG)
