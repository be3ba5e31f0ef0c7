"""Journey (issue 12, pre-authorisation): the admissions desk of УМБАЛ „Морска“ Варна scans
Веселина's insurance card — its QR code's number opens the desk — and asks about a planned
hospital stay (002 III, row 3.1), which always needs the insurer's prior approval: "needs
pre-authorisation". The desk asks for it from that check; the medical expert (``medic``) sees
it in the queue with its turnaround clock and approves it; the guarantee letter (amount,
validity, what it covers) is held against Веселина's limits (004 Чл.26 т.1) and the desk
downloads it as a PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import trans_real
from playwright.sync_api import expect
from pypdf import PdfReader

from base.messages import compile_app_messages
from contracts.factories import PASSWORD, make_user
from e2e.helpers import log_in, screenshot
from zdrave.base.identity.roles import Role
from zdrave.policy_admin.sales.models import Applicant
from zdrave.providers.network.actions import link_provider_user
from zdrave.providers.network.models import Institution
from zdrave.providers.preauth.models import GuaranteeLetter, LetterStatus, PreauthRequest

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None
    trans_real.translation_catalog_exists.cache_clear()


@pytest.fixture
def world(products, demo, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    hospital = Institution.objects.get(name="УМБАЛ „Морска“ Варна")
    desk = make_user("admissions", Role.PROVIDER, email="admissions@morska.example")
    link_provider_user(desk, hospital, actor=None)


@pytest.fixture
def medic_page(browser, live_server):
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


def test_desk_asks_expert_approves_desk_downloads_the_guarantee_letter(world, page, medic_page):
    veselina = Applicant.objects.exclude(card_number="").get(first_name="Веселина")
    contract = veselina.member.contract
    planned = max(contract.start, timezone.localdate()) + dt.timedelta(days=7)

    # -- 1. the QR code of the card opens the front desk with its number -----------------------
    log_in(page, "admissions", PASSWORD)
    page.goto(f"/providers/front-desk/?card={veselina.card_number}")
    expect(page.get_by_label("или номер на картата")).to_have_value(veselina.card_number)
    page.get_by_label("Услуга", exact=True).select_option("3.1")
    page.get_by_label("Дата на услугата").fill(planned.isoformat())
    page.get_by_role("button", name="Провери покритието").click()
    answer = page.locator("#answer")
    expect(answer.get_by_role("heading", level=2)).to_have_text("Нужно е предварително одобрение")
    expect(answer).to_contain_text("Веселина Николова")

    # -- 2. the desk asks for pre-authorisation from that check --------------------------------
    _menu(page, "Предварителни одобрения")
    page.get_by_role("link", name="Ново искане").click()
    expect(page.get_by_label("Пациент и услуга (от проверките на покритието)")).to_contain_text(
        "Веселина Николова · 3.1"
    )
    expect(page.get_by_label("Очаквана сума (EUR)")).to_have_value("800.00")
    page.get_by_label("Диагноза (МКБ-10)").fill("K40.9")
    page.get_by_label("Медицински мотиви").fill("Планова операция на ингвинална херния.")
    page.get_by_role("button", name="Изпратете заявката").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Предварително одобрение PA-")
    expect(page.get_by_text("Чака медицинския експерт")).to_be_visible()
    request = PreauthRequest.objects.get(member__person__id_number=veselina.member.person.id_number)
    assert (request.service, request.asked_by.username) == ("3.1", "admissions")

    # -- 3. the medical expert approves it from the queue, on a phone ---------------------------
    log_in(medic_page, "medic")
    _menu(medic_page, "Искания за одобрение")
    item = medic_page.locator(".preauth-list li", has_text=request.number)
    expect(item).to_contain_text("Веселина Николова")
    expect(item.locator(".flag")).to_have_text("В срок")
    expect(item).to_contain_text("работни часа")
    _fits(medic_page)
    screenshot(medic_page, "preauth-queue-390")
    item.get_by_role("link", name=request.number).click()
    medic_page.get_by_label("Одобрение (изцяло или частично)").check()
    expect(medic_page.get_by_label("Одобрена сума (EUR)")).to_have_value("800.00")
    medic_page.get_by_role("button", name="Записване на решението").click()
    expect(medic_page.get_by_role("heading", name="Гаранционно писмо GL-")).to_be_visible()
    _fits(medic_page)
    letter = GuaranteeLetter.objects.get(request=request)
    assert (letter.status, letter.held) == (LetterStatus.HELD, letter.amount)

    # -- 4. the desk sees the approval and downloads the guarantee letter ------------------------
    page.goto(f"/preauth/{request.number}/")
    expect(page.get_by_text("Одобрено", exact=True)).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Изтегляне на гаранционното писмо (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{letter.number}.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert letter.number in text
    assert "Веселина Николова" in text
    assert "800,00" in text
    assert letter.valid_until.strftime("%d.%m.%Y") in text
    screenshot(page, "preauth-approved")
