"""Public product pages (no log-in): the list, one version's terms, and service search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zdrave.products import fetch
from zdrave.products import models as m
from zdrave.products.display import Cell, option_cell, option_label, package_table
from zdrave.products.outline import outline, reader
from zdrave.products.search import search as search_services

SECTIONS = ("abroad", "member_services", "rules", "underwriting")


def _language() -> str:
    return get_language() or "bg"


def product_list(request: HttpRequest) -> HttpResponse:
    language = _language()
    current = {row.pk for row in fetch.current_versions()}
    products = [
        {
            "code": product.code,
            "name": product.name(language),
            "versions": [(v, v.pk in current) for v in product.versions.all()],
        }
        for product in m.Product.objects.prefetch_related(
            Prefetch("versions", m.ProductVersion.objects.defer("document"))
        )
    ]
    return render(request, "products/product_list.html", {"products": products, "query": ""})


def product_detail(
    request: HttpRequest, code: str, effective_from: str | None = None
) -> HttpResponse:
    try:
        day = dt.date.fromisoformat(effective_from) if effective_from else None
        row = fetch.version_row(code, effective_from=day)
    except (ValueError, fetch.NotInCatalog) as exc:
        raise Http404(str(exc)) from None
    terms = fetch.terms(row)
    language = _language()
    context = {
        "row": row,
        "name": terms.name.get(language),
        "summary": terms.summary.get(language),
        "insurer": terms.insurer.name.get(language),
        "partners": [p.name.get(language) for p in terms.partners],
        "versions": row.product.versions.order_by("effective_from").defer("document"),
        "has_packages": bool(terms.packages),
        "body": _terms_html(row, language),
        "query": "",
    }
    return render(request, "products/product_detail.html", context)


_RENDERED: dict[tuple[str, str], str] = {}


def _terms_html(row: m.ProductVersion, language: str) -> str:
    """The tables and rules of a version: the same for everyone, and fixed by the version's
    checksum, so rendered once per language (the health tables have ~700 cells)."""
    key = (row.checksum, language)
    if key not in _RENDERED:
        terms = fetch.terms(row)
        read = reader(terms, language)
        sections = [
            (name, outline(getattr(terms, name), read))
            for name in SECTIONS
            if getattr(terms, name) is not None
        ]
        context = {
            "tables": [package_table(p, language) for p in terms.packages],
            "sections": [(name, nodes) for name, nodes in sections if nodes],
            "interpretations": [(i.text.get(language), i.clause) for i in terms.interpretations],
            "assumptions": [(a.text.get(language), a.clause) for a in terms.assumptions],
            "labels": {
                "clause": _("Clause"),
                "covered": _("covered"),
                "not_covered": _("not covered"),
            },
        }
        if len(_RENDERED) >= 32:
            _RENDERED.clear()
        _RENDERED[key] = render_to_string("products/_terms.html", context)
    return mark_safe(_RENDERED[key])  # noqa: S308 - rendered by our own autoescaping template


@dataclass(frozen=True)
class Result:
    entry: m.ServiceEntry
    product: str
    name: str
    group: str
    cells: list[tuple[str, Cell]]  # (option label, cell)


def _results(query: str, language: str) -> list[Result]:
    pairs = fetch.searchable_services()
    by_key = {item.key: entry for entry, item in pairs}
    results = []
    for hit in search_services([item for __, item in pairs], query, limit=30):
        entry = by_key[hit.key]
        found = fetch.terms(entry.version).find_service(entry.code)
        cells = []
        if found is not None:
            package, service = found
            cells = [(option_label(o), option_cell(service, o)) for o in package.options]
        results.append(
            Result(
                entry,
                entry.version.product.name(language),
                entry.name(language),
                entry.parent(language),
                cells,
            )
        )
    return results


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    language = _language()
    context = {"query": query, "results": _results(query, language) if query else []}
    template = "products/_results.html" if request.htmx else "products/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)
