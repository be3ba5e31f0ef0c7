"""The monthly complaints register and the answer deadline, timed beside a baseline.

    python benchmarks/complaints_register.py                  # 5 000 complaints in one month
    python benchmarks/complaints_register.py --complaints 20000

On a fresh on-disk SQLite database in a temp folder (or ``ZDRAVE_DATABASE_URL``), the month is
filled with complaints (bulk insert), then timed:

- ``register.month_rows`` + ``as_csv`` and + ``as_xlsx`` (what the staff download), beside the
  baseline of the same month read with a bare ``values_list`` and written with ``csv.writer``;
- the engine's ``answer_deadline`` for every day of a year under each rule (001 т.79, 003 т.77,
  004 silent), beside ``add_months`` alone.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def timed(label: str, work, repeat: int = 3) -> float:
    best = min(_once(work) for _ in range(repeat))
    print(f"  {label:<48} {best * 1000:9.1f} ms")
    return best


def _once(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=5000)
    args = parser.parse_args()
    os.environ.setdefault("ZDRAVE_VAR_DIR", tempfile.mkdtemp(prefix="zdrave-bench-var-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zdrave.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from zdrave.engine.calendar import add_months
    from zdrave.engine.complaints import answer_deadline
    from zdrave.engine.terms.abroad import ComplaintRule
    from zdrave.member_rights.complaints import register
    from zdrave.member_rights.complaints.models import Complaint

    call_command("migrate", verbosity=0)
    officer = get_user_model().objects.create_user("bench-officer", role="complaints_officer")
    first = dt.date(2026, 11, 1)
    rows = [
        Complaint(
            number=f"CP-2026-{i:06d}",
            channel=("portal", "letter", "phone")[i % 3],
            received_on=first + dt.timedelta(days=i % 30),
            category=("claim_decision", "contract", "provider")[i % 3],
            complainant_kind="insured",
            complainant_name=f"Член {i}",
            text="Жалба " * 40,
            filed_by=officer,
            target_on=add_months(first, 1),
            due_on=add_months(first, 1),
            deadline_clause="004 Чл.31 т.2",
            deadline_from_terms=False,
        )
        for i in range(args.complaints)
    ]
    Complaint.objects.bulk_create(rows, batch_size=1000)
    print(f"Register of {args.complaints} complaints in {first:%Y-%m}:")
    baseline = timed(
        "baseline: values_list + csv.writer",
        lambda: _baseline_csv(Complaint, first, add_months(first, 1)),
    )
    rows_csv = timed(
        "register.month_rows + as_csv",
        lambda: register.as_csv(register.month_rows(2026, 11)),
    )
    rows_xlsx = timed(
        "register.month_rows + as_xlsx",
        lambda: register.as_xlsx(register.month_rows(2026, 11), title="2026-11"),
    )
    print(f"  CSV {rows_csv / baseline:.1f}× the baseline, XLSX {rows_xlsx / baseline:.1f}×")

    days = [dt.date(2026, 1, 1) + dt.timedelta(days=d) for d in range(365)]
    rules = [
        ComplaintRule(months=1, clause="001 т.79"),
        ComplaintRule(working_days_min=10, working_days_max=30, clause="003 т.77"),
        None,
    ]
    print("Answer deadline for every day of 2026 under 001 т.79, 003 т.77 and 004 (silent):")
    base = timed(
        "baseline: add_months alone (3 × 365)", lambda: [add_months(d, 1) for d in days * 3]
    )
    engine = timed(
        "engine.complaints.answer_deadline (3 × 365)",
        lambda: [answer_deadline(rule, d) for rule in rules for d in days],
    )
    per = engine / (3 * len(days)) * 1e6
    print(f"  {per:.1f} µs a deadline ({engine / base:.1f}× add_months; 30 working days walked)")


def _baseline_csv(model, start, end) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in model.objects.filter(received_on__gte=start, received_on__lt=end).values_list(
        "number", "received_on", "channel", "complainant_name", "category", "due_on", "outcome"
    ):
        writer.writerow(row)
    return out.getvalue().encode()


if __name__ == "__main__":
    main()
