"""A product version: everything one folder ``products/<code>/<effective-from>/`` says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

from pydantic import Field, model_validator

from zdrave.engine.terms.abroad import AbroadTerms
from zdrave.engine.terms.common import Citation, Strict, Text
from zdrave.engine.terms.health import Package, Service
from zdrave.engine.terms.member_services import MemberServicesTerms
from zdrave.engine.terms.rules import Rules
from zdrave.engine.terms.underwriting import Underwriting

ProductCode = Literal["health", "best-doctors", "extra-care"]


class Party(Strict):
    """An insurer or a partner: configurable, never hard-wired (seeds README)."""

    code: str
    name: Text
    email: str | None = None
    phone: str | None = None
    website: str | None = None


class Interpretation(Strict):
    """A reading of an unclear passage of the seed, kept beside the data it shaped."""

    clause: Citation
    text: Text


class Assumption(Strict):
    """Something the platform assumes where the seeds are silent, shown to readers as such: not
    a term of the seed. ``clause`` is the passage the assumption fills in around."""

    clause: Citation
    text: Text


class ProductVersion(Strict):
    product: ProductCode
    name: Text
    summary: Text
    insurer: Party
    partners: list[Party] = Field(default_factory=list)
    effective_from: dt.date
    effective_to: dt.date | None = None  # inclusive; None = still sold
    sources: list[Citation]  # the seed documents, e.g. "004 Общи условия", "002 Пакети"
    packages: list[Package] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)
    underwriting: Underwriting | None = None
    abroad: AbroadTerms | None = None
    member_services: MemberServicesTerms | None = None
    interpretations: list[Interpretation] = Field(default_factory=list)
    # An add-on: a cover of this product only on a contract of one of these products.
    sold_with: list[ProductCode] = Field(default_factory=list)
    sold_with_clause: Citation | None = None
    assumptions: list[Assumption] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> ProductVersion:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        if self.sold_with and self.sold_with_clause is None:
            raise ValueError("sold_with needs sold_with_clause")
        numbers = [p.number for p in self.packages]
        dupes = {n for n in numbers if numbers.count(n) > 1}
        if dupes:
            raise ValueError(f"duplicate package number(s) {sorted(dupes)}")
        return self

    @property
    def key(self) -> str:
        return f"{self.product}@{self.effective_from.isoformat()}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def package(self, number: int) -> Package | None:
        for p in self.packages:
            if p.number == number:
                return p
        return None

    def services(self) -> Iterator[tuple[Package, Service]]:
        for p in self.packages:
            for s in p.services:
                yield p, s

    def find_service(self, code: str) -> tuple[Package, Service] | None:
        head = code.split(".", 1)[0]
        package = self.package(int(head)) if head.isdigit() else None
        if package is None:
            return None
        service = package.service(code)
        return (package, service) if service else None

    def citations(self) -> list[str]:
        """Every clause citation in this version (for ``zdrave products check``)."""
        found: list[str] = []

        def walk(value: object) -> None:
            if isinstance(value, Strict):
                for name in type(value).model_fields:
                    item = getattr(value, name)
                    if name.endswith("clause") and isinstance(item, str):
                        found.append(item)
                    else:
                        walk(item)
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list | tuple):
                for item in value:
                    walk(item)

        walk(self)
        return found
