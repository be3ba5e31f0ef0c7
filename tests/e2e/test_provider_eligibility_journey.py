"""Journey (issue 12, this part): at the front desk of the Sofia medical centre the demo provider
user ``clinic`` types Maria's ЕГН and a professor's examination (002 II.1 б) and is told it is
covered, with what is left of her package's yearly subscription limit and the clause (002 II.Б);
the check is logged. Maria, on a 390 px phone, finds the network's dermatologists in Plovdiv
(004 Чл.24 т.4) on a list that does not scroll sideways."""

from __future__ import annotations

import pytest
from django.utils.translation import trans_real
from playwright.sync_api import expect

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from zdrave.contracts.models import InsuredPerson
from zdrave.providers.network.models import EligibilityCheck

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None
    trans_real.translation_catalog_exists.cache_clear()


@pytest.fixture
def network(products, demo, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="bg-BG", viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Основна навигация").get_by_role(
        "link", name=name, exact=True
    ).click()


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_front_desk_checks_maria_by_egn_and_maria_searches_the_network(network, page, phone):
    maria = InsuredPerson.objects.get(user__username="maria")

    # -- 1. the front desk of МЦ „Здраве“ София checks Maria ------------------------------------
    log_in(page, "clinic")
    _menu(page, "Регистратура")
    expect(page.get_by_role("heading", level=1)).to_have_text("Регистратура")
    expect(page.get_by_text("МЦ „Здраве“ София · София")).to_be_visible()
    page.get_by_label("Единен граждански номер (ЕГН)").fill(maria.id_number)
    page.get_by_label("Услуга", exact=True).select_option("2.1.b")
    page.get_by_role("button", name="Провери покритието").click()

    answer = page.locator("#answer")
    expect(answer.get_by_role("heading", level=2)).to_have_text("Покрито")
    expect(answer).to_contain_text("Мария Петрова")
    expect(answer).to_contain_text("ZH-DEMO-I001")
    expect(answer).to_contain_text("Годишен лимит на пакета (абонаментно обслужване)")
    expect(answer).to_contain_text("(002 II.Б)")
    expect(answer).to_contain_text("остават от 5 112,92 €")
    expect(answer).to_contain_text("60,00 €")
    screenshot(page, "provider-eligibility-covered")
    check = EligibilityCheck.objects.get(person=maria)  # the demo settled one for Александър
    assert (check.asked_by.username, check.person, check.verdict) == ("clinic", maria, "covered")
    expect(page.get_by_text("Покрито · 2.1.b").first).to_be_visible()

    # -- 2. Maria finds a dermatologist in Plovdiv on her phone ---------------------------------
    log_in(phone, "maria")
    _menu(phone, "Лечебни заведения")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Лечебни заведения")
    phone.get_by_label("Град", exact=True).select_option("Пловдив")
    phone.get_by_label("Специалност", exact=True).select_option(label="Дерматология")
    phone.get_by_role("button", name="Търсене").click()
    results = phone.locator(".network-list")
    expect(results.get_by_role("link", name="ДКЦ „Тракия“ Пловдив")).to_be_visible()
    expect(results).not_to_contain_text("МЦ „Здраве“ София")
    expect(results).to_contain_text("+359 32 600 700")
    _fits(phone)
    screenshot(phone, "provider-network-search-390")
    results.get_by_role("link", name="ДКЦ „Тракия“ Пловдив").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("ДКЦ „Тракия“ Пловдив")
    expect(phone.get_by_text("Д-р Ана Димова · Дерматология")).to_be_visible()
    _fits(phone)
