"""What one insured person has already used under one contract, kept as small counters.

A scenario builds it from ``history``; a batch keeps one per person and records each decided line
into it, so limits are checked without rereading history. The insurance year runs from the
contract's start date (year 0 is the first twelve months).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from zdrave.engine.money import ZERO
from zdrave.engine.terms.common import LimitPeriod

DISEASE_WINDOW_DAYS = 30  # 004 Чл.13


def disease_of(diagnosis: str | None) -> str:
    """004 Чл.13 counts exams "за дадено заболяване": we group by the three-character ICD-10
    category, so a diagnosis refined from J06 to J06.9 between visits is still one disease."""
    return (diagnosis or "")[:3]


NOTHING_PAID = (ZERO, ZERO, ZERO)
# Where a form's paid amount sits in a (year, package) row: [both forms, subscription,
# reimbursement].
FORM_SLOT = {"": 0, "subscription": 1, "reimbursement": 2}


class Usage:
    """One person's usage under one contract. Small on purpose: a batch keeps one per person.

    ``_rows`` maps (period, service code) to [count, paid], the period being the insurance year
    or -1 for the whole contract; ``_package`` maps (year, package) to what was paid by either
    form, in subscription and in reimbursement; ``_exams`` keeps the primary/secondary exams
    per disease (004 Чл.13), created on first use.
    """

    __slots__ = ("start", "_second_year", "_rows", "_package", "_total", "_exams")

    def __init__(self, contract_start: dt.date):
        self.start = contract_start
        # Most lines fall in the first insurance year: one comparison instead of date arithmetic.
        self._second_year = _anniversary(contract_start)
        self._rows: dict[tuple[int, str], list] = {}
        self._package: dict[tuple[int, int], list[Decimal]] = {}
        self._total = ZERO
        self._exams: dict[str, list[tuple[dt.date, str, int]]] | None = None

    def year_of(self, day: dt.date) -> int:
        start = self.start
        if start <= day < self._second_year:
            return 0
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
        return self.package_row(year, package)[FORM_SLOT[form]]

    def package_row(self, year: int, package: int) -> Sequence[Decimal]:
        """What the package paid in the insurance year: (by either form, in subscription, in
        reimbursement). Read-only."""
        return self._package.get((year, package), NOTHING_PAID)

    @property
    def total_paid(self) -> Decimal:
        return self._total

    def form_used(self, package: int, form: str) -> bool:
        """Whether a line of the package was paid in ``form`` in any year (002 VI бел.*).
        Only lines that paid something are recorded, so that is a positive amount."""
        return self._package_used(package, FORM_SLOT[form])

    def package_used(self, package: int) -> bool:
        return self._package_used(package, 0)

    def _package_used(self, package: int, slot: int) -> bool:
        return any(
            row[slot] > ZERO for (_year, number), row in self._package.items() if number == package
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

    def add(
        self,
        year: int,
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
        """Add one decided line of insurance ``year`` (``year_of(day)``; ``sign=-1`` takes a
        tentative line back out). Only lines that paid something use a limit: a refused line
        leaves every counter as it was."""
        if paid <= ZERO:
            return
        amount = paid if sign > 0 else -paid
        if chain_codes:
            self._record_rows(year, chain_codes, quantity * sign, amount)
        slot = FORM_SLOT[form]
        row = self._package.get((year, package))
        if row is None:
            row = self._package[(year, package)] = [ZERO, ZERO, ZERO]
        row[0] += amount
        row[slot] += amount
        self._total += amount
        if exam_kind:
            self._log_exam(disease_of(diagnosis), (day, exam_kind, quantity), sign)

    def _record_rows(
        self, year: int, chain_codes: tuple[str, ...], quantity: int, amount: Decimal
    ) -> None:
        rows = self._rows
        for code in chain_codes:
            for key in ((year, code), (-1, code)):
                row = rows.get(key)
                if row is None:
                    rows[key] = [quantity, amount]
                else:
                    row[0] += quantity
                    row[1] += amount

    def _log_exam(self, disease: str, entry: tuple[dt.date, str, int], sign: int) -> None:
        if self._exams is None:
            self._exams = {}
        log = self._exams.setdefault(disease, [])
        if sign > 0:
            log.append(entry)
        elif entry in log:
            log.remove(entry)


@lru_cache(maxsize=4096)
def _anniversary(start: dt.date) -> dt.date:
    """The first day of the second insurance year (a 29 February start: 1 March). Cached: a
    book's contracts start on few distinct days, and people share the date object."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return dt.date(start.year + 1, 3, 1)
