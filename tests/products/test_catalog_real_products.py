"""The real product files (products/) through the catalog: they load, the health page shows the
002 tables as the README reads them, and search finds what members type."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from zdrave.engine.terms.loader import default_products_root, load_catalog
from zdrave.products.actions import load_products
from zdrave.products.search import Searchable, index_text, search


@pytest.fixture(scope="module")
def real_catalog():  # type: ignore[no-untyped-def]
    return load_catalog(default_products_root())


@pytest.fixture(scope="module")
def health_items(real_catalog) -> list[Searchable]:  # type: ignore[no-untyped-def]
    version = real_catalog.version("health")
    items = []
    for position, (package, service) in enumerate(version.services()):
        if service.heading:
            continue
        parent = package.service(service.code.rsplit(".", 1)[0])
        group = f"{parent.name.bg} {parent.name.en}" if parent else ""
        text = index_text(service.name.bg, service.name.en, group, service.keywords)
        items.append(Searchable(service.code, text, ("health", position), service.code))
    return items


@pytest.mark.parametrize(
    ("query", "top"),
    [
        ("ЯМР", "2.8.e"),
        ("MRI", "2.8.e"),
        ("yamr", "2.8.e"),
        ("физиотерапия", "2.11.a"),
        ("physiotherapy", "2.11.a"),
        ("очила", "5.3.b"),
        ("ochila", "5.3.b"),
        ("glasses", "5.3.b"),
        ("бременност", "2.12"),
        ("pregnancy", "2.12"),
    ],
    ids=lambda v: v,
)
def test_search_of_the_real_health_product(health_items, query: str, top: str) -> None:  # type: ignore[no-untyped-def]
    assert search(health_items, query)[0].key == top


@pytest.mark.parametrize("query", ["зъб", "zab", "teeth", "dentist"])
def test_dental_words_find_package_6(health_items, query: str) -> None:  # type: ignore[no-untyped-def]
    hits = search(health_items, query)
    assert hits, query
    assert {str(h.key).split(".")[0] for h in hits[:5]} == {"6"}


@pytest.mark.django_db
def test_real_health_page_002_II(client: Client, real_catalog) -> None:  # type: ignore[no-untyped-def]
    load_products(real_catalog)
    response = client.get("/products/health/")
    assert response.status_code == 200
    body = response.content.decode()
    headings = re.findall(r'<th scope="col" class="catalog-option">(.*?)</th>', body)
    assert headings[:4] == ["Минимална", "Основна", "Пълна", "Луксозна"]
    mri = re.search(r'<tr id="s-2.8.e".*?</tr>', body, flags=re.S).group(0)
    physio = re.search(r'<tr id="s-2.11.a".*?</tr>', body, flags=re.S).group(0)
    assert re.findall(r">(\d бр\.) годишно<", mri) == [
        "1 бр.",
        "2 бр.",
    ]  # README: Пълна 1, Луксозна 2
    assert re.findall(r">([\d ,]+ €) годишно<", physio) == ["76,69 €", "127,82 €"]  # 150 / 250 лв


@pytest.mark.django_db
def test_real_best_doctors_page_reads_in_bulgarian_with_each_clause_on_its_rule(
    client: Client, real_catalog
) -> None:  # type: ignore[no-untyped-def]
    load_products(real_catalog)
    body = client.get("/products/best-doctors/").content.decode()

    assert "Диагнози (МКБ-10)" in body  # 001 т.42: cancer's ICD-10 ranges
    assert "Типични диагнози (МКБ-10)" in body
    for english in ("Diagnoses", "Typical diagnoses", "Diagnosis must match", "Partner:"):
        assert english not in body
    # 001 т.42 is the clause of the cancer definition, shown on the definition itself.
    definition = re.search(r"Определение:.*?001 т\.42", body, flags=re.S)
    assert definition is not None
    assert len(definition.group(0)) < 600
