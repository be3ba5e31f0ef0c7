"""Price a synthetic book of quotes with the engine's tariff, beside a baseline from the same run.

    python benchmarks/premium.py                 # 100 000 quotes
    python benchmarks/premium.py --quotes 10000 --seed 7

The quotes are reproducible (``--seed``): one to four persons of every age the tariff prices,
each with one to four of the six packages of 002 in an option and clause the package offers
(never packages 5 and 6 alone, 004 Чл.17), paid at once or in 2, 4 or 12 instalments, a tenth
of them group quotes. Only pricing is timed (``zdrave.engine.tariff.price_quote``, with the
product's packages so every choice is checked against 002).

The baseline, on the same requests, does the arithmetic alone: the sum of base premium × clause
factor × age factor per chosen package, in Decimal, with no checks, no rounding per line, no
discount, loading or instalment split — what a price table lookup costs at least. The ratio
says what the rules and the exact cent rounding cost on top of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from zdrave.engine.calendar import age_in_years  # noqa: E402
from zdrave.engine.tariff import (  # noqa: E402
    Choice,
    PersonRequest,
    QuoteRequest,
    price_quote,
)
from zdrave.engine.tariff.loader import load_tariffs  # noqa: E402
from zdrave.engine.terms.loader import default_products_root, load_catalog  # noqa: E402

START = dt.date(2026, 6, 1)


def book(count: int, seed: int, tariff, packages) -> list[QuoteRequest]:
    rng = random.Random(seed)
    numbers = sorted(packages)
    plans = [p.count for p in tariff.instalments]
    top = tariff.age_bands[-1].to_years
    quotes = []
    for _ in range(count):
        persons = []
        for i in range(rng.randint(1, 4)):
            age = rng.randint(0, top)
            birth = START.replace(year=START.year - age - 1) + dt.timedelta(
                days=rng.randint(1, 360)
            )
            chosen = rng.sample(numbers, rng.randint(1, 4))
            if set(chosen) <= set(tariff.not_sold_alone):
                chosen.append(2)
            choices = []
            for number in chosen:
                package = packages[number]
                choices.append(
                    Choice(number, rng.choice(package.options), rng.choice(package.clauses))
                )
            persons.append(PersonRequest(f"p{i}", birth, tuple(choices)))
        group = rng.choice([None] * 9 + [rng.randint(10, 200)])
        quotes.append(QuoteRequest(START, tuple(persons), rng.choice(plans), group))
    return quotes


def baseline(tariff, quote: QuoteRequest) -> Decimal:
    total = Decimal(0)
    for person in quote.persons:
        band = tariff.age_band(age_in_years(person.birth_date, quote.start))
        for c in person.choices:
            total += (
                tariff.yearly_premiums[c.package][c.option]
                * tariff.clause_factors[c.clause]
                * band.factor
            )
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    root = default_products_root()
    catalog = load_catalog(root)
    version = catalog.version("health", on=START)
    tariff = load_tariffs(root, catalog).tariff_for("health", version.effective_from, START)
    packages = {p.number: p for p in version.packages}
    quotes = book(args.quotes, args.seed, tariff, packages)
    persons = sum(len(q.persons) for q in quotes)

    began = time.perf_counter()
    total = Decimal(0)
    for quote in quotes:
        total += price_quote(tariff, quote, packages).payable
    engine = time.perf_counter() - began

    began = time.perf_counter()
    rough = Decimal(0)
    for quote in quotes:
        rough += baseline(tariff, quote)
    base = time.perf_counter() - began

    print(f"tariff {tariff.key} — {tariff.assumption.en}")
    print(f"{len(quotes)} quotes, {persons} persons (seed {args.seed})")
    print(
        f"engine   price_quote: {engine:7.2f} s  {len(quotes) / engine:10.0f} quotes/s  "
        f"total payable {total:,.2f} EUR"
    )
    print(
        f"baseline arithmetic : {base:7.2f} s  {len(quotes) / base:10.0f} quotes/s  "
        f"(no checks, no rounding; sum {rough:,.2f} EUR)"
    )
    print(f"engine / baseline time: {engine / base:.2f}×")


if __name__ == "__main__":
    main()
