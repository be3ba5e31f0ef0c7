"""Journey (issue 10, "Done when"): on a 390 px phone Maria sends an outpatient claim with phone
photos of her documents but without the fiscal receipt; the claim gets its incoming number and a
request for the missing document with its deadline (004 Чл.29 т.1–2). She adds the receipt on
the claim's page; the engine, with no ICD-10 code to go on, refers it to the medical expert, who
codes the diagnosis. A claims adjuster lowers the line's amount with a reason, which waits for a
second adjuster's approval (four eyes); the payment is scheduled, exported in a SEPA
pain.001.001.09 batch that validates against the official XSD, and confirmed paid. Maria sees
"Платена", reads the decision letter with the adjuster's reason and opens its PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.translation import trans_real
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from pypdf import PdfReader

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from zdrave.base.banking.sepa import NS, validate_credit_transfer
from zdrave.base.outbox.models import OutboxMessage
from zdrave.claims.clocks import clock_for
from zdrave.claims.models import Claim, ClaimStatus, Payment, PaymentStatus

PHONE = {"width": 390, "height": 844}
IBAN = "BG80BNBG96611020345678"
# Maria's option "Пълна" reimburses 300 лв (153,39 EUR) a year (002 II.Б); the demo's MRI used
# 110,00 of it, so the engine proposes the whole 40,00 and 8,39 are left after the 35,00 paid.
AMOUNT = Decimal("40.00")
OVERRIDE = Decimal("35.00")
REASON = "Фактурата е с отстъпка от 5,00 EUR."
# 004 Приложение №1 for a functional test (002 II.8, a Holter ECG): what Maria photographs now;
# the receipt comes later.
SENT_FIRST = {
    "Амбулаторен лист или друг официален медицински документ": "ambulatory-sheet",
    "Резултати от проведените изследвания": "test-results",
    "Фактура на името на застрахования": "invoice",
}
RECEIPT = "Фискален бон в оригинал"


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    """The Bulgarian catalogues of every app the journey passes through (claims, banking,
    letters, documents, ...), compiled when missing or stale."""
    compile_app_messages()
    # A catalogue read before its .mo existed (a fresh checkout) stays cached without it: read
    # them again, as Django does when LOCALE_PATHS changes.
    trans_real._translations = {}
    trans_real._default = None
    trans_real.translation_catalog_exists.cache_clear()


@pytest.fixture
def desk(request, transactional_db, settings, tmp_path):
    """The demo (its claims included) with the uploads in a temporary folder, mail kept in the
    real outbox and background tasks (the decision e-mail with its PDF) run at once, as the
    worker would run them."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    settings.EMAIL_HOST = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    request.getfixturevalue("demo")


