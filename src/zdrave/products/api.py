"""``/api/v1/products``: the catalog as JSON, read-only (public, like the product pages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from zdrave.products import fetch
from zdrave.products import models as m
from zdrave.products.search import search as search_services

router = Router(tags=["products"])


class VersionOut(Schema):
    effective_from: dt.date
    effective_to: dt.date | None
    checksum: str


class ProductOut(Schema):
    code: str
    name_bg: str
    name_en: str
    versions: list[VersionOut]


class ServiceHit(Schema):
    product: str
    version: dt.date
    package: int
    code: str
    name_bg: str
    name_en: str
    group_bg: str
    group_en: str


@router.get("/", response=list[ProductOut])
def list_products(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": p.code,
            "name_bg": p.name_bg,
            "name_en": p.name_en,
            "versions": list(p.versions.defer("document").order_by("effective_from")),
        }
        for p in m.Product.objects.all()
    ]


@router.get("/search", response=list[ServiceHit])
def search(request: HttpRequest, q: str) -> list[dict[str, Any]]:
    """Services of the versions in force today matching ``q`` (Bulgarian or English, either
    alphabet), best first."""
    pairs = fetch.searchable_services()
    by_key = {item.key: entry for entry, item in pairs}
    hits = search_services([item for _, item in pairs], q[:100], limit=30)
    return [_hit(by_key[h.key]) for h in hits]


def _hit(e: m.ServiceEntry) -> dict[str, Any]:
    return {
        "product": e.version.product.code,
        "version": e.version.effective_from,
        "package": e.package_number,
        "code": e.code,
        "name_bg": e.name_bg,
        "name_en": e.name_en,
        "group_bg": e.parent_bg,
        "group_en": e.parent_en,
    }


@router.get("/{code}", response=dict[str, Any])
def product_terms(request: HttpRequest, code: str, version: dt.date | None = None) -> Any:
    """The validated terms of the version in force today (or of ``version``), as loaded from
    the product files."""
    try:
        row = fetch.version_row(code, effective_from=version)
    except fetch.NotInCatalog as exc:
        raise Http404(str(exc)) from None
    return fetch.terms(row).model_dump(mode="json")
