"""The product terms a contract refers to, read from the product files.

Contracts name a product by code and the version by its effective date (no foreign key to the
catalog tables: a contract keeps the terms it was sold under even if the catalog is reloaded).
Each version folder is read on its own, so one product being edited cannot block validation of
another; a folder is parsed once per process.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from zdrave.engine.terms import ProductVersion, TermsError, load_product_version


class UnknownTerms(LookupError):
    """The product or version does not exist; ``str()`` says which."""


def _root() -> Path:
    return Path(settings.PRODUCTS_DIR)


@lru_cache(maxsize=64)
def _load(root: str, product: str, version: str) -> ProductVersion:
    folder = Path(root) / product / version
    if not folder.is_dir():
        raise UnknownTerms(f"{product} {version}")
    return load_product_version(folder, Path(root))


def product_codes() -> list[str]:
    root = _root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def version_dates(product: str) -> list[dt.date]:
    folder = _root() / product
    dates = []
    if folder.is_dir():
        for child in folder.iterdir():
            try:
                dates.append(dt.date.fromisoformat(child.name))
            except ValueError:
                continue
    return sorted(dates)


def terms(product: str, version: dt.date | str) -> ProductVersion:
    """The terms of ``product`` that came into force on ``version``. Raises ``UnknownTerms``."""
    wanted = version if isinstance(version, str) else version.isoformat()
    try:
        # The setting as text, not a new Path at every call (parsing it was most of the cost of
        # this call, made at every claim line and every front-desk check).
        return _load(str(settings.PRODUCTS_DIR), product, wanted)
    except TermsError as exc:
        raise UnknownTerms(f"{product} {wanted}: {exc}") from exc


def version_in_force(product: str, on: dt.date) -> ProductVersion:
    """The version of ``product`` sold on ``on`` (the latest that started on or before it)."""
    for date in reversed(version_dates(product)):
        if date <= on:
            found = terms(product, date)
            if found.in_force_on(on):
                return found
            break
    raise UnknownTerms(f"{product} on {on.isoformat()}")
