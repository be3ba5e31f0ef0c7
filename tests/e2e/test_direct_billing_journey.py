"""Journey (issue 12, "Done when"): direct billing from the card to the bank, in one go.

The admissions desk of УМБАЛ „Морска“ Варна (``admissions``, on a phone) opens its front desk
from the number in the QR code of Веселина's insurance card and asks about a hospital stay
today (002 III, row 3.1): "needs pre-authorisation". It asks for it from that check; the
medical expert (``medic``) approves part of the estimate — a guarantee letter of 700.00 EUR
held against her limits (004 Чл.26 т.1, Чл.29 т.5). The desk bills the stay (950.00 EUR) on
the check with the letter's number; the engine decides it within what the letter guarantees
(capped below the agreed 800.00, 004 Чл.29 т.11) and the letter shows as used
(``preauth.use_guarantee``). ``billing`` closes the month into one statement (its PDF), makes
the SEPA batch — ONE transfer, valid against the official pain.001.001.09 XSD — and confirms
it paid; the desk sees its statement and the claim paid.

Dates: the service is given today, so it falls in the month ``close_month`` closes (the
form's default day is today; it takes the checks of days up to the month's end, and refuses a
future month) and within the letter's validity (from the day of approval). Веселина's demo
policy starts on the first of NEXT month (``demo.sales``), and hers is the demo's only card:
the fixture moves her policy back by that gap, so it is in force since the first of this
month — as if the journey took place a month after the demo was built."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext, trans_real
from playwright.sync_api import expect
from pypdf import PdfReader

from base.banking.pain001 import NS, OFFICIAL_XSD, parsed
from base.messages import compile_app_messages
from contracts.factories import PASSWORD, make_user
from e2e.helpers import log_in, screenshot
from zdrave.base.identity.roles import Role
from zdrave.claims.models import ClaimStatus
from zdrave.contracts.models import Contract, ContractMember, Cover, PremiumInstalment
from zdrave.policy_admin.sales.models import Applicant
from zdrave.providers.network.actions import link_provider_user
from zdrave.providers.network.models import Institution
from zdrave.providers.preauth.models import GuaranteeLetter, LetterStatus, PreauthRequest
from zdrave.providers.settlement.models import ProviderClaim, SettlementBatch, StatementStatus

PHONE = {"width": 390, "height": 844}
HOSPITAL = "УМБАЛ „Морска“ Варна"


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None
    trans_real.translation_catalog_exists.cache_clear()


@pytest.fixture
def world(products, demo, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    hospital = Institution.objects.get(name=HOSPITAL)
    desk = make_user("admissions", Role.PROVIDER, email="admissions@morska.example")
    link_provider_user(desk, hospital, actor=None)
    _in_force_since_this_month(Applicant.objects.exclude(card_number="").get(first_name="Веселина"))


def _in_force_since_this_month(applicant: Applicant) -> None:
    contract = applicant.member.contract
    gap = contract.start - timezone.localdate().replace(day=1)
    Contract.objects.filter(pk=contract.pk).update(start=F("start") - gap, end=F("end") - gap)
    ContractMember.objects.filter(contract=contract).update(covered_from=F("covered_from") - gap)
    Cover.objects.filter(contract=contract, valid_from__isnull=False).update(
        valid_from=F("valid_from") - gap
    )
    Cover.objects.filter(contract=contract, valid_until__isnull=False).update(
        valid_until=F("valid_until") - gap
    )
    # the first premium was paid when the policy was concluded, before its start (004 Чл.25 т.3)
    PremiumInstalment.objects.filter(contract=contract).update(due=F("due") - gap)
    PremiumInstalment.objects.filter(contract=contract, paid_on__isnull=False).update(
        paid_on=F("paid_on") - gap
    )


def _phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="bg-BG", viewport=PHONE)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def desk_page(browser, live_server):
    context = _phone(browser, live_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def medic_page(browser, live_server):
    context = _phone(browser, live_server)
    yield context.new_page()
    context.close()


def _menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Основна навигация").get_by_role(
        "link", name=name, exact=True
    ).click()


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _pdf_text(download) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(download.path()).pages)


def test_card_qr_to_paid_statement(world, desk_page, medic_page, page):
    page_ = desk_page  # the hospital's admissions desk, on a phone
    veselina = Applicant.objects.exclude(card_number="").get(first_name="Веселина")
    today = timezone.localdate()

    # -- 1. the card's QR code opens the front desk: a stay today needs pre-authorisation ------
    log_in(page_, "admissions", PASSWORD)
    page_.goto(f"/providers/front-desk/?card={veselina.card_number}")
    expect(page_.get_by_label("или номер на картата")).to_have_value(veselina.card_number)
    page_.get_by_label("Услуга", exact=True).select_option("3.1")
    page_.get_by_label("Дата на услугата").fill(today.isoformat())
    page_.get_by_role("button", name="Провери покритието").click()
    answer = page_.locator("#answer")
    expect(answer.get_by_role("heading", level=2)).to_have_text("Нужно е предварително одобрение")
    expect(answer).to_contain_text("Веселина Николова")
    _fits(page_)

    # -- 2. the desk asks for it from that check ------------------------------------------------
    _menu(page_, "Предварителни одобрения")
    page_.get_by_role("link", name="Ново искане").click()
    expect(page_.get_by_label("Пациент и услуга (от проверките на покритието)")).to_contain_text(
        "Веселина Николова · 3.1"
    )
    page_.get_by_label("Планирана дата").fill(today.isoformat())
    expect(page_.get_by_label("Очаквана сума (EUR)")).to_have_value("800.00")
    page_.get_by_label("Диагноза (МКБ-10)").fill("K40.9")
    page_.get_by_label("Медицински мотиви").fill("Операция на ингвинална херния днес.")
    page_.get_by_role("button", name="Изпратете заявката").click()
    expect(page_.get_by_role("heading", level=1)).to_contain_text("Предварително одобрение PA-")
    expect(page_.get_by_text("Чака медицинския експерт")).to_be_visible()
    _fits(page_)
    request = PreauthRequest.objects.get(member__person__id_number=veselina.member.person.id_number)

    # -- 3. the medical expert approves 700.00 of the 800.00 asked: a guarantee letter ----------
    log_in(medic_page, "medic")
    _menu(medic_page, "Искания за одобрение")
    item = medic_page.locator(".preauth-list li", has_text=request.number)
    expect(item).to_contain_text("Веселина Николова")
    item.get_by_role("link", name=request.number).click()
    medic_page.get_by_label("Одобрение (изцяло или частично)").check()
    medic_page.get_by_label("Одобрена сума (EUR)").fill("700.00")
    medic_page.get_by_label("Причина (клауза)").select_option(index=1)
    medic_page.get_by_label("Мотиви за лечебното заведение и застрахования").fill(
        "Очакваният престой е по-кратък; одобряваме 700 EUR."
    )
    medic_page.get_by_role("button", name="Записване на решението").click()
    expect(medic_page.get_by_role("heading", name="Гаранционно писмо GL-")).to_be_visible()
    expect(medic_page.locator("section.card strong").first).to_contain_text("Частично одобрен")
    _fits(medic_page)
    letter = GuaranteeLetter.objects.get(request=request)
    assert (letter.status, str(letter.amount)) == (LetterStatus.HELD, "700.00")

    # -- 4. the desk bills the stay on the check, with the letter's number ---------------------
    _menu(page_, "Искания към застрахователя")
    expect(page_.get_by_role("heading", level=1)).to_have_text("Искания към застрахователя")
    check = page_.get_by_label("Проверка на покритието")
    expect(check.locator("option").first).to_contain_text(
        f"Веселина Николова · 3.1 · {today:%d.%m.%Y}"
    )
    check.select_option(index=0)
    page_.get_by_label("Ваш номер (на фактура или случай)").fill("MV-2026-0042")
    page_.get_by_label("Фактурирана сума (EUR)").fill("950.00")
    page_.get_by_label("Диагноза (МКБ-10)").fill("K40.9")
    page_.get_by_label("Номер на гаранционно писмо").fill(letter.number)
    page_.get_by_role("button", name="Изпрати към застрахователя").click()
    billed = ProviderClaim.objects.select_related("claim").get(reference="MV-2026-0042")
    claim = billed.claim
    # the engine decided it at once: 950.00 billed, paid within the letter's 700.00
    assert claim.status == ClaimStatus.PARTIALLY_APPROVED
    assert str(claim.payable) == "700.00"
    assert (billed.guarantee_letter_id, billed.price_basis) == (letter.pk, "guarantee")
    expect(page_.get_by_text(f"Искане {claim.number} е изпратено")).to_be_visible()
    mine = page_.locator(".network-list li", has_text=claim.number)
    expect(mine.locator(".status")).to_contain_text("Частично одобрен")
    expect(mine).to_contain_text("фактурирано 950,00 EUR")
    expect(mine).to_contain_text("застрахователят плаща 700,00 EUR")
    _fits(page_)
    screenshot(page_, "direct-billing-claim-sent-390")

    # -- 5. the guarantee letter shows as used ---------------------------------------------------
    page_.goto(f"/preauth/{request.number}/")
    expect(page_.get_by_role("heading", name=f"Гаранционно писмо {letter.number}")).to_be_visible()
    expect(page_.locator("dd", has_text="Използвано")).to_contain_text("използвано (EUR): 700,00")
    letter.refresh_from_db()
    assert (letter.status, str(letter.used_amount)) == (LetterStatus.USED, "700.00")

    # -- 6. billing closes the month, checks the statement PDF, pays it by SEPA ---------------
    log_in(page, "billing")
    _menu(page, "Разплащане с изпълнители")
    waiting = page.locator(".network-list li", has_text=claim.number)
    expect(waiting).to_contain_text(HOSPITAL)
    expect(waiting).to_contain_text("застрахователят плаща 700,00 EUR")
    expect(page.get_by_label("Ден от месеца за приключване")).to_have_value(today.isoformat())
    page.get_by_role("button", name="Приключи месеца").click()
    expect(page.get_by_text("Приключени справки: 1.")).to_be_visible()
    billed.refresh_from_db()
    statement = billed.statement
    assert (statement.month, str(statement.payable)) == (today.replace(day=1), "700.00")
    row = page.locator(".network-list li").filter(
        has=page.get_by_role("link", name=statement.number, exact=True)
    )
    expect(row).to_contain_text(f"{HOSPITAL} · 700,00 EUR")
    expect(row.locator(".status")).to_have_text("Приключена, за плащане")

    row.get_by_role("link", name=statement.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Справка за разплащане за {today:%m.%Y}"
    )
    expect(page.get_by_text("MV-2026-0042")).to_be_visible()
    with page.expect_download() as pdf_info:
        page.get_by_role("link", name="Справка (PDF)").click()
    assert pdf_info.value.suggested_filename == f"{statement.number}.pdf"
    text = _pdf_text(pdf_info.value)
    assert f"Справка за разплащане за {today:%m.%Y}" in text
    # its row: billed 950,00, no co-payment, the insurer pays the letter's 700,00
    assert f"MV-2026-0042 {claim.number} Веселина Николова 950,00 0,00 700,00" in text
    assert f"За плащане: 700,00 EUR · IBAN {statement.iban} · {statement.number}" in text
    page.go_back()

    page.get_by_role("button", name="Създай SEPA пакета").click()
    expect(page.get_by_text("1 превода, 700.00 EUR.")).to_be_visible()
    batch = SettlementBatch.objects.get(confirmed_at__isnull=True)
    with page.expect_download() as xml_info:
        page.get_by_role("link", name=f"SEPA файл {batch.message_id}").click()
    xml = open(xml_info.value.path(), "rb").read()  # noqa: SIM115, PTH123 - the downloaded file
    assert OFFICIAL_XSD.is_valid(xml.decode())
    (transfer,) = parsed(xml).findall(".//p:CdtTrfTxInf", NS)
    assert transfer.find(".//p:EndToEndId", NS).text == statement.number
    assert transfer.find(".//p:InstdAmt", NS).text == "700.00"
    assert transfer.find(".//p:IBAN", NS).text == statement.iban
    with translation.override("bg"):
        confirm = gettext("Confirm paid")  # the claims desk's word for it (catalogues merge)
    page.get_by_role("button", name=f"{confirm} {batch.message_id}").click()
    expect(page.get_by_text("Платени справки: 1.")).to_be_visible()
    screenshot(page, "direct-billing-settlement-paid")

    # -- 7. the hospital sees its statement and the claim paid ---------------------------------
    _menu(page_, "Искания към застрахователя")
    expect(page_.locator(".network-list li", has_text=claim.number)).to_contain_text("Платена")
    paid = page_.locator(".network-list li").filter(
        has=page_.get_by_role("link", name=statement.number, exact=True)
    )
    expect(paid).to_contain_text("700,00 EUR")
    expect(paid.locator(".status")).to_have_text("Платена")
    expect(paid).to_contain_text(today.strftime("%d.%m.%Y"))
    _fits(page_)
    screenshot(page_, "direct-billing-paid-390")
    statement.refresh_from_db()
    claim.refresh_from_db()
    assert (statement.status, claim.status) == (StatementStatus.PAID, ClaimStatus.PAID)
