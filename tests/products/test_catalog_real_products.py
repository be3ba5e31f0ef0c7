"""The real product files (products/) through the catalog: they load, the health page shows the
002 tables as the README reads them, and search finds what members type."""

from __future__ import annotations

import re
from html import escape

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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "bulstrad", "date"),
    [
        pytest.param(
            "bg",
            "Какво допуска платформата (не е в документите на продукта)",
            "пакет към застраховка „Здравна грижа“ на Булстрад Живот",
            "Датата 01.11.2022 е на проекта",
            id="000-extra-care-assumptions-bg",
        ),
        pytest.param(
            "en",
            "What the platform assumes (not in the product documents)",
            "a package of Bulstrad Life&#x27;s &quot;Health Care&quot; insurance",
            "1 November 2022 is the project&#x27;s date",
            id="000-extra-care-assumptions-en",
        ),
    ],
)
def test_extra_care_page_states_the_platforms_assumptions(
    client: Client, real_catalog, language: str, heading: str, bulstrad: str, date: str
) -> None:  # type: ignore[no-untyped-def]
    load_products(real_catalog)
    client.cookies["django_language"] = language

    body = client.get("/products/extra-care/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    section = re.search(
        r'<section class="catalog-section" id="assumptions">.*?</section>', body, re.S
    )
    assert section is not None
    assert heading in section.group(0)
    assert bulstrad in section.group(0)
    assert date in section.group(0)
    assert "000 а) стъпка 1" in section.group(0)


@pytest.mark.django_db
def test_products_without_assumptions_show_no_such_section(client: Client, real_catalog) -> None:  # type: ignore[no-untyped-def]
    load_products(real_catalog)

    body = client.get("/products/best-doctors/").content.decode()

    assert 'id="assumptions"' not in body


@pytest.mark.django_db
def test_best_doctors_page_names_the_new_rules_in_bulgarian(client: Client, real_catalog) -> None:  # type: ignore[no-untyped-def]
    load_products(real_catalog)

    body = client.get("/products/best-doctors/").content.decode()

    assert "Лекарства за следоперативно лечение" in body  # 001 т.53
    assert "Повторна оценка на претенцията" in body  # 001 т.74
    # Untranslated field names would read as their humanised English names.
    assert "Post operative medicines" not in body
    assert "Reassessment</" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "clause"),
    [
        ("/products/best-doctors/", "001 т.30"),
        ("/products/best-doctors/2015-10-01/", "003 т.27"),
    ],
    ids=["001-t30", "003-t27"],
)
def test_best_doctors_daily_cash_is_paid_per_full_24_hours_of_stay(
    client: Client, real_catalog, path: str, clause: str
) -> None:  # type: ignore[no-untyped-def]
    """001 т.30 / 003 т.27: "За всеки пълен 24-часов период на престой в болницата ... се
    изплащат по 100 евро" — per 24 hours of stay, at most 60 days per claim, not 100 € a claim."""
    load_products(real_catalog)
    body = client.get(path).content.decode()

    cash = re.search(r"Дневно обезщетение за хоспитализация.*?</ul>", body, flags=re.S).group(0)
    assert "100,00 € за всеки пълен 24-часов период на престой" in cash
    assert "100,00 € за претенция" not in cash
    assert clause in cash


@pytest.mark.django_db
def test_health_page_says_clause_a_cannot_use_limited_rows_002_bel1(
    client: Client, real_catalog
) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: the literal reading of 002 бел.* with 002 VII т.1, said on the product page."""
    load_products(real_catalog)
    body = client.get("/products/health/").content.decode()
    assert "с клауза „А“ услуга с лимит по брой или сума не се покрива изобщо" in body


PRODUCT_PAGES = [
    "/products/health/",
    "/products/best-doctors/",
    "/products/best-doctors/2015-10-01/",
    "/products/extra-care/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PRODUCT_PAGES, ids=lambda p: p.strip("/").replace("/", "-"))
def test_bulgarian_product_pages_mark_nothing_as_english(
    client: Client, real_catalog, path: str
) -> None:  # type: ignore[no-untyped-def]
    """Issue 8: the reading notes and the notes of the product files are translated, so no
    part of a Bulgarian product page is set apart as English (which the every-page check
    would skip), and the whole page reads in Bulgarian."""
    from interfaces.portal.test_every_page_words import defects, visible_text

    load_products(real_catalog)
    body = client.get(path).content.decode()

    main = re.search(r"<main\b.*?</main>", body, re.S).group(0)  # not the language switch
    assert re.findall(r'<\w+[^>]*\blang="en"', main) == []
    assert "kept in English only" not in body
    section = re.search(
        r'<section class="catalog-section" id="interpretations">.*?</section>', body, re.S
    ).group(0)
    notes = visible_text(section, "bg")
    assert re.search("[а-я]{4}", notes)
    assert defects(notes, "bg") == set()
    assert defects(visible_text(main, "bg"), "bg") == set()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["bg", "en"])
def test_health_reading_notes_and_document_notes_follow_the_page_language(
    client: Client, real_catalog, language: str
) -> None:  # type: ignore[no-untyped-def]
    load_products(real_catalog)
    client.cookies["django_language"] = language
    body = client.get("/products/health/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    first = real_catalog.version("health").interpretations[0]
    shown, other = (
        (first.text.bg, first.text.en) if language == "bg" else (first.text.en, first.text.bg)
    )
    assert escape(shown) in body
    assert escape(other) not in body
    xray = ("Рентгенография при лечение на пулпит", "need an X-ray")
    assert xray[language == "en"] in body
    assert xray[language == "bg"] not in body
