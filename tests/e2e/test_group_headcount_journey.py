"""Journey (issue 11, group sale remainders): an employer without a list quotes its group by
head-count at 390 px (the tariff's group band by the head-count, 004 Чл.24 т.2; a negative count
refused by the field's name), continues with the census, which replaces the estimate, and
applies; a group of ten needs every person's declaration (004 Чл.23 т.1). The underwriter sees
who is missing and re-sends one link by hand: the employee gets a new link, the old one no
longer opens."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils.translation import trans_real
from playwright.sync_api import expect

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from policy_admin.groupsales.helpers import census_csv
from zdrave.policy_admin.groupsales.models import DeclarationLink
from zdrave.policy_admin.sales.models import Application

PHONE = {"width": 390, "height": 844}
EIK = "121000061"


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None


def _link(body: str) -> str:
    return re.search(r"/sales/group/sign-in/[^/\s]+/", body).group(0)


def test_an_employer_quotes_by_head_count_then_applies_and_staff_remind(
    browser, live_server, demo, page
):
    page.set_viewport_size(PHONE)
    # 1. The head-count quote: a negative count is refused by the field's name.
    page.goto("/sales/group/headcount/")
    page.get_by_label("Служители на възраст 18–39").fill("-2")
    page.locator("select[name=pkg2]").select_option("full/Б1")
    page.get_by_role("button", name="Изчисляване на ориентировъчната премия").click()
    expect(
        page.get_by_text("Служители на възраст 18–39: броят хора не може да бъде отрицателен").first
    ).to_be_visible()
    page.get_by_label("Служители на възраст 18–39").fill("12")
    page.get_by_label("Членове на семейството на възраст 0–17").fill("3")
    page.get_by_label("Начин на плащане").select_option("4")
    page.get_by_role("button", name="Изчисляване на ориентировъчната премия").click()
    expect(page.get_by_test_id("estimate-count")).to_have_text("15")
    expect(page.get_by_test_id("estimate-discount")).to_have_text("5 %")
    expect(page.get_by_test_id("estimate-instalment")).to_contain_text("€")
    expect(page.get_by_text("Илюстративна тарифа").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "group-headcount-quote")

    # 2. On to the census: the estimate is shown, then replaced by the census's premium.
    page.get_by_test_id("to-census").click()
    expect(page.get_by_test_id("estimate-note")).to_contain_text("15")
    page.get_by_label("Начин на плащане").select_option("4")
    page.get_by_label("Поименен списък (CSV или XLSX)").set_input_files(
        {"name": "служители.csv", "mimeType": "text/csv", "buffer": census_csv(10)}
    )
    page.get_by_role("button", name="Изчисляване на груповата премия").click()
    expect(page.get_by_test_id("estimate-replaced")).to_be_visible()
    expect(page.get_by_test_id("group-count")).to_have_text("10")
    page.get_by_label("Име на фирмата").fill("Фирма ООД")
    page.get_by_label("ЕИК").fill(EIK)
    page.get_by_label("Лице за контакт").fill("Мария Петрова")
    page.get_by_label("Имейл").fill("hr@firma.bg")
    page.get_by_role("button", name="Подаване на предложението").click()
    expect(page.get_by_test_id("group-reference")).to_contain_text("Фирма ООД")
    expect(page.get_by_test_id("missing-declarations")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    application = Application.objects.get(group_sale__eik=EIK)

    # 3. The underwriter sees who is missing and re-sends one link by hand.
    old = next(m for m in mail.outbox if m.to == ["emp3@firma.bg"])
    staff = browser.new_context(base_url=live_server.url, locale="bg-BG", viewport=PHONE)
    staff.set_default_timeout(15_000)
    underwriter = staff.new_page()
    log_in(underwriter, "underwriter", "demo12345")
    underwriter.goto(f"/sales/group/all/{application.reference}/")
    expect(underwriter.get_by_test_id("missing-declarations")).to_be_visible()
    underwriter.get_by_role("button", name="Нова връзка до emp3@firma.bg").click()
    expect(underwriter.get_by_text("Нова връзка е изпратена до emp3@firma.bg")).to_be_visible()
    assert "/sales/group/sign-in/" not in underwriter.content()
    assert underwriter.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(underwriter, "group-declaration-reminder")
    assert DeclarationLink.objects.get(email="emp3@firma.bg").reminders == 1
    new = [m for m in mail.outbox if m.to == ["emp3@firma.bg"]][-1]
    assert new.subject.startswith("Напомняне")
    staff.close()

    # 4. The employee: the old link no longer opens, the new one does.
    employee = browser.new_context(base_url=live_server.url, locale="bg-BG", viewport=PHONE)
    person = employee.new_page()
    assert person.goto(_link(old.body)).status == 404
    person.goto(_link(new.body))
    expect(person.get_by_role("link", name="Попълване")).to_be_visible()
    employee.close()
