"""Public product pages, search pages and the read-only back office."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from zdrave.base.identity.models import User

pytestmark = pytest.mark.usefixtures("loaded")


def text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's visible text, one space between words."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def cell(response, code: str, option: int) -> str:  # type: ignore[no-untyped-def]
    """The text of one option's cell (1 = first option column) in service ``code``'s row."""
    body = response.content.decode()
    row = re.search(rf'<tr id="s-{re.escape(code)}".*?</tr>', body, flags=re.S)
    assert row, f"no row {code}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", cells[option - 1]))).strip()


def test_product_list_shows_products_and_versions(client: Client) -> None:
    response = client.get("/products/")
    assert response.status_code == 200
    page = text(response)
    assert "Здравна застраховка" in page
    assert "ДЗИ Бест Доктърс" in page
    assert "в сила от 01.11.2022 до 31.12.2023" in page
    assert "в сила от 01.01.2024" in page


def test_health_page_puts_the_options_side_by_side(client: Client) -> None:
    response = client.get("/products/health/")
    assert response.status_code == 200
    headings = re.findall(
        r'<th scope="col" class="catalog-option">(.*?)</th>', response.content.decode()
    )
    assert headings[:4] == ["Минимална", "Основна", "Пълна", "Луксозна"]


def test_mri_count_per_option_002_II_8(client: Client) -> None:
    response = client.get("/products/health/")
    assert [cell(response, "2.8.e", n) for n in (1, 2, 3, 4)] == [
        "не е покрито",
        "не е покрито",
        "1 бр. годишно 002 II.8",
        "2 бр. годишно 002 II.8",
    ]


def test_physiotherapy_money_limit_in_euro_002_II_11(client: Client) -> None:
    # 150 лв / 1.95583 = 76.694… → 76,69 €; 250 лв → 127,82 €
    response = client.get("/products/health/")
    assert cell(response, "2.11.a", 3) == "76,69 € годишно 002 II.11"
    assert cell(response, "2.11.a", 4) == "127,82 € годишно 002 II.11"


def test_days_and_kilometres_002_IV(client: Client) -> None:
    response = client.get("/products/health/")
    assert cell(response, "4.1", 1) == "3 дни годишно 002 IV.1"
    assert cell(response, "4.2", 3) == "50 км за претенция 002 IV.2"


def test_a_count_column_limit_shows_under_every_covered_option_002_II_1(client: Client) -> None:
    response = client.get("/products/health/")
    assert {cell(response, "2.1.a", n) for n in (1, 2, 3, 4)} == {"4 бр. годишно 002 II.1"}


def test_each_cell_carries_its_clause_as_a_tooltip(client: Client) -> None:
    body = client.get("/products/health/").content.decode()
    assert '<td class="catalog-covered" title="Клауза: 002 II.8">1 бр. годишно' in body


def test_yearly_limits_copay_and_notes_under_the_table_002_II_B_VII(client: Client) -> None:
    page = text(client.get("/products/health/"))
    assert "Пълна 5 112,92 € 153,39 €" in page  # 10 000 лв / 300 лв
    assert "Б1: двете форми, самоучастие при възстановяване на разходи 20 %" in page
    assert "Двете форми изчерпват общ лимит. 002 V бел.*" in page
    assert "УЗИ 3D и 4D не се покрива" in page


def test_health_page_in_english(client: Client) -> None:
    client.cookies["django_language"] = "en"
    response = client.get("/products/health/", HTTP_ACCEPT_LANGUAGE="en")
    page = text(response)
    assert "MRI (without contrast)" in page
    assert "Minimal Basic Full Luxury" in page
    assert cell(response, "2.8.e", 3) == "1 pc. a year 002 II.8"
    assert cell(response, "4.1", 3) == "10 days a year 002 IV.1"


def test_an_older_version_has_its_own_page(client: Client) -> None:
    response = client.get("/products/health/2022-11-01/")
    assert response.status_code == 200
    page = text(response)
    assert "в сила от 01.11.2022 до 31.12.2023" in page
    assert "Пакет 6: Дентална помощ" in page
    assert "Пакет 2" not in page


@pytest.mark.parametrize(
    "url", ["/products/health/2021-01-01/", "/products/health/latest/", "/products/dental/"]
)
def test_unknown_product_or_version_is_404(client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


def test_other_products_show_their_rules_with_clauses(client: Client) -> None:
    page = text(client.get("/products/best-doctors/"))
    assert "Правила" in page
    assert "Изключения Война и терористични актове 001 т.10.1" in page


def test_health_rules_list_with_clauses_004(client: Client) -> None:
    page = text(client.get("/products/health/"))
    assert "Лечение на акне 004 Чл.21(1) т.11" in page
    assert "Диагнози (МКБ-10): L70" in page
    assert "Бременност 004 Чл.19(1)" in page


def test_search_page_finds_mri_in_bulgarian(client: Client) -> None:
    response = client.get("/products/search/", {"q": "ЯМР"})
    assert response.status_code == 200
    page = text(response)
    assert "1 услуга, намерена за „ЯМР“" in page
    assert "2.8.e Клинико-инструментални изследвания: — ЯМР (без контраст)" in page
    assert "Пълна: 1 бр. годишно" in page


def test_search_links_to_the_row_on_the_product_page(client: Client) -> None:
    body = client.get("/products/search/", {"q": "glasses"}).content.decode()
    assert 'href="/products/health/2024-01-01/#s-5.3.b"' in body


def test_live_search_answers_htmx_with_the_results_only(client: Client) -> None:
    response = client.get("/products/search/", {"q": "zab"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert re.findall(r'<span class="catalog-code">([\d.a-z]+)</span>', body) == [
        "6.3",
        "6.1",
        "6.2",
    ]


def test_search_only_shows_current_versions(client: Client) -> None:
    # 6.1 exists in both health versions; only the one in force today is listed.
    page = text(client.get("/products/search/", {"q": "dentist"}))
    assert "1 услуга, намерена за „dentist“" in page


@pytest.fixture
def staff_client(client: Client) -> Client:
    admin = User.objects.create_superuser("boss", "boss@example.com", "s3cret-passw0rd")
    client.force_login(admin)
    return client


@pytest.mark.parametrize("model", ["product", "productversion", "serviceentry", "catalogload"])
def test_back_office_lists_but_cannot_add(staff_client: Client, model: str) -> None:
    listing = staff_client.get(f"/admin/products/{model}/")
    assert listing.status_code == 200
    assert "продуктовите данни се променят само чрез продуктовите файлове" in text(listing)
    assert staff_client.get(f"/admin/products/{model}/add/").status_code == 403


def test_back_office_cannot_change_or_delete_a_version(staff_client: Client) -> None:
    from zdrave.products.models import ProductVersion

    version = ProductVersion.objects.get(product__code="health", effective_from="2024-01-01")
    url = f"/admin/products/productversion/{version.pk}/change/"
    page = staff_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert staff_client.post(url, {"effective_to": "2024-06-30"}).status_code == 403
    assert (
        staff_client.post(f"/admin/products/productversion/{version.pk}/delete/").status_code == 403
    )
    version.refresh_from_db()
    assert version.effective_to is None
