"""The schema of a tariff file. Every key is checked (``Strict``: an unknown key is an error);
the cross-checks against the product version (packages, options, clauses that exist) are in
``loader``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field, model_validator

from zdrave.engine.terms.common import Amount, Citation, Strict, Text
from zdrave.engine.terms.health import ClauseCode, OptionCode


class AgeBand(Strict):
    """Completed years at the contract start (004 Чл.1 "на база цели години"), inclusive."""

    from_years: int = Field(ge=0)
    to_years: int = Field(ge=0)
    factor: Amount


class GroupBand(Strict):
    """A discount for a group contract of at least ``from_size`` insured people."""

    from_size: int = Field(ge=1)
    discount_percent: Amount


class InstalmentPlan(Strict):
    """Paying in ``count`` instalments a year adds ``loading_percent`` to the yearly premium."""

    count: int = Field(ge=1, le=12)  # 004 Чл.25 т.2: at most twelve a year
    loading_percent: Amount


class Tariff(Strict):
    product: str
    product_version: dt.date  # the product version (folder) the tariff prices
    effective_from: dt.date  # the first contract start it prices; the file is named by it
    effective_to: dt.date | None = None  # inclusive; None = still in use
    currency: str = Field(pattern="^EUR$")
    # The seeds give no prices: what this file is, shown beside every premium.
    assumption: Text
    clause: Citation  # the premium follows the covers chosen (004 Чл.26 т.4)
    # Yearly premium per person (EUR, age factor 1, clause factor 1) by package and option.
    yearly_premiums: dict[int, dict[OptionCode, Amount]]
    clause_factors: dict[ClauseCode, Amount]
    clause_factors_clause: Citation
    age_bands: list[AgeBand] = Field(min_length=1)
    age_clause: Citation
    group_discounts: list[GroupBand] = Field(default_factory=list)
    group_clause: Citation
    instalments: list[InstalmentPlan] = Field(min_length=1)
    instalments_clause: Citation
    not_sold_alone: list[int] = Field(default_factory=list)
    not_sold_alone_clause: Citation

    @model_validator(mode="after")
    def _check(self) -> Tariff:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        if self.effective_from < self.product_version:
            raise ValueError("effective_from is before the product version it prices")
        expected = 0
        for band in self.age_bands:
            if band.from_years != expected:
                raise ValueError(
                    f"age bands must follow each other without a gap from 0: expected a band "
                    f"from {expected}, got {band.from_years}"
                )
            if band.to_years < band.from_years:
                raise ValueError(f"age band from {band.from_years} ends before it starts")
            if band.factor <= 0:
                raise ValueError("an age factor must be above 0")
            expected = band.to_years + 1
        sizes = [g.from_size for g in self.group_discounts]
        if sizes != sorted(set(sizes)):
            raise ValueError("group discounts must be listed by growing size, each size once")
        for group in self.group_discounts:
            if group.discount_percent >= 100:
                raise ValueError("a group discount must be below 100 %")
        counts = [p.count for p in self.instalments]
        if len(set(counts)) != len(counts):
            raise ValueError("each number of instalments may be listed once")
        if 1 not in counts:
            raise ValueError("a single payment (count 1) must be offered (004 Чл.25 т.2)")
        for factor in self.clause_factors.values():
            if factor <= 0:
                raise ValueError("a clause factor must be above 0")
        return self

    @property
    def key(self) -> str:
        return f"{self.product}@{self.product_version.isoformat()}/tariff@{self.effective_from}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def age_band(self, years: int) -> AgeBand | None:
        for band in self.age_bands:
            if band.from_years <= years <= band.to_years:
                return band
        return None

    def group_discount(self, size: int | None) -> Decimal:
        found = Decimal(0)
        for band in self.group_discounts:
            if size is not None and size >= band.from_size:
                found = band.discount_percent
        return found

    def instalment_plan(self, count: int) -> InstalmentPlan | None:
        for plan in self.instalments:
            if plan.count == count:
                return plan
        return None
