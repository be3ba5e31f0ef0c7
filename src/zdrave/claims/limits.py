"""What is left of a person's limits in the current insurance year, for the chart on "My claims".

004 Чл.26 т.1: the insurer's liability is limited to the limits of the contract — per cover
(a package of 002: its yearly limit per form, 002 II.Б … VI.Б, the reimbursement form a
sub-limit of the subscription form, 002 бел.***; package 5's two forms one limit, 002 V бел.*)
and per service row (002's count and money columns). "Used" is what the engine counts: the
person's paid lines (``fetch.history_for``) through ``engine.adjudication.health.
usage_from_history``, so the chart and the next decision never disagree. The contract model
keeps no aggregate limit per person (Чл.26 т.1 first bullet) yet; nothing is shown for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.claims.catalogue import Covered, language, service_label
from zdrave.claims.fetch import history_for
from zdrave.engine.adjudication.index import LimitRef
from zdrave.engine.terms.common import LimitPeriod, LimitUnit
from zdrave.products.display import clause_label, option_label

ZERO = Decimal("0.00")
COUNTED = (LimitPeriod.YEAR, LimitPeriod.CONTRACT, LimitPeriod.LIFETIME)


@dataclass(frozen=True)
class Bar:
    """One limit: what was used of it and what is left, in euro or in units."""

    label: str
    used: Decimal | int
    limit: Decimal | int
    unit: str  # LimitUnit value
    clause: str

    @property
    def left(self) -> Decimal | int:
        left = self.limit - self.used
        return left if left > 0 else (ZERO if self.unit == LimitUnit.MONEY else 0)

    @property
    def percent(self) -> int:
        """Share used, 0–100, for the width of the bar."""
        if not self.limit:
            return 0
        return max(0, min(100, round(self.used * 100 / self.limit)))

    @property
    def money(self) -> bool:
        return self.unit == LimitUnit.MONEY


@dataclass(frozen=True)
class PackageLimits:
    number: int
    name: str
    option: str
    clause: str
    bars: list[Bar] = field(default_factory=list)
    services: list[Bar] = field(default_factory=list)


@dataclass(frozen=True)
class PersonLimits:
    covered: Covered
    year_from: dt.date
    year_to: dt.date
    packages: list[PackageLimits]


def person_limits(covered: Covered, today: dt.date | None = None) -> PersonLimits:
    today = today or timezone.localdate()
    usage = covered.usage
    index = covered.index
    contract = covered.member.contract
    year = usage.year_of(today)
    year_from = _anniversary(contract.start, year)
    year_to = min(_anniversary(contract.start, year + 1) - dt.timedelta(days=1), contract.end)
    used_codes = [
        h.service for h in history_for(covered.member.pk) if usage.year_of(h.date) == year
    ]
    lang = language()
    packages = []
    for number in sorted(covered.covers):
        package = index.packages.get(number)
        if package is None:
            continue
        cover = covered.covers[number]
        packages.append(
            PackageLimits(
                number=number,
                name=package.name.get(lang),
                option=option_label(cover.option),
                clause=clause_label(cover.clause),
                bars=_package_bars(covered, number, year),
                services=_service_bars(covered, number, year, used_codes),
            )
        )
    return PersonLimits(covered, year_from, year_to, packages)


def _package_bars(covered: Covered, number: int, year: int) -> list[Bar]:
    index = covered.index
    package = index.packages[number]
    cover = covered.covers[number]
    subscription, reimbursement, _printed = index.yearly(package, cover.option)
    used_all, _used_subscription, used_reimbursement = covered.usage.package_row(year, number)
    bars = []
    # Clause A has no reimbursement form (002 VII т.1): nothing of it can be claimed here.
    if reimbursement is not None and cover.clause != "A":
        shared = package.mutually_exhausting_forms
        bars.append(
            Bar(
                _("Reimbursement of expenses"),
                used_all if shared else used_reimbursement,
                reimbursement,
                LimitUnit.MONEY,
                (package.mutually_exhausting_clause if shared else None)
                or package.yearly_limits_clause,
            )
        )
    if subscription is not None:
        bars.append(
            Bar(
                _("Both forms together"),
                used_all,
                subscription,
                LimitUnit.MONEY,
                package.yearly_limits_clause,
            )
        )
    return bars


def _service_bars(covered: Covered, number: int, year: int, used_codes: list[str]) -> list[Bar]:
    """The rows with a count, day, kilometre or money limit that the person's paid lines used
    this year (002's "брой" column and the option's own cells), each once."""
    index = covered.index
    option = covered.covers[number].option
    seen: set[tuple[str, str]] = set()
    bars = []
    for code in dict.fromkeys(used_codes):
        info = index.services.get(code)
        if info is None or info.package_number != number:
            continue
        for ref in index.limits(info, option):
            key = (ref.holder, ref.limit.unit.value)
            if key in seen or ref.limit.per not in COUNTED:
                continue
            seen.add(key)
            bars.append(_service_bar(covered, ref, year))
    return bars


def _service_bar(covered: Covered, ref: LimitRef, year: int) -> Bar:
    index = covered.index
    usage = covered.usage
    period = year if ref.limit.per is LimitPeriod.YEAR else -1
    holder = index.services.get(ref.holder)
    if holder is not None:
        label = service_label(holder)
    else:  # a heading row with a group limit (002 II.12's 300 лв for all of item 12)
        package = index.packages[int(ref.holder.split(".", 1)[0])]
        row = package.service(ref.holder)
        label = row.name.get(language()) if row is not None else ref.holder
    if ref.eur is not None:
        return Bar(
            label, usage.money(period, ref.holder), ref.eur, LimitUnit.MONEY, ref.limit.clause
        )
    return Bar(
        label,
        usage.count(period, ref.holder),
        int(ref.limit.value),
        ref.limit.unit.value,
        ref.limit.clause,
    )


def _anniversary(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return dt.date(start.year + years, 3, 1)
