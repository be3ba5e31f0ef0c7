"""Journey: open the health product's page and compare the four options of 002 side by side."""

from pathlib import Path

from django.conf import settings
from playwright.sync_api import expect

from e2e.helpers import screenshot
from zdrave.engine.terms import load_product_version

OPTIONS = ["Минимална", "Основна", "Пълна", "Луксозна"]  # 002, the option columns


def test_health_comparison_page_shows_the_four_options(page, products):
    health = load_product_version(
        Path(settings.PRODUCTS_DIR) / "health" / "2022-11-01", Path(settings.PRODUCTS_DIR)
    )
    page.goto("/")
    page.get_by_role("link", name="Продукти").first.click()
    page.goto("/products/health/")
    expect(page.get_by_role("heading", name=health.name.bg).first).to_be_visible()
    for option in OPTIONS:
        expect(page.get_by_text(option, exact=True).first).to_be_visible()
    screenshot(page, "products-health", full_page=False)
