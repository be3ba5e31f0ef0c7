"""Import a bank statement: parse, match and book a CSV export of ``--lines`` credits against as
many contracts, and time it beside a baseline from the same run.

    python benchmarks/bank_statement.py                 # 1 000 lines, SQLite in a temp folder
    python benchmarks/bank_statement.py --lines 5000
    ZDRAVE_DATABASE_URL=postgres://… python benchmarks/bank_statement.py   # an empty database

Nine lines in ten name their contract in the payment details; one in ten names none and is
matched by amount and payer or left for a person. The baseline books the same payments with
``billing.actions.payments.record_payment`` one by one, contract already known (what a person
at the desk does): the difference is the cost of reading the file and finding the contracts.
The same file is imported a second time to time the "nothing twice" check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def setup(tmp: str) -> None:
    os.environ.setdefault("ZDRAVE_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zdrave.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("products", "load", stdout=open(os.devnull, "w"))  # noqa: SIM115


def contracts(n: int, prefix: str) -> list:
    from django.utils import timezone

    from zdrave.contracts import actions
    from zdrave.contracts.identifiers import make_egn
    from zdrave.contracts.models import ContractType, HolderKind, IdKind, MemberRole

    start = timezone.localdate() - dt.timedelta(days=100)
    made = []
    for i in range(n):
        birth = dt.date(1950 + i % 50, 1 + i % 12, 1 + i % 28)
        person = actions.register_person(
            actor=None,
            first_name="Име",
            last_name=f"Фамилия{prefix}{i}",
            id_kind=IdKind.EGN,
            id_number=make_egn(birth, (i // 600) * 2 + (1 if prefix == "B" else 0), female=False),
        )
        holder = actions.create_holder(
            actor=None,
            kind=HolderKind.PERSON,
            name=person.full_name,
            identifier=person.id_number,
            person=person,
        )
        contract = actions.create_contract(
            actor=None,
            number=f"{prefix}-{i:06d}",
            type=ContractType.INDIVIDUAL,
            holder=holder,
            product_code="health",
            start=start,
            end=start + dt.timedelta(days=364),
        )
        actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
        actions.add_cover(
            contract, actor=None, product_code="health", package=2, option="basic", clause="Б1"
        )
        actions.schedule_premium(
            contract,
            [(start, Decimal("100.00")), (start + dt.timedelta(days=182), Decimal("100.00"))],
            by=None,
        )
        actions.put_in_force(contract, actor=None)
        made.append(contract)
    return made


def csv_for(made: list) -> bytes:
    day = (dt.date.today() - dt.timedelta(days=1)).strftime("%d.%m.%Y")  # noqa: DTZ011
    rows = ["Дата;Референция;Наредител;IBAN на наредителя;Дебит;Кредит;Валута;Основание"]
    for i, contract in enumerate(made):
        details = "застраховка" if i % 10 == 9 else f"вноска {contract.number}"
        rows.append(f"{day};FT{i:08d};{contract.holder.name};;;100,00;EUR;{details}")
    return ("\r\n".join(rows) + "\r\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection
        from django.utils import timezone

        from zdrave.policy_admin.billing.actions.payments import record_payment
        from zdrave.policy_admin.billing.actions.statements import import_statement
        from zdrave.policy_admin.billing.models import LineStatus

        t0 = time.perf_counter()
        baseline_contracts = contracts(args.lines, "B")
        statement_contracts = contracts(args.lines, "S")
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        for contract in baseline_contracts:
            record_payment(
                contract, amount=Decimal("100.00"), received_on=timezone.localdate(), actor=None
            )
        baseline = time.perf_counter() - t0
        data = csv_for(statement_contracts)
        t0 = time.perf_counter()
        result = import_statement("bench.csv", data, actor=None)
        imported = time.perf_counter() - t0
        t0 = time.perf_counter()
        import_statement("bench.csv", data, actor=None)
        again = time.perf_counter() - t0
        booked = result.statement.lines.filter(status=LineStatus.BOOKED).count()
        print(f"database: {connection.vendor}; {args.lines} lines; set-up {built:.1f} s")
        print(
            f"baseline (record_payment, contract known): {baseline:.2f} s, "
            f"{args.lines / baseline:.0f} payments/s"
        )
        print(
            f"statement import (parse, match, book): {imported:.2f} s, "
            f"{args.lines / imported:.0f} lines/s; booked {booked} of {args.lines}"
        )
        print(f"same file again: {again * 1000:.1f} ms (nothing booked)")


if __name__ == "__main__":
    main()
