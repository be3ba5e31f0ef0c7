"""Reads of the catalog for views and other apps: engine objects rebuilt from the stored JSON.

A version's document is parsed once per checksum and kept: a checksum names its content, so a
cached object can never be stale.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zdrave.engine.terms import ProductVersion
from zdrave.products import models as m
from zdrave.products.search import Searchable


class NotInCatalog(LookupError):
    """No such product or version in the loaded catalog; ``str()`` says which."""


_PARSED: dict[str, ProductVersion] = {}
_MAX_PARSED = 64


def terms(row: m.ProductVersion) -> ProductVersion:
    """The engine's ``ProductVersion`` for a stored row (its document is read from the
    database only the first time its checksum is seen)."""
    found = _PARSED.get(row.checksum)
    if found is None:
        found = ProductVersion.model_validate(row.document)
        if len(_PARSED) >= _MAX_PARSED:
            _PARSED.clear()
        _PARSED[row.checksum] = found
    return found


def today() -> dt.date:
    return timezone.localdate()  # Europe/Sofia (settings.TIME_ZONE)


def version_row(
    code: str, effective_from: dt.date | None = None, on: dt.date | None = None
) -> m.ProductVersion:
    """The version that came into force on ``effective_from``; else the one in force ``on``
    (today by default); else, for a product not yet or no longer sold, its newest version."""
    rows = (
        m.ProductVersion.objects.filter(product__code=code)
        .select_related("product")
        .defer("document")
    )
    if effective_from is not None:
        row = rows.filter(effective_from=effective_from).first()
        if row is None:
            raise NotInCatalog(f"product {code!r} has no version {effective_from.isoformat()}")
        return row
    versions = list(rows.order_by("effective_from"))
    if not versions:
        raise NotInCatalog(f"unknown product {code!r}")
    day = on or today()
    for row in versions:
        if row.in_force_on(day):
            return row
    return versions[-1]


def get_terms(
    code: str, effective_from: dt.date | None = None, on: dt.date | None = None
) -> ProductVersion:
    return terms(version_row(code, effective_from, on))


def current_versions(on: dt.date | None = None) -> list[m.ProductVersion]:
    """For each product, the version shown by default (see ``version_row``)."""
    codes = m.Product.objects.values_list("code", flat=True)
    return [version_row(code, on=on) for code in codes]


def searchable_services(on: dt.date | None = None) -> list[tuple[m.ServiceEntry, Searchable]]:
    """The claimable rows (no headings) of the current versions, ready for ``search.search``."""
    versions = current_versions(on)
    entries = (
        m.ServiceEntry.objects.filter(version__in=versions, heading=False)
        .select_related("version__product")
        .defer("version__document")  # a few hundred kB per row otherwise
    )
    return [
        (e, Searchable(e.pk, e.search_text, (e.version.product.code, e.position), e.code))
        for e in entries
    ]
