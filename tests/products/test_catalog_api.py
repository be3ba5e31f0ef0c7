"""``/api/v1/products``: the loaded catalog as JSON."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.usefixtures("loaded")


def test_api_lists_products_and_versions(client: Client) -> None:
    body = client.get("/api/v1/products/").json()
    assert [(p["code"], [v["effective_from"] for v in p["versions"]]) for p in body] == [
        ("best-doctors", ["2019-02-01"]),
        ("health", ["2022-11-01", "2024-01-01"]),
    ]


def test_api_gives_the_terms_in_force_002_II_8(client: Client) -> None:
    terms = client.get("/api/v1/products/health").json()
    assert terms["effective_from"] == "2024-01-01"
    outpatient = next(p for p in terms["packages"] if p["number"] == 2)
    mri = next(s for s in outpatient["services"] if s["code"] == "2.8.e")
    assert mri["options"]["full"]["limit"] == {
        "unit": "count", "value": "1", "per": "year", "currency": None, "clause": "002 II.8",
        "note": None,
    }  # fmt: skip


def test_api_gives_an_older_version_and_404_for_unknown(client: Client) -> None:
    assert client.get("/api/v1/products/health?version=2022-11-01").json()["effective_to"] == (
        "2023-12-31"
    )
    assert client.get("/api/v1/products/health?version=2020-01-01").status_code == 404
    assert client.get("/api/v1/products/dental").status_code == 404


def test_api_search_in_latin_letters(client: Client) -> None:
    hits = client.get("/api/v1/products/search", {"q": "ochila"}).json()
    assert [(h["code"], h["name_bg"], h["group_en"]) for h in hits] == [
        ("5.3.b", "очила или лещи", "Medical aids:")
    ]
