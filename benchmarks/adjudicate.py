"""Adjudicate a synthetic book of health claims with the engine, and time an ORM-backed baseline.

    python benchmarks/adjudicate.py                       # 100 000 people, 1 000 000 lines
    python benchmarks/adjudicate.py --people 2000 --lines 20000 --baseline-people 100
    python benchmarks/adjudicate.py --people 20000 --lines 200000 --decisions /tmp/d.txt

The book is reproducible (``--seed``): people on ``health`` covers of various packages, options
and clauses, claims of one to three lines spread over the insurance year, adjudicated in date
order with one usage accumulator per person, so count and money limits bite as the year goes on.
It is generated a day at a time; only the adjudication of each day's claims is timed, by wall
clock and by the process's CPU time. ``--decisions`` writes every decision (and prints the
file's SHA-256) so that two versions of the engine can be compared byte for byte.

The baseline takes the claims of ``--baseline-people`` of the same people and decides them one
at a time the way a straightforward Django implementation would: load the contract, cover and
the person's decided lines with the ORM for each claim, adjudicate, write the decided lines back
(``zdrave.claims.actions.adjudicate_claim``) — on an on-disk SQLite database in a temp folder.
Its decisions are checked against the engine run's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import random
import resource
import sys
import tempfile
import time
from array import array
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import TextIO

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from zdrave.engine.adjudication.facts import (  # noqa: E402
    ClaimFacts,
    ClaimLine,
    ContractFacts,
    CoverFacts,
    HealthCase,
    InsuredFacts,
)
from zdrave.engine.adjudication.health import adjudicate_health  # noqa: E402
from zdrave.engine.adjudication.index import ProductIndex, index_for  # noqa: E402
from zdrave.engine.adjudication.usage import Usage  # noqa: E402
from zdrave.engine.terms.loader import default_products_root, load_catalog  # noqa: E402

YEAR_START = dt.date(2026, 1, 1)
# Contracts start in January; claims are dated from February to the end of the year, so every
# line falls inside its contract and the insurance year fills up as the book goes on.
FIRST_DAY = dt.date(2026, 2, 1)
DAYS = 334
DOCUMENTS = frozenset(
    {
        "claim-form",
        "ambulatory-sheet",
        "invoice",
        "fiscal-receipt",
        "test-results",
        "imaging-report",
        "prescription",
        "pregnancy-sheet",
        "dental-status",
        "discharge-summary",
        "physio-card",
        "rehab-sheet",
        "optical-prescription",
        "lens-stickers",
    }
)
INCOMPLETE = DOCUMENTS - {"ambulatory-sheet"}
# Mostly everyday diagnoses; a few excluded (acne L70, migraine G43) or pregnancy-related.
DIAGNOSES = [
    "J06.9",
    "J20.9",
    "M54.5",
    "K29.7",
    "I10",
    "E11.9",
    "H52.1",
    "K02.1",
    "N39.0",
    "L70.0",
    "G43.9",
    "Z34.0",
]
DIAGNOSIS_WEIGHTS = [14, 10, 12, 10, 10, 8, 8, 10, 8, 1, 1, 2]
LIMITED: set[str] = set()  # rows with a limit of their own or of a parent (filled in main)
# How often each package is claimed from: outpatient and medicines dominate a health book.
PACKAGE_WEIGHTS = {1: 1, 2: 12, 3: 1, 4: 1, 5: 5, 6: 3}


@dataclass(slots=True)
class Person:
    number: int
    contract: ContractFacts
    covers: dict[int, CoverFacts]
    insured: InsuredFacts
    services: list[tuple[str, int]]  # claimable (code, package) under the person's covers
    cum_weights: array  # running total of how often each is claimed


def build_people(count: int, index: ProductIndex, rng: random.Random) -> list[Person]:
    packages = index.packages
    contracts = {}
    pools: dict[tuple, tuple[dict, list, list]] = {}
    rows: dict[tuple, list[tuple[str, int]]] = {}
    people = []
    for number in range(count):
        start = YEAR_START + dt.timedelta(days=rng.randrange(0, 28))
        contract = contracts.get(start)
        if contract is None:
            contract = contracts[start] = ContractFacts(
                type="individual",
                start=start,
                # The day named as the end: the insurance ends at 00:00 of it (004 Чл.24 т.3).
                end=start.replace(year=start.year + 1),
                paid_until=start.replace(year=start.year + 1) - dt.timedelta(days=1),
                terminated_on=None,
                renewal_of_previous=False,
            )
        chosen = {2} | {n for n in (1, 3, 4, 5, 6) if rng.random() < 0.45}
        covers = {}
        for n in sorted(chosen):
            package = packages[n]
            covers[n] = CoverFacts(
                n, rng.choice(package.options).value, rng.choice(package.clauses).value
            )
        key = tuple(sorted((c.package, c.option, c.clause) for c in covers.values()))
        if key not in pools:
            pools[key] = (covers, *claimable(covers, index, rows))
        # People with the same covers share one (read-only) dict of them, and their rows.
        covers, services, cum_weights = pools[key]
        insured = InsuredFacts(
            id=f"p{number}",
            birth_date=None,
            sex=None,
            covered_from=start,
            nhif_rights=rng.random() > 0.03,
        )
        people.append(Person(number, contract, covers, insured, services, cum_weights))
    return people


def claimable(
    covers: dict[int, CoverFacts], index: ProductIndex, rows: dict[tuple, list]
) -> tuple[list, list]:
    """The rows a person with these covers can claim, in the index's order, with the running
    total of how often each is claimed (for ``random.choices``; shared by everyone with the same
    covers, and each cover's rows shared by every combination that has it)."""
    services: list[tuple[str, int]] = []
    for number in index.packages:
        cover = covers.get(number)
        if cover is not None:
            key = (number, cover.option, cover.clause)
            if key not in rows:
                rows[key] = cover_rows(cover, index)
            services += rows[key]
    # An array: a list would keep a separate int object for every running total.
    return services, array("q", accumulate(PACKAGE_WEIGHTS[package] for _code, package in services))


def cover_rows(cover: CoverFacts, index: ProductIndex) -> list[tuple[str, int]]:
    found = []
    for code, info in index.services.items():
        # In-network only (clause A) members are not offered the limited services, which are
        # reimbursement-only (002 бел.*).
        usable = info.package_number == cover.package and not (
            cover.clause == "A" and info.chain_codes
        )
        if usable and cover.option in info.service.options:
            found.append((code, cover.package))
    return found


def days_of_claims(people: list[Person], lines: int, rng: random.Random):
    """Yield each day's claims as a list of (person, case): the book in date order, one day in
    memory at a time."""
    per_day = lines / DAYS
    carry = 0.0
    for day_number in range(DAYS):
        day = FIRST_DAY + dt.timedelta(days=day_number)
        carry += per_day
        today = int(carry)
        carry -= today
        batch = []
        while today > 0:
            person = people[rng.randrange(len(people))]
            size = min(today, rng.choice((1, 1, 2, 3)))
            today -= size
            batch.append((person, make_case(person, day, size, rng)))
        yield batch


def make_case(person: Person, day: dt.date, size: int, rng: random.Random) -> HealthCase:
    picks = rng.choices(person.services, cum_weights=person.cum_weights, k=size)
    packages = {p for _code, p in picks}
    clauses = {person.covers[p].clause for p in packages}
    # Clause A is in-network only; services with a limit go through reimbursement (002 бел.*),
    # so members send those as reimbursement claims and the rest mostly in-network.
    if "A" in clauses:
        form = "subscription"
    elif any(code in LIMITED for code, _p in picks) or rng.random() < 0.2:
        form = "reimbursement"
    else:
        form = "subscription"
    claim_lines = []
    for i, (code, _package) in enumerate(picks):
        late = rng.random() < 0.05
        prescribed = day - dt.timedelta(days=rng.randrange(20, 40) if late else rng.randrange(0, 6))
        claim_lines.append(
            ClaimLine(
                index=i,
                service=code,
                date=day,
                quantity=1,
                amount=Decimal(rng.randrange(1000, 15000)).scaleb(-2),
                currency="EUR",
                prescribed=prescribed,
                dose_days=rng.choice((None, None, 30, 60)),
            )
        )
    documents = INCOMPLETE if rng.random() < 0.04 else DOCUMENTS
    claim = ClaimFacts(
        form=form,
        submitted=day + dt.timedelta(days=3),
        diagnosis=rng.choices(DIAGNOSES, DIAGNOSIS_WEIGHTS)[0],
        documents=documents,
        lines=tuple(claim_lines),
    )
    return HealthCase(person.contract, person.covers, person.insured, (), claim)


def run_engine(people, index, lines, rng, watch: set[int], out: TextIO | None = None):
    """Adjudicate the book day by day; only the adjudication of each day's batch is timed.
    With ``out``, every claim's decision is written to it (outside the timed part)."""
    usages: dict[int, Usage] = {}
    outcomes: Counter[str] = Counter()
    watched: list[tuple[Person, HealthCase, str]] = []
    elapsed = cpu = 0.0
    claims = 0
    # The batch makes no reference cycles; without this the cyclic collector would rescan the
    # ever-growing per-person usage again and again.
    gc.disable()
    for batch in days_of_claims(people, lines, rng):
        for person, _case in batch:
            if person.number not in usages:
                usages[person.number] = Usage(person.contract.start)
        started, started_cpu = time.perf_counter(), time.process_time()
        decisions = [
            adjudicate_health(case, index, usages[person.number]) for person, case in batch
        ]
        elapsed += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
        claims += len(batch)
        for (person, case), decision in zip(batch, decisions, strict=True):
            for line in decision.lines:
                outcomes[line.outcome.value] += 1
            if person.number in watch:
                watched.append((person, case, f"{decision.payable:.2f}"))
            if out is not None:
                decided = json.dumps(decision.to_json(), ensure_ascii=False, sort_keys=True)
                out.write(f"{person.number} {decided}\n")
    gc.enable()
    return elapsed, cpu, claims, outcomes, watched


def run_baseline(watched, catalog, version) -> tuple[float, int, int, int]:
    """The watched people's claims through the Django ORM, one claim at a time."""
    folder = tempfile.mkdtemp(prefix="zdrave-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zdrave.settings")
    import zdrave.settings as project_settings

    project_settings.DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(Path(folder) / "bench.sqlite3"),
        }
    }
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from zdrave.claims.actions.decide import adjudicate_claim
    from zdrave.claims.models import Claim
    from zdrave.claims.models import ClaimLine as ClaimLineRow
    from zdrave.contracts.models import (
        Contract,
        ContractMember,
        Cover,
        IdKind,
        InsuredPerson,
        PolicyHolder,
        Sex,
    )

    members = {}
    for person, _case, _payable in watched:
        if person.number in members:
            continue
        insured = InsuredPerson.objects.create(
            first_name="Bench",
            last_name=f"P{person.number}",
            id_kind=IdKind.PASSPORT,
            id_number=f"B{person.number}",
            birth_date=dt.date(1985, 1, 1),
            sex=Sex.FEMALE,
            nhif_rights=person.insured.nhif_rights,
        )
        holder = PolicyHolder.objects.create(
            kind="person",
            name=f"P{person.number}",
            identifier=f"{person.number:010d}",
            person=insured,
        )
        contract = Contract.objects.create(
            number=f"B-{person.number}",
            type="individual",
            holder=holder,
            product_code="health",
            product_version=version.effective_from,
            start=person.contract.start,
            end=person.contract.end - dt.timedelta(days=1),  # the model keeps the last day
            status="in_force",
        )
        member = ContractMember.objects.create(
            contract=contract,
            person=insured,
            role="holder",
            covered_from=person.insured.covered_from,
        )
        for cover in person.covers.values():
            Cover.objects.create(
                contract=contract,
                member=member,
                product_code="health",
                product_version=version.effective_from,
                package=cover.package,
                option=cover.option,
                clause=cover.clause,
            )
        members[person.number] = member
    elapsed = 0.0
    claims = lines = same = 0
    for person, case, payable in watched:
        member = members[person.number]
        claim = Claim.objects.create(
            contract_id=member.contract_id,
            member=member,
            form=case.claim.form,
            submitted=case.claim.submitted,
            diagnosis=case.claim.diagnosis,
            documents=sorted(case.claim.documents),
        )
        ClaimLineRow.objects.bulk_create(
            ClaimLineRow(
                claim=claim,
                member=member,
                index=x.index,
                service=x.service,
                date=x.date,
                quantity=x.quantity,
                amount=x.amount,
                currency=x.currency,
                prescribed=x.prescribed,
                dose_days=x.dose_days,
            )
            for x in case.claim.lines
        )
        started = time.perf_counter()
        decision = adjudicate_claim(claim.pk, catalog=catalog)
        elapsed += time.perf_counter() - started
        claims += 1
        lines += len(case.claim.lines)
        same += f"{decision.payable:.2f}" == payable
    return elapsed, claims, lines, same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument(
        "--baseline-people",
        type=int,
        default=200,
        help="people whose claims also go through the ORM baseline (0: skip)",
    )
    parser.add_argument(
        "--decisions",
        type=Path,
        help="write every claim's decision (person number, then its JSON) to this file and "
        "print the file's SHA-256, to check that a change of the engine changes no decision",
    )
    args = parser.parse_args(argv)

    catalog = load_catalog(default_products_root())
    version = catalog.version("health")
    index = index_for(version)
    rng = random.Random(args.seed)
    people = build_people(args.people, index, rng)
    watch = set(range(min(args.baseline_people, args.people)))

    LIMITED.update(code for code, info in index.services.items() if info.chain_codes)
    with open(args.decisions or os.devnull, "w", encoding="utf-8") as out:
        elapsed, cpu, claims, outcomes, watched = run_engine(
            people, index, args.lines, rng, watch, out if args.decisions else None
        )
    lines = sum(outcomes.values())
    auto = lines - outcomes["pending"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"book: {args.people:,} people, {claims:,} claims, {lines:,} lines (seed {args.seed})")
    print(
        f"engine: {elapsed:.2f} s adjudicating → {lines / elapsed:,.0f} lines/s, "
        f"{claims / elapsed:,.0f} claims/s on one core (wall clock)"
    )
    print(
        f"engine CPU time: {cpu:.2f} s → {lines / cpu:,.0f} lines/s "
        "(what the process itself used; other load on the machine does not count)"
    )
    print(f"peak memory (max RSS): {peak_mb:,.0f} MB")
    print(
        f"auto-decided: {auto / lines:.1%} of lines ("
        + ", ".join(f"{k} {v / lines:.1%}" for k, v in sorted(outcomes.items()))
        + ")"
    )
    if args.decisions:
        digest = hashlib.sha256(args.decisions.read_bytes()).hexdigest()
        print(f"decisions: {args.decisions} (sha256 {digest})")
    if watched:
        b_elapsed, b_claims, b_lines, same = run_baseline(watched, catalog, version)
        engine_cps = claims / elapsed
        baseline_cps = b_claims / b_elapsed
        print(
            f"baseline (Django ORM, SQLite on disk): {b_claims:,} claims / {b_lines:,} lines in "
            f"{b_elapsed:.2f} s → {baseline_cps:,.0f} claims/s, {b_lines / b_elapsed:,.0f} lines/s"
        )
        print(f"engine / baseline: {engine_cps / baseline_cps:,.0f}× (claims per second)")
        print(f"baseline agrees with the engine on {same}/{b_claims} claims' payable amounts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
