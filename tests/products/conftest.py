"""Catalog fixtures: the small products under tests/products/products, loaded into the test DB."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.utils import translation

from zdrave.engine.terms.loader import Catalog, load_catalog
from zdrave.products.actions import load_products

PRODUCTS = Path(__file__).resolve().parent / "products"


@pytest.fixture
def products_root(tmp_path: Path) -> Path:
    """A writable copy of the fixture products, to break or change in a test."""
    copy = tmp_path / "products"
    shutil.copytree(PRODUCTS, copy)
    return copy


@pytest.fixture(scope="session")
def fixture_catalog() -> Catalog:
    return load_catalog(PRODUCTS)


@pytest.fixture
def loaded(db, fixture_catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    load_products(fixture_catalog)


@pytest.fixture
def bulgarian():  # type: ignore[no-untyped-def]
    with translation.override("bg"):
        yield


@pytest.fixture
def english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield
