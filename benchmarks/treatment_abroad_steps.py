"""Time one money step of a treatment-abroad case (issue 13): the engine deciding a hospital bill
against the limits with the person's earlier payments as history — what every pre-certificate,
bill and daily allowance on a case page costs. Baseline: the same line with no history.

    python benchmarks/treatment_abroad_steps.py [--repeat 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from zdrave.engine.adjudication.abroad import adjudicate  # noqa: E402
from zdrave.engine.adjudication.abroad_facts import (  # noqa: E402
    Claim,
    ClaimFacts,
    Contract,
    HistoryLine,
    Insured,
    Line,
    Precertificate,
)
from zdrave.engine.terms.abroad import BenefitCode, ConditionCode, ContractType  # noqa: E402
from zdrave.engine.terms.loader import default_products_root, load_catalog  # noqa: E402

START = dt.date(2026, 1, 1)
DAY = dt.date(2026, 9, 1)


def facts(history: int) -> ClaimFacts:
    lines = tuple(
        HistoryLine(
            BenefitCode.TRAVEL,
            f"TA-{i}",
            START + dt.timedelta(days=200 + i % 30),
            Decimal("100.00"),
            None,
        )
        for i in range(history)
    )
    return ClaimFacts(
        contract=Contract(
            ContractType.INDIVIDUAL,
            START,
            dt.date(2026, 12, 31),
            None,
            None,
            None,
            False,
            None,
            None,
        ),
        insured=Insured("p", dt.date(1979, 3, 8), START, True),
        history=lines,
        claim=Claim(
            ref="TA-1",
            condition=ConditionCode.CANCER,
            diagnosis="C50.4",
            notified=DAY,
            first_symptoms=None,
            precertificate=Precertificate(DAY, "Charité"),
            returned_home=None,
            hospital_nights=None,
            submitted=None,
            documents=None,
            circumstances=frozenset(),
            lines=(
                Line(
                    0,
                    BenefitCode.TREATMENT_ABROAD,
                    DAY + dt.timedelta(days=5),
                    Decimal("25000.00"),
                    None,
                    "Charité",
                    DAY + dt.timedelta(days=5),
                    Decimal(0),
                    Decimal(0),
                    None,
                    None,
                    None,
                    frozenset(),
                ),
            ),
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    terms = load_catalog(default_products_root()).version("best-doctors", on=START).abroad
    for history in (0, 10, 100, 1000):
        case = facts(history)
        assert adjudicate(terms, case).payable == Decimal("25000.00")
        began = time.perf_counter()
        for _ in range(args.repeat):
            adjudicate(terms, case)
        each = (time.perf_counter() - began) / args.repeat * 1e6
        label = "baseline (no history)" if history == 0 else f"{history} earlier payments"
        print(f"{label:>24}: {each:8.1f} µs per decided step")


if __name__ == "__main__":
    main()
