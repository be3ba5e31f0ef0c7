"""Upload, preview and apply a 10 000-person employer census; time it beside a row-by-row
baseline from the same run.

    python benchmarks/census.py                       # SQLite (a temp file) and PostgreSQL
    python benchmarks/census.py --db sqlite --people 2000
    ZDRAVE_DATABASE_URL=postgres://… python benchmarks/census.py --db postgres

Each database runs in a child process on a fresh scratch database (SQLite: a file in a temp
folder; PostgreSQL: ``zdrave_bench_census`` next to ``ZDRAVE_DATABASE_URL``'s database, or the
cluster ``scripts/postgres.sh`` starts). Steps, each timed by wall clock:

1. a group contract of 10 people in force (contracts actions);
2. **first census**: a CSV (Windows-1251, semicolons) of those 10 plus ``--people`` − 10
   newcomers — preview (read, check every row with the engine's rules, compare, store) and
   apply (one annex: people, members, covers, lines, audit rows in bulk);
3. the same census as XLSX, previewed only;
4. **a change**: 10 % of the people leave, 10 % change option, 10 % join — preview and apply;
5. **baseline**: what the same additions cost one row at a time through the contracts actions
   (``register_person`` + ``add_member`` + ``add_cover``, each with its own checks and audit
   row), over ``--baseline`` rows, scaled to ``--people``.

Targets (issue 11): preview under 5 s, apply under 10 s for 10 000 people.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

HEADER = "ЕГН;Име;Презиме;Фамилия;Роля;Пакети;Опция;Клауза"
EIK_BODY = "20377777"


def postgres_url() -> str:
    url = os.environ.get("ZDRAVE_DATABASE_URL")
    if not url:
        url = subprocess.run(
            ["bash", str(REPO / "scripts" / "postgres.sh"), "start"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS zdrave_bench_census")
        conn.execute("CREATE DATABASE zdrave_bench_census")
    return url.rsplit("/", 1)[0] + "/zdrave_bench_census"


def setup_django(db: str, scratch: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zdrave.settings")
    os.environ["ZDRAVE_PRIVATE_MEDIA"] = scratch
    if db == "postgres":
        os.environ["ZDRAVE_DATABASE_URL"] = postgres_url()
    else:
        os.environ.pop("ZDRAVE_DATABASE_URL", None)
    from django.conf import settings

    if db == "sqlite":
        settings.DATABASES["default"]["NAME"] = str(Path(scratch) / "bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("products", "load", stdout=io.StringIO())


def egn_of(n: int) -> str:
    """A valid ЕГН for person ``n``: 999 people a birth day, born from 1970 on."""
    from stdnum.bg import egn

    born = dt.date(1970, 1, 1) + dt.timedelta(days=n // 999)
    base = f"{born:%y%m%d}{n % 999:03d}"
    return base + egn.calc_check_digit(base)


def row(n: int, option: str = "basic") -> str:
    return f"{egn_of(n)};Служител;;Пробен{n};служител;2, 3;{option};Б1"


def group_contract(start: dt.date):
    from decimal import Decimal

    from stdnum.bg import vat

    from zdrave.contracts import actions
    from zdrave.contracts.models import ContractType, HolderKind, IdKind, MemberRole

    holder = actions.create_holder(
        actor=None,
        kind=HolderKind.COMPANY,
        name="Бенчмарк ООД",
        identifier=EIK_BODY + vat.calc_check_digit_legal(EIK_BODY),
    )
    contract = actions.create_contract(
        actor=None,
        number="G-BENCH",
        type=ContractType.GROUP,
        holder=holder,
        product_code="health",
        start=start,
        end=dt.date(start.year + 1, start.month, start.day) - dt.timedelta(days=1),
    )
    for n in range(10):
        person = actions.register_person(
            actor=None,
            first_name="Служител",
            last_name=f"Пробен{n}",
            id_kind=IdKind.EGN,
            id_number=egn_of(n),
        )
        actions.add_member(contract, person, MemberRole.EMPLOYEE, actor=None)
    for package in (2, 3):
        actions.add_cover(
            contract,
            actor=None,
            product_code="health",
            package=package,
            option="basic",
            clause="Б1",
        )
    actions.schedule_premium(contract, [(start, Decimal("10500.00"))], by=None)
    actions.put_in_force(contract, actor=None)
    return contract


def timed(fn):
    began = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - began


def xlsx(lines: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("census")
    for line in lines:
        sheet.append(line.split(";"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(db: str, people: int, baseline: int) -> dict:
    scratch = tempfile.mkdtemp(prefix="zdrave-census-")
    setup_django(db, scratch)
    from django.utils import timezone

    from zdrave.contracts import actions as contract_actions
    from zdrave.contracts.models import ContractMember, IdKind, MemberRole
    from zdrave.policy_admin.groups import actions

    today = timezone.localdate()
    contract = group_contract(today - dt.timedelta(days=30))
    effective = today + dt.timedelta(days=1)
    figures: dict[str, float | int | str] = {"db": db, "people": people}

    lines = [HEADER] + [row(n) for n in range(people)]
    data = "\r\n".join(lines).encode("cp1251")
    upload, figures["first_preview_s"] = timed(
        lambda: actions.preview_census(
            contract, actor=None, file_name="census.csv", data=data, effective=effective
        )
    )
    assert not upload.errors, upload.errors[:3]
    assert len(upload.diff["added"]) == people - 10
    book = xlsx(lines)
    xupload, figures["xlsx_preview_s"] = timed(
        lambda: actions.preview_census(
            contract, actor=None, file_name="census.xlsx", data=book, effective=effective
        )
    )
    assert len(xupload.diff["added"]) == people - 10
    annex, figures["first_apply_s"] = timed(lambda: actions.apply_census(upload, actor=None))
    assert ContractMember.objects.filter(contract=contract).count() == people
    figures["first_annex_lines"] = annex.lines.count()

    tenth = people // 10
    changed = [row(n, "full") for n in range(tenth, 2 * tenth)]
    kept = [row(n) for n in range(2 * tenth, people)]
    joined = [row(n) for n in range(people, people + tenth)]
    second = "\r\n".join([HEADER, *changed, *kept, *joined]).encode("utf-8")
    upload2, figures["change_preview_s"] = timed(
        lambda: actions.preview_census(
            contract, actor=None, file_name="census2.csv", data=second, effective=effective
        )
    )
    assert {k: len(upload2.diff[k]) for k in ("added", "removed", "changed")} == {
        "added": tenth,
        "removed": tenth,
        "changed": tenth,
    }, {k: len(upload2.diff[k]) for k in ("added", "removed", "changed")}
    annex2, figures["change_apply_s"] = timed(lambda: actions.apply_census(upload2, actor=None))
    figures["change_annex_lines"] = annex2.lines.count()

    def one_by_one():
        for n in range(people + tenth, people + tenth + baseline):
            person = contract_actions.register_person(
                actor=None,
                first_name="Служител",
                last_name=f"Пробен{n}",
                id_kind=IdKind.EGN,
                id_number=egn_of(n),
            )
            # contracts.actions.add_member counts the members and checks the role each time.
            member = contract_actions.add_member(
                contract, person, MemberRole.EMPLOYEE, actor=None, covered_from=effective
            )
            for package in (2, 3):
                contract_actions.add_cover(
                    contract,
                    actor=None,
                    member=member,
                    product_code="health",
                    package=package,
                    option="full",
                    clause="Б1",
                )

    _none, spent = timed(one_by_one)
    figures["baseline_rows"] = baseline
    figures["baseline_s_per_row_ms"] = round(spent / baseline * 1000, 2)
    figures["baseline_scaled_s"] = round(spent / baseline * (people - 10), 2)
    for key, value in figures.items():
        if isinstance(value, float):
            figures[key] = round(value, 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=300)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.db, args.people, args.baseline)))
        return
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = []
    for db in dbs:
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--db", db, "--people", str(args.people),
             "--baseline", str(args.baseline)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"Census of {args.people} people (targets: preview < 5 s, apply < 10 s)")
    rows = [
        ("first census: preview (CSV, cp1251)", "first_preview_s"),
        ("first census: preview (XLSX)", "xlsx_preview_s"),
        ("first census: apply (one annex)", "first_apply_s"),
        ("10 % left, 10 % changed, 10 % joined: preview", "change_preview_s"),
        ("10 % left, 10 % changed, 10 % joined: apply", "change_apply_s"),
        ("baseline: the same additions one row at a time (scaled)", "baseline_scaled_s"),
        ("baseline: per row (ms)", "baseline_s_per_row_ms"),
    ]
    print(f"{'':58}" + "".join(f"{r['db']:>12}" for r in results))
    for label, key in rows:
        print(f"{label:58}" + "".join(f"{r[key]:>12}" for r in results))


if __name__ == "__main__":
    main()
