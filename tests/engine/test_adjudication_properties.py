"""Properties of health adjudication that must hold for any claim, not just the examples."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from zdrave.engine.adjudication import run_scenario
from zdrave.engine.money import BGN_PER_EUR, cents
from zdrave.engine.terms.loader import load_catalog

FIXTURES = Path(__file__).parent / "fixtures"
CATALOG = load_catalog(FIXTURES / "products")
BASE = json.loads((FIXTURES / "health-claim.json").read_text(encoding="utf-8"))
ALL_DOCS = [
    "claim-form",
    "ambulatory-sheet",
    "invoice",
    "fiscal-receipt",
    "payment-order",
    "test-results",
    "pregnancy-sheet",
    "prescription",
    "dental-status",
]
# Package 2 Пълна (full) services of the test product, with their limits (002 II).
SERVICES = ["2.1.a", "2.1.b", "2.2.b", "2.8.c", "2.8.e", "2.11.a"]
DIAGNOSES = ["J06.9", "M54.5", "K29.7", "H10.0"]


def leva(amount: str) -> Decimal:
    return cents(Decimal(amount) / BGN_PER_EUR)


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400"), places=2)
days = st.integers(min_value=0, max_value=364).map(
    lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n)
)


@st.composite
def claim_lines(draw):
    billed = draw(money)
    nhif = draw(st.decimals(min_value=Decimal(0), max_value=billed, places=2))
    other = draw(st.decimals(min_value=Decimal(0), max_value=billed, places=2))
    return {
        "service": draw(st.sampled_from(SERVICES)),
        "date": draw(days).isoformat(),
        "quantity": draw(st.integers(min_value=1, max_value=3)),
        "amount": str(billed),
        "currency": "EUR",
        "nhif_paid": str(nhif),
        "other_insurer_paid": str(other),
        "reference_price": draw(st.none() | money.map(str)),
    }


def scenario(lines, *, form="reimbursement", clause="Б1", history=(), diagnosis="J06.9"):
    data = copy.deepcopy(BASE)
    data["cover"] = [{"package": 2, "option": "full", "clause": clause}]
    data["history"] = list(history)
    data["claim"].update(
        {
            "form": form,
            "lines": lines,
            "documents": ALL_DOCS,
            "diagnosis": diagnosis,
            "submitted": "2027-01-10",
        }
    )
    return data


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(claim_lines(), min_size=1, max_size=4),
    clause=st.sampled_from(["Б1", "Б2"]),
    form=st.sampled_from(["reimbursement", "subscription"]),
)
def test_a_line_never_pays_more_than_billed_less_nhif_and_other_insurer(lines, clause, form):
    decision = run_scenario(scenario(lines, form=form, clause=clause), CATALOG)
    for sent, result in zip(lines, decision["lines"], strict=True):
        ceiling = max(
            Decimal(sent["amount"])
            - Decimal(sent["nhif_paid"])
            - Decimal(sent["other_insurer_paid"]),
            Decimal(0),
        )
        payable = Decimal(result["payable"])
        assert Decimal(0) <= payable <= ceiling
        assert Decimal(result["copay"]) >= 0
        assert payable + Decimal(result["copay"]) <= max(Decimal(result["eligible"]), payable)
    assert Decimal(decision["payable"]) == sum(Decimal(r["payable"]) for r in decision["lines"])


@st.composite
def claim_sequences(draw):
    claims = draw(
        st.lists(
            st.tuples(
                st.sampled_from(SERVICES),
                days,
                money,
                st.sampled_from(DIAGNOSES),
                st.sampled_from(["reimbursement", "subscription"]),
                st.integers(1, 2),
            ),
            min_size=1,
            max_size=25,
        )
    )
    return draw(st.permutations(claims))


@settings(max_examples=60, deadline=None)
@given(claims=claim_sequences())
def test_limits_hold_for_any_order_of_claims(claims):
    """Adjudicate claims one after another, each decision going into the next one's history."""
    history: list[dict] = []
    for service, day, amount, diagnosis, form, quantity in claims:
        line = {
            "service": service,
            "date": day.isoformat(),
            "quantity": quantity,
            "amount": str(amount),
            "currency": "EUR",
        }
        decision = run_scenario(
            scenario([line], form=form, clause="Б2", history=history, diagnosis=diagnosis), CATALOG
        )
        [result] = decision["lines"]
        if Decimal(result["payable"]) > 0:
            history.append(
                {
                    "date": line["date"],
                    "service": service,
                    "form": form,
                    "diagnosis": diagnosis,
                    "quantity": result["quantity"],
                    "paid": result["payable"],
                }
            )

    def paid(predicate) -> Decimal:
        return sum((Decimal(h["paid"]) for h in history if predicate(h)), Decimal(0))

    def count(service: str) -> int:
        return sum(h["quantity"] for h in history if h["service"] == service)

    assert count("2.1.a") <= 4  # 002 II.1 count column
    assert count("2.8.e") <= 1  # 002 II.8 ЯМР, Пълна
    assert paid(lambda h: h["service"] == "2.11.a") <= leva("150")  # 002 II.11 physiotherapy
    assert paid(lambda h: h["form"] == "reimbursement") <= leva("300")  # 002 II.Б reimbursement
    assert paid(lambda h: True) <= leva("10000")  # 002 II.Б subscription (both forms)
    for diagnosis in DIAGNOSES:  # 004 Чл.13: one primary exam per disease within 30 days
        primaries = sorted(
            dt.date.fromisoformat(h["date"])
            for h in history
            if h["service"].startswith("2.1.") and h["diagnosis"] == diagnosis
        )
        assert all((b - a).days > 30 for a, b in zip(primaries, primaries[1:], strict=False))


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(claim_lines(), min_size=1, max_size=3))
def test_the_same_claim_twice_gives_the_same_decision(lines):
    data = scenario(lines)
    first = run_scenario(copy.deepcopy(data), CATALOG)
    second = run_scenario(copy.deepcopy(data), CATALOG)
    assert first == second
