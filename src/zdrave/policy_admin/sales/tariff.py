"""The tariff files of the product versions (``products/<code>/<version>/tariff/*.yaml``),
read once per process, and the premium of an application through the engine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from zdrave.engine.tariff import Choice, PersonRequest, QuotePrice, QuoteRequest, Tariff
from zdrave.engine.tariff import price_quote as engine_price
from zdrave.engine.tariff.loader import TARIFF_FOLDER, load_tariff
from zdrave.engine.tariff.price import cover_begins, due_dates, one_year_end
from zdrave.engine.terms import ProductVersion
from zdrave.engine.terms.health import ClauseCode, OptionCode
from zdrave.products import terms

__all__ = ["NoTariff", "cover_begins", "due_dates", "one_year_end", "price", "tariff_for"]


class NoTariff(LookupError):
    pass


@lru_cache(maxsize=16)
def _tariffs(root: str, product: str, version: str) -> tuple[Tariff, ...]:
    product_version = terms.terms(product, version)
    folder = Path(root) / product / version / TARIFF_FOLDER
    return tuple(
        sorted(
            (load_tariff(path, Path(root), product_version) for path in folder.glob("*.yaml")),
            key=lambda t: t.effective_from,
        )
    )


def tariff_for(product: str, version: dt.date, start: dt.date) -> Tariff:
    for tariff in _tariffs(str(settings.PRODUCTS_DIR), product, version.isoformat()):
        if tariff.in_force_on(start):
            return tariff
    raise NoTariff(f"{product} {version.isoformat()} {start.isoformat()}")


def product_for(start: dt.date, product: str = "health") -> ProductVersion:
    return terms.version_in_force(product, start)


def packages_of(version: ProductVersion) -> dict:
    return {p.number: p for p in version.packages}


def choice_of(item: dict) -> Choice:
    return Choice(int(item["package"]), OptionCode(item["option"]), ClauseCode(item["clause"]))


def price(
    version: ProductVersion,
    tariff: Tariff,
    start: dt.date,
    persons: list[tuple[str, dt.date, list[dict], object]],
    instalments: int,
    group_size: int | None = None,
) -> QuotePrice:
    """``persons``: (id, birth date, choices, loading percent or None); ``group_size`` prices a
    group contract by the tariff's group-size bands (004 Чл.24 т.2). Raises the engine's
    ``QuoteError``."""
    request = QuoteRequest(
        start=start,
        persons=tuple(
            PersonRequest(
                ident,
                birth,
                tuple(choice_of(c) for c in choices),
                Decimal(loading) if loading is not None else Decimal(0),
            )
            for ident, birth, choices, loading in persons
        ),
        instalments=instalments,
        group_size=group_size,
    )
    return engine_price(tariff, request, packages_of(version))
