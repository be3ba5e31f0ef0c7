"""Read the tariff files: ``products/<code>/<version>/tariff/<effective-from>.yaml``, one tariff
a file, checked against its schema and against the product version it prices (every package,
option and clause it names exists). All or nothing, like the product files: ``load_tariffs``
returns every tariff valid or raises ``TermsError`` listing each problem as
``file:line: path: rule``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from zdrave.engine.tariff.schema import Tariff
from zdrave.engine.terms.loader import (
    Catalog,
    Problem,
    TermsError,
    _display,
    _format_loc,
    _message,
    _read_yaml,
)
from zdrave.engine.terms.product import ProductVersion

TARIFF_FOLDER = "tariff"


@dataclass(frozen=True)
class TariffBook:
    """Every tariff by product and product version, oldest first."""

    tariffs: dict[tuple[str, dt.date], tuple[Tariff, ...]]

    def all(self) -> list[Tariff]:
        return [t for key in sorted(self.tariffs) for t in self.tariffs[key]]

    def tariff_for(self, product: str, version: dt.date, start: dt.date) -> Tariff:
        """The tariff of ``product`` ``version`` that prices a contract starting ``start``.
        Raises ``KeyError`` naming what is missing."""
        for tariff in self.tariffs.get((product, version), ()):
            if tariff.in_force_on(start):
                return tariff
        raise KeyError(f"no tariff of {product}@{version.isoformat()} for a start on {start}")


def load_tariff(path: Path, root: Path, version: ProductVersion | None = None) -> Tariff:
    display = _display(path, root)
    source = _read_yaml(path, display)
    try:
        tariff = Tariff.model_validate(source.data)
    except ValidationError as exc:
        raise TermsError(
            [
                Problem(
                    display,
                    _format_loc(err["loc"], source.data),
                    _message(err),
                    source.line_for(tuple(err["loc"])),
                )
                for err in exc.errors()
            ]
        ) from None
    problems = []
    if tariff.effective_from.isoformat() != path.stem:
        problems.append(
            Problem(
                display,
                "effective_from",
                f"is {tariff.effective_from} but the file is named {path.name}",
                source.line_for(("effective_from",)),
            )
        )
    if version is not None:
        problems += _against_product(tariff, version, display, source)
    if problems:
        raise TermsError(problems)
    return tariff


def _against_product(tariff: Tariff, version: ProductVersion, display: str, source) -> list:
    problems = []

    def problem(loc: tuple, message: str) -> None:
        problems.append(
            Problem(display, _format_loc(loc, source.data), message, source.line_for(loc))
        )

    if tariff.product != version.product:
        problem(("product",), f"is {tariff.product!r} but the folder is {version.product!r}")
    if tariff.product_version != version.effective_from:
        problem(
            ("product_version",),
            f"is {tariff.product_version} but the folder is {version.effective_from}",
        )
    numbers = {p.number: p for p in version.packages}
    for number, options in tariff.yearly_premiums.items():
        package = numbers.get(number)
        if package is None:
            problem(
                ("yearly_premiums", number),
                f"unknown package {number}: the product has {sorted(numbers)}",
            )
            continue
        for option in options:
            if option not in package.options:
                problem(
                    ("yearly_premiums", number, option.value),
                    f"package {number} is not offered in the option {option.value}",
                )
        for option in package.options:
            if option not in options:
                problem(
                    ("yearly_premiums", number),
                    f"package {number} is offered in the option {option.value}: price it",
                )
    for number in numbers:
        if number not in tariff.yearly_premiums:
            problem(("yearly_premiums",), f"package {number} of the product has no price")
    clauses = {c for p in version.packages for c in p.clauses}
    for clause in clauses:
        if clause not in tariff.clause_factors:
            problem(("clause_factors",), f"clause {clause.value} of the product has no factor")
    return problems


def load_tariffs(root: Path, catalog: Catalog) -> TariffBook:
    """Every ``tariff/*.yaml`` under the product folders of ``root``; a tariff's periods may not
    overlap within one product version."""
    problems: list[Problem] = []
    found: dict[tuple[str, dt.date], list[Tariff]] = {}
    for version in catalog.all_versions():
        folder = root / version.product / version.effective_from.isoformat() / TARIFF_FOLDER
        for path in sorted(folder.glob("*.yaml")):
            try:
                tariff = load_tariff(path, root, version)
            except TermsError as exc:
                problems.extend(exc.problems)
                continue
            found.setdefault((version.product, version.effective_from), []).append(tariff)
    for (code, when), items in found.items():
        items.sort(key=lambda t: t.effective_from)
        for earlier, later in zip(items, items[1:], strict=False):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                problems.append(
                    Problem(
                        _display(root / code / when.isoformat() / TARIFF_FOLDER, root),
                        "effective_to",
                        f"tariff {earlier.effective_from} overlaps tariff {later.effective_from}",
                    )
                )
    if problems:
        raise TermsError(problems)
    return TariffBook({key: tuple(items) for key, items in found.items()})
