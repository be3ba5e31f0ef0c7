"""Service search: both languages, both alphabets, word forms, ranked. Pure: no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from zdrave.engine.terms.loader import load_catalog
from zdrave.products.search import Searchable, index_text, search, stem, transliterate, words

PRODUCTS = Path(__file__).resolve().parent / "products"


@pytest.fixture(scope="module")
def items() -> list[Searchable]:
    version = load_catalog(PRODUCTS).version("health", "2024-01-01")
    found = []
    for position, (package, service) in enumerate(version.services()):
        if service.heading:
            continue
        parent = package.service(service.code.rsplit(".", 1)[0])
        found.append(
            Searchable(
                service.code,
                index_text(
                    service.name.bg,
                    service.name.en,
                    f"{parent.name.bg} {parent.name.en}" if parent else "",
                    service.keywords,
                ),
                ("health", position),
                service.code,
            )
        )
    return found


QUERIES = [
    # (query, the expected results, best first)
    ("ЯМР", ["2.8.e"]),
    ("ямр", ["2.8.e"]),
    ("MRI", ["2.8.e"]),
    ("yamr", ["2.8.e"]),
    ("магнитен резонанс", ["2.8.e"]),
    ("зъб", ["6.3", "6.1", "6.2"]),  # "Обтурация на зъб" names the very word
    ("zab", ["6.3", "6.1", "6.2"]),
    ("зъбите", ["6.1", "6.3", "6.2"]),  # the same word form first, then the shorter name
    ("teeth", ["6.1"]),
    ("tooth", ["6.3", "6.1"]),  # "Tooth filling" by name, then the keyword
    ("физиотерапия", ["2.11.a"]),
    ("physiotherapy", ["2.11.a"]),
    ("fizioterapiya", ["2.11.a"]),
    ("очила", ["5.3.b"]),
    ("очилата", ["5.3.b"]),
    ("ochila", ["5.3.b"]),
    ("glasses", ["5.3.b"]),
    ("glass", ["5.3.b"]),
    ("ЛЕЩИ", ["5.3.b"]),
    ("контактни лещи", ["5.3.b"]),
    ("бременност", ["2.12", "2.12.1"]),
    ("pregnancy", ["2.12", "2.12.1"]),
    ("преглед специалист", ["2.1.a"]),  # the dash row found through its heading
    ("examination", ["6.1", "2.1.a"]),  # own name before the heading's
    ("компютърна томография", ["2.8.d"]),
    ("медицинска сестра", ["4.1"]),
    ("nurse", ["4.1"]),
    ("психолог", ["2.11.b"]),
    ("слухов апарат", ["5.3.a"]),
    ("hearing aid", ["5.3.a"]),
    ("хеликоптер", []),
    ("", []),
    ("и на за", []),  # stop words only
]


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q or "empty" for q, _ in QUERIES])
def test_search_finds_services_in_both_languages(
    items: list[Searchable], query: str, expected: list[str]
) -> None:
    assert [hit.key for hit in search(items, query)] == expected


def test_an_exact_name_ranks_above_a_keyword() -> None:
    named = Searchable("named", index_text("Очила", "Glasses"), (2,))
    keyword = Searchable(
        "keyword", index_text("Помощни средства", "Aids", keywords=["очила"]), (1,)
    )
    assert [h.key for h in search([keyword, named], "очила")] == ["named", "keyword"]


def test_transliteration_follows_the_2009_law() -> None:
    assert transliterate("Щастие, жълтица, юли, яйце") == "shtastie, zhaltitsa, yuli, yaytse"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("очилата", "ochil"),
        ("зъбите", "zab"),
        ("зъбен", "zab"),
        ("прегледи", "pregled"),
        ("glasses", "glass"),
        ("ямр", "yamr"),
    ],
)
def test_light_stemmer(word: str, expected: str) -> None:
    assert stem(words(word)[0]) == expected


def test_a_group_leads_its_own_matching_rows() -> None:
    # 002 II.12: "бременност" names both the family-planning advice row and item 12, whose rows
    # match too; item 12 is what a pregnant member looks for.
    rows = [
        Searchable(
            "1.1.2.1",
            index_text("съвети за предпазване от нежелана бременност", "advice"),
            ("health", 1),
            "1.1.2.1",
        ),
        Searchable(
            "2.12",
            index_text("Наблюдение на бременност от акушер-гинеколог", "Pregnancy"),
            ("health", 2),
            "2.12",
        ),
        Searchable(
            "2.12.1",
            index_text("Регистрация на бременност", "Registration"),
            ("health", 3),
            "2.12.1",
        ),
    ]
    assert [h.key for h in search(rows, "бременност")] == ["2.12", "1.1.2.1", "2.12.1"]
