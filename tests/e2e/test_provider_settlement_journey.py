"""Journey (issue 12, provider claims and settlement): the Sofia medical centre's front desk
(``clinic``) checks Maria's cover for a professor's examination (002 II.1 б), bills it on the
check; the engine approves it at the agreed price (004 Чл.29 т.11). The billing officer closes
the month into one statement, makes the SEPA batch with ONE transfer for the centre and
confirms it paid; the clinic sees its statement paid."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext, trans_real
from playwright.sync_api import expect

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from zdrave.claims.models import ClaimStatus
from zdrave.contracts.models import InsuredPerson
from zdrave.providers.settlement.models import ProviderClaim, SettlementBatch, StatementStatus


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None
    trans_real.translation_catalog_exists.cache_clear()


@pytest.fixture
def network(products, demo, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Основна навигация").get_by_role(
        "link", name=name, exact=True
    ).click()


def test_provider_bills_billing_settles_and_pays(network, page, browser, live_server):
    maria = InsuredPerson.objects.get(user__username="maria")

    # -- 1. the front desk checks Maria and bills the examination ------------------------------
    log_in(page, "clinic")
    _menu(page, "Регистратура")
    page.get_by_label("Единен граждански номер (ЕГН)").fill(maria.id_number)
    page.get_by_label("Услуга", exact=True).select_option("2.1.b")
    page.get_by_role("button", name="Провери покритието").click()
    expect(page.locator("#answer").get_by_role("heading", level=2)).to_have_text("Покрито")

    _menu(page, "Искания към застрахователя")
    expect(page.get_by_role("heading", level=1)).to_have_text("Искания към застрахователя")
    page.get_by_label("Проверка на покритието").select_option(index=0)
    page.get_by_label("Ваш номер (на фактура или случай)").fill("F-0001")
    page.get_by_label("Фактурирана сума (EUR)").fill("75.00")
    page.get_by_label("Диагноза (МКБ-10)").fill("J06.9")
    page.get_by_role("button", name="Изпрати към застрахователя").click()
    billed = ProviderClaim.objects.get(reference="F-0001")
    expect(page.get_by_text(f"Искане {billed.claim.number} е изпратено")).to_be_visible()
    billed.claim.refresh_from_db()
    assert billed.claim.status == ClaimStatus.PARTIALLY_APPROVED  # 75.00 billed, 60.00 agreed
    assert str(billed.claim.payable) == "60.00"  # the agreed price (004 Чл.29 т.11)
    screenshot(page, "provider-claim-sent")

    # -- 2. billing closes the month, makes the SEPA batch, confirms it paid --------------------
    staff = browser.new_context(base_url=live_server.url, locale="bg-BG")
    desk = staff.new_page()
    log_in(desk, "billing")
    _menu(desk, "Разплащане с изпълнители")
    expect(desk.get_by_text(billed.claim.number)).to_be_visible()
    desk.get_by_role("button", name="Приключи месеца").click()
    expect(desk.get_by_text("Приключени справки: 1.")).to_be_visible()
    desk.get_by_role("button", name="Създай SEPA пакета").click()
    expect(desk.get_by_text("1 превода, 60.00 EUR.")).to_be_visible()
    batch = SettlementBatch.objects.get(confirmed_at__isnull=True)
    with translation.override("bg"):
        confirm = gettext("Confirm paid")  # the claims desk's word for it (catalogues merge)
    desk.get_by_role("button", name=f"{confirm} {batch.message_id}").click()
    expect(desk.get_by_text("Платени справки: 1.")).to_be_visible()
    screenshot(desk, "provider-settlement-paid")
    staff.close()

    # -- 3. the clinic sees its statement paid -------------------------------------------------
    billed.refresh_from_db()
    assert billed.statement.status == StatementStatus.PAID
    page.reload()
    statements = page.get_by_role("link", name=billed.statement.number)
    expect(statements).to_be_visible()
    expect(page.get_by_text("Платен").first).to_be_visible()
    statements.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Справка за разплащане")
    expect(page.get_by_text("F-0001")).to_be_visible()
    billed.claim.refresh_from_db()
    assert billed.claim.status == ClaimStatus.PAID