@pytest.fixture
def phone(browser, live_server):
    """A fresh Bulgarian browser context on a 390 × 844 phone screen."""
    context = browser.new_context(base_url=live_server.url, locale="bg-BG", viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def photos(tmp_path):
    """Real JPEG phone photos of paper documents, one per document (each a different file)."""
    made = {}
    for n, key in enumerate([*SENT_FIRST.values(), "fiscal-receipt"]):
        image = Image.new("RGB", (600, 840), (246, 244, 236 - 8 * n))
        draw = ImageDraw.Draw(image)
        for y in range(120, 760, 36):
            draw.line((40, y, 560, y - n), fill=(70, 70, 70), width=2)
        draw.text((40, 60), key.upper(), fill=(20, 20, 20))
        path = tmp_path / f"snimka-{key}.jpg"
        image.save(path, "JPEG", quality=80)
        made[key] = path
    return made


def _fits(page) -> None:
    """Nothing scrolls sideways on the phone (DEVELOPERS.md: every page works at 390 px)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)
    expect(page.get_by_role("button", name="Вход")).to_have_count(0)


def _menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Основна навигация").get_by_role(
        "link", name=name, exact=True
    ).click()


def _status(page):
    return page.locator(".page-header .status, .page-header .claim-status")


def test_member_claims_from_a_phone_staff_decide_and_the_bank_pays(desk, phone, photos):
    page = phone
    today = timezone.localdate()
    day = max(today - dt.timedelta(days=3), dt.date(today.year, 1, 1))

    # -- 1. Maria sends the claim from her phone, the fiscal receipt left out ------------------
    _switch_user(page, "maria")
    _menu(page, "Моите претенции")
    page.get_by_role("link", name="Нова претенция").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Нова претенция")
    page.get_by_label("Прегледи и изследвания").check()
    page.get_by_label("Кой е лекуван?").select_option(label="Мария Петрова · ZH-DEMO-I001")
    page.get_by_role("button", name="Продължи").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Нова претенция: Прегледи и изследвания"
    )
    page.get_by_label("Лекар, лечебно заведение или аптека").fill("ДКЦ „Св. Лука“ София")
    # No ICD-10 code: Maria writes the diagnosis as her doctor did; our doctor adds the code.
    page.get_by_label("Диагноза", exact=True).fill("Сърцебиене и задух при натоварване")
    # Choosing the service brings its documents (htmx swaps the form in place).
    page.get_by_label("Услуга", exact=True).select_option("2.8.c")
    checklist = page.locator("#documents")
    expect(
        checklist.get_by_role("heading", name=re.compile(r"^Ред 1: .*функционални изследвания"))
    ).to_be_visible()
    for label in [*SENT_FIRST, RECEIPT]:
        expect(checklist.get_by_label(label)).to_be_visible()
    page.get_by_label("Дата на услугата").fill(day.isoformat())
    page.get_by_label("Номер на фактурата").fill("0000231987")
    page.get_by_label("Платена сума").fill("40.00")
    for label, key in SENT_FIRST.items():
        checklist.get_by_label(label).set_input_files(str(photos[key]))
    page.get_by_label("IBAN").fill("BG80 BNBG 9661 1020 3456 78")
    _fits(page)
    screenshot(page, "claim-1-form")
    page.get_by_role("button", name="Изпрати претенцията").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Претенция CL-\d{4}-\d{6}$"))
    number = heading.inner_text().removeprefix("Претенция ")
    claim = Claim.objects.get(number=number)
    expect(
        page.get_by_text(f"Претенция {number} е получена. Изпратихме Ви потвърждение по имейл.")
    ).to_be_visible()
    expect(_status(page)).to_have_text("Очакват се документи")
    missing = page.get_by_role("region", name="Все още ни трябват")
    expect(missing.get_by_role("listitem")).to_have_count(1)
    expect(missing.get_by_role("listitem")).to_contain_text(RECEIPT)
    # 004 Чл.29 т.2: the final answer is due six months from receipt; the page asks for the
    # documents by then.
    deadline = clock_for(claim).final_answer_by
    expect(missing).to_contain_text(f"Изпратете ги до {deadline.day}.{deadline:%m.%Y}.")
    documents = page.get_by_role("region", name="Документи")
    for key in SENT_FIRST.values():
        expect(documents.get_by_role("link", name=f"snimka-{key}.jpg")).to_be_visible()
    _fits(page)
    screenshot(page, "claim-2-documents-requested")
    assert (claim.status, claim.iban, claim.diagnosis) == (
        ClaimStatus.PENDING_DOCUMENTS,
        IBAN,
        "",
    )
    assert claim.lines.get().amount == AMOUNT

    # -- 2. She adds the receipt on the claim's page: complete, but the code is missing -------
    missing.get_by_role("link", name="Изпращане на документи").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Изпращане на документи")
    page.get_by_label(RECEIPT).set_input_files(str(photos["fiscal-receipt"]))
    _fits(page)
    page.get_by_role("button", name="Изпрати", exact=True).click()
    expect(
        page.get_by_text("Благодарим Ви: документите са добавени към претенцията.")
    ).to_be_visible()
    # Complete now, but without an ICD-10 code the engine does not decide alone: the medical
    # expert codes it (docs/decisions.md, "The engine decides alone").
    expect(_status(page)).to_have_text("При медицински експерт")
    expect(page.get_by_role("region", name="Все още ни трябват")).to_have_count(0)
    expect(page.get_by_role("region", name="Документи")).to_contain_text(
        "snimka-fiscal-receipt.jpg"
    )
    _fits(page)
    screenshot(page, "claim-3-with-the-medical-expert")

    # -- 3. The medical expert codes the diagnosis ----------------------------------------------
    _switch_user(page, "medic")
    _menu(page, "Медицински въпроси")
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Претенция {number}")
    _fits(page)
    page.get_by_role("textbox", name="Код на диагнозата").fill("R00.2")
    page.get_by_role("textbox", name="Становище").fill(
        "Пароксизмално сърцебиене; холтер ЕКГ е медицински обосновано."
    )
    page.get_by_role("button", name="Дайте становище").click()
    expect(
        page.get_by_text(f"Претенция {number} е върната на ликвидаторите с вашето становище.")
    ).to_be_visible()

    # -- 3. An adjuster takes it and lowers the line with a reason: four eyes ----------------
    _switch_user(page, "adjuster")
    _menu(page, "Опашка с претенции")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number, exact=True))
    expect(row).to_contain_text("При ликвидатор")
    row.get_by_role("button", name=f"Поемете {number}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Претенция {number}")
    decide = page.locator("#decide")
    expect(decide.get_by_label("Ред 1: сума за плащане (EUR)")).to_have_value(str(AMOUNT))
    _fits(page)
    decide.get_by_label("Ред 1: сума за плащане (EUR)").fill("35,00")
    decide.get_by_label("Ред 1: причина за промяната").fill(REASON)
    decide.get_by_role("button", name="Решение", exact=True).click()
    expect(page.get_by_text("Решението чака одобрение от втори ликвидатор.")).to_be_visible()
    expect(_status(page)).to_have_text("Решение, очакващо второ одобрение")
    screenshot(page, "claim-4-override-proposed")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_APPROVAL
    assert claim.diagnosis == "R00.2"
    assert not claim.payments.exists()

    # -- 3. The second adjuster approves; the payment is scheduled ----------------------------
    _switch_user(page, "adjuster2")
    page.goto(f"/claims/queue/{number}/")
    page.get_by_role("link", name="Решение, очакващо второ одобрение").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Второ одобрение")
    expect(page.get_by_role("row").filter(has_text=REASON)).to_contain_text("35,00")
    _fits(page)
    screenshot(page, "claim-5-second-approval")
    page.get_by_role("button", name="Одобрете").click()
    expect(page.get_by_text("Решението е одобрено.")).to_be_visible()
    expect(_status(page)).to_have_text("Плащането е насрочено")
    [scheduled] = claim.payments.all()
    assert (scheduled.status, scheduled.amount, scheduled.end_to_end_id) == (
        PaymentStatus.SCHEDULED,
        OVERRIDE,
        number,
    )

    # -- 4. Payments: a batch, its SEPA file validated, the bank's confirmation -------------
    _switch_user(page, "adjuster")
    _menu(page, "Плащания")
    expect(page.get_by_role("heading", level=1)).to_have_text("Плащания по претенции")
    waiting = page.get_by_role("region", name="Чакат пакет")
    expect(waiting.get_by_role("row").filter(has_text=number)).to_contain_text("35,00")
    _fits(page)
    page.get_by_role("button", name="Създаване на пакета").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Пакет "))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Изтегляне на SEPA файла (XML)").click()
    sepa = Path(download_info.value.path()).read_bytes()
    validate_credit_transfer(sepa)  # the official pain.001.001.09 XSD
    document = ET.fromstring(sepa)  # noqa: S314 - our own file, just validated
    transfers = {
        tx.findtext(f"{{{NS}}}PmtId/{{{NS}}}EndToEndId"): tx
        for tx in document.iter(f"{{{NS}}}CdtTrfTxInf")
    }
    # Every scheduled payment goes into the batch: the demo's MRI claim, decided at once, too.
    demo_paid = Claim.objects.get(idempotency_key="demo-claim-mri").number
    # (The other demo areas schedule payments too: billing's and the complaints' claims.)
    batched = Payment.objects.filter(batch__isnull=False).values_list("claim__number", flat=True)
    assert {number, demo_paid} <= set(transfers) == set(batched)
    ours = transfers[number]
    assert ours.findtext(f"{{{NS}}}Amt/{{{NS}}}InstdAmt") == "35.00"
    assert ours.find(f"{{{NS}}}Amt/{{{NS}}}InstdAmt").get("Ccy") == "EUR"
    assert ours.findtext(f"{{{NS}}}CdtrAcct/{{{NS}}}Id/{{{NS}}}IBAN") == IBAN
    # The creditor's name in Latin letters by the official transliteration (Закон за
    # транслитерацията: "ия" ending a word is "ia"), not with its letters dropped.
    assert ours.findtext(f"{{{NS}}}Cdtr/{{{NS}}}Nm") == "Maria Petrova"
    assert number in ours.findtext(f"{{{NS}}}RmtInf/{{{NS}}}Ustrd")
    _fits(page)
    page.get_by_role("button", name="Потвърждаване на плащането").click()
    expect(page.get_by_text(f"е потвърден като платен: {len(transfers)} плащания")).to_be_visible()
    screenshot(page, "claim-6-batch-paid")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID

    # -- 5. Maria sees "paid", reads the letter and opens its PDF ---------------------------
    _switch_user(page, "maria")
    _menu(page, "Моите претенции")
    item = page.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=number, exact=True)
    )
    expect(item).to_contain_text("Платена")
    item.get_by_role("link", name=number, exact=True).click()
    expect(_status(page)).to_have_text("Платена")
    expect(page.get_by_role("region", name="Плащания")).to_contain_text("35,00")
    _fits(page)
    screenshot(page, "claim-7-paid")
    page.get_by_role("link", name="Прочетете писмото с решението").click()
    line = page.locator(".letter-line")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("функционални изследвания")
    expect(line).to_contain_text(f"Променено от нашия екип по претенции: {REASON}")
    expect(line).to_contain_text("Решение: Частично одобрено")
    expect(line).to_contain_text("Изплащаме: 35,00 €")
    expect(
        page.get_by_role("listitem").filter(has_text="възстановяване на разходи")
    ).to_contain_text("остават 8,39 € от 153,39 € (002 II.Б)")
    _fits(page)
    screenshot(page, "claim-8-letter")
    href = page.get_by_role("link", name="Изтегляне като PDF").get_attribute("href")
    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert number in text
    assert "Мария Петрова" in text
    assert REASON in " ".join(text.split())

    # The e-mails Maria got about the claim, one per step she should hear of.
    subjects = list(
        OutboxMessage.objects.filter(subject__contains=number)
        .order_by("created_at", "id")
        .values_list("to", "subject")
    )
    assert subjects == [
        (["maria@demo.zdrave.example"], f"Претенция {number}: документи, които още са ни нужни"),
        (["maria@demo.zdrave.example"], f"Претенция {number} е получена"),
        (["maria@demo.zdrave.example"], f"Претенция {number}: нашето решение"),
        (["maria@demo.zdrave.example"], f"Претенция {number}: платена"),
    ]
    # The decision e-mail carries the same letter as a PDF.
    decided = OutboxMessage.objects.get(subject=f"Претенция {number}: нашето решение")
    mime = message_from_bytes(bytes(decided.raw_mime), policy=email_policy.default)
    [attached] = [a for a in mime.iter_attachments() if a.get_content_type() == "application/pdf"]
    assert number in PdfReader(io.BytesIO(attached.get_content())).pages[0].extract_text()

    # Known defect (reported with this test): the engine's proposal stored when the claim was
    # referred to the medical expert counts as a final decision (``DecisionVersion.final``), so
    # Maria's page lists it as an earlier decision and the letter says the decision replaces
    # it and that 5,00 EUR she never received are to be paid back. She was paid once, 35,00.
    assert [p.amount for p in claim.payments.all()] == [OVERRIDE]
    # The engine's proposal made before the claim went to people is not an earlier decision.
    expect(page.get_by_role("heading", name="Това решение заменя предишно")).to_have_count(0)
    expect(page.get_by_text("подлежи на възстановяване")).to_have_count(0)
    page.get_by_role("link", name="Обратно към претенцията").click()
    expect(page.get_by_role("region", name="Предишни решения")).to_have_count(0)
