"""What one insured person has already used under one contract, kept as small counters.

A scenario builds it from ``history``; a batch keeps one per person and records each decided line
into it, so limits are checked without rereading history. The insurance year runs from the
contract's start date (year 0 is the first twelve months).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zdrave.engine.terms.common import LimitPeriod

ZERO = Decimal("0.00")
DISEASE_WINDOW_DAYS = 30  # 004 Чл.13


def disease_of(diagnosis: str | None) -> str:
    """004 Чл.13 counts exams "за дадено заболяване": we group by the three-character ICD-10
    category, so a diagnosis refined from J06 to J06.9 between visits is still one disease."""
    return (diagnosis or "")[:3]


class Usage:
    """One person's usage under one contract. Small on purpose: a batch keeps one per person.

    ``_rows`` maps (period, service code) to [count, paid], the period being the insurance year
    or -1 for the whole contract; ``_package`` maps (year, package, form) to paid, form "" being
    both forms; ``_forms`` counts paid lines per (package, form) (002 VI бел.*); ``_exams`` keeps
    the primary/secondary exams per disease (004 Чл.13), created on first use.
    """

    __slots__ = ("start", "_rows", "_package", "_total", "_forms", "_exams")

    def __init__(self, contract_start: dt.date):
        self.start = contract_start
        self._rows: dict[tuple[int, str], list] = {}
        self._package: dict[tuple[int, int, str], Decimal] = {}
        self._total = ZERO
        self._forms: dict[tuple[int, str], int] = {}
        self._exams: dict[str, list[tuple[dt.date, str, int]]] | None = None

    def year_of(self, day: dt.date) -> int:
        start = self.start
        years = day.year - start.year
        if (day.month, day.day) < (start.month, start.day):
            years -= 1
        return years

    def period_key(self, period: LimitPeriod, day: dt.date) -> int:
        return self.year_of(day) if period is LimitPeriod.YEAR else -1

    # ---- reads ----

    def count(self, key: int, code: str) -> int:
        row = self._rows.get((key, code))
        return row[0] if row else 0

    def money(self, key: int, code: str) -> Decimal:
        row = self._rows.get((key, code))
        return row[1] if row else ZERO

    def package_paid(self, year: int, package: int, form: str = "") -> Decimal:
        return self._package.get((year, package, form), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return self._total

    def form_used(self, package: int, form: str) -> bool:
        return self._forms.get((package, form), 0) > 0

    def package_used(self, package: int) -> bool:
        forms = self._forms
        return (
            forms.get((package, "subscription"), 0) > 0
            or forms.get((package, "reimbursement"), 0) > 0
        )

    def exams_within(self, disease: str, day: dt.date, kind: str) -> int:
        """Exams of ``kind`` for ``disease`` within 30 days of ``day``, either side: claims do
        not always arrive in date order, and an exam decided earlier may be dated later."""
        if not self._exams:
            return 0
        total = 0
        for when, k, quantity in self._exams.get(disease, ()):
            if k == kind and abs((day - when).days) <= DISEASE_WINDOW_DAYS:
                total += quantity
        return total

    # ---- writes ----

    def record(
        self,
        day: dt.date,
        package: int,
        form: str,
        chain_codes: tuple[str, ...],
        quantity: int,
        paid: Decimal,
        exam_kind: str | None = None,
        diagnosis: str | None = None,
        sign: int = 1,
    ) -> None:
        """Add one decided line (``sign=-1`` takes a tentative line back out). Only lines that
        paid something use a limit: a refused line leaves every counter as it was."""
        if paid <= 0:
            return
        year = self.year_of(day)
        q = quantity * sign
        amount = paid if sign > 0 else -paid
        rows = self._rows
        for code in chain_codes:
            for key in ((year, code), (-1, code)):
                row = rows.get(key)
                if row is None:
                    rows[key] = [q, amount]
                else:
                    row[0] += q
                    row[1] += amount
        packages = self._package
        for key in ((year, package, form), (year, package, "")):
            packages[key] = packages.get(key, ZERO) + amount
        self._total += amount
        self._forms[(package, form)] = self._forms.get((package, form), 0) + sign
        if exam_kind:
            self._log_exam(disease_of(diagnosis), (day, exam_kind, quantity), sign)

    def _log_exam(self, disease: str, entry: tuple[dt.date, str, int], sign: int) -> None:
        if self._exams is None:
            self._exams = {}
        log = self._exams.setdefault(disease, [])
        if sign > 0:
            log.append(entry)
        elif entry in log:
            log.remove(entry)
