"""Journey (issue 11, "Done when"): a family buys a policy online on a phone. The mother gets a
quote, applies for herself, her husband and their ten-year-old daughter, saves her own
declaration half-filled as a draft and signs it later, fills in her daughter's as the parent
(004 Чл.23 т.1); the husband declares a chronic disease, so the engine refers him (004 Чл.9).
The underwriter accepts him on special conditions excluding back problems (M50-M54, 004 Чл.10).
The mother concludes the contract; billing records the first instalment; the policy and the
cards open as PDFs with the family's names. A back-pain MRI claim is then refused for the
husband and not for the mother: the special conditions changed the claim decision."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import trans_real
from playwright.sync_api import expect
from pypdf import PdfReader

from base.messages import compile_app_messages
from contracts.factories import PASSWORD, make_user
from e2e.helpers import log_in, screenshot
from zdrave.claims.actions.decide import adjudicate_claim
from zdrave.claims.models import Claim, ClaimLine
from zdrave.contracts.identifiers import make_egn
from zdrave.engine.terms.loader import default_products_root, load_catalog
from zdrave.policy_admin.sales.models import Application

PHONE = {"width": 390, "height": 844}
DOCS = ["claim-form", "ambulatory-sheet", "imaging-report", "invoice", "fiscal-receipt"]


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None


def next_month() -> dt.date:
    today = timezone.localdate()
    return dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def as_user(browser, live_server, username, password="demo12345"):  # noqa: S107 - demo log-in
    context = browser.new_context(base_url=live_server.url, locale="bg-BG", viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, username, password)
    return page


def pdf_text(page, url: str) -> str:
    response = page.request.get(url)
    assert response.headers["content-type"] == "application/pdf"
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def add_person(page, first, last, egn, role, packages):
    page.get_by_role("link", name="Добавяне на лице").click()
    page.get_by_label("Собствено име").fill(first)
    page.get_by_label("Фамилно име").fill(last)
    page.get_by_label("ЕГН").fill(egn)
    page.get_by_label("Роля по договора").select_option(label=role)
    for label, value in packages.items():
        page.get_by_label(label).select_option(value)
    page.get_by_role("button", name="Добавяне на лицето").click()
    expect(page.get_by_role("region", name=f"{first} {last}")).to_be_visible()


def answer_all_no(page):
    for radio in page.get_by_role("radio", name="Не").all():
        radio.check()


def test_a_family_buys_a_policy_online_and_special_conditions_change_a_claim(
    browser, live_server, demo
):
    make_user("familia", email="familia@example.bg", first_name="Мария", last_name="Петрова")
    start = next_month()
    mother = as_user(browser, live_server, "familia", PASSWORD)

    # The quote: two persons, the premium per person and in total, per year and per instalment.
    mother.goto("/sales/quote/")
    expect(mother.get_by_text("Илюстративна тарифа")).to_be_visible()
    mother.get_by_label("Начална дата").fill(start.isoformat())
    mother.get_by_label("Начин на плащане").select_option("4")
    one = mother.get_by_role("group", name="Лице 1")
    one.get_by_label("Лице 1: дата на раждане").fill("1988-05-04")
    one.get_by_label("Пакет 2: Извънболнична медицинска помощ").select_option("full/Б1")
    one.get_by_label("Пакет 6: Дентална помощ").select_option("basic/Б1")
    two = mother.get_by_role("group", name="Лице 2")
    two.get_by_label("Лице 2: дата на раждане").fill(
        start.replace(year=start.year - 10).isoformat()
    )
    two.get_by_label("Пакет 2: Извънболнична медицинска помощ").select_option("basic/A")
    mother.get_by_role("button", name="Изчисляване на премията").click()
    expect(mother.get_by_test_id("yearly-total")).to_contain_text("€")
    expect(mother.get_by_test_id("instalment")).to_contain_text("€")
    screenshot(mother, "sales-quote")

    # The application.
    mother.get_by_role("link", name="Кандидатствайте онлайн").click()
    mother.get_by_label("Вид договор").select_option("family")
    mother.get_by_label("Начална дата").fill(start.isoformat())
    mother.get_by_label("Начин на плащане").select_option("4")
    mother.get_by_role("button", name="Започване на предложението").click()
    add_person(
        mother,
        "Мария",
        "Петрова",
        make_egn(dt.date(1988, 5, 4), 71, female=True),
        "Застраховащ",
        {
            "Пакет 2: Извънболнична медицинска помощ": "full/Б1",
            "Пакет 6: Дентална помощ": "basic/Б1",
        },
    )
    add_person(
        mother,
        "Петър",
        "Петров",
        make_egn(dt.date(1986, 2, 1), 72, female=False),
        "Съпруг(а)",
        {"Пакет 2: Извънболнична медицинска помощ": "full/Б1"},
    )
    add_person(
        mother,
        "Ива",
        "Петрова",
        make_egn(start.replace(year=start.year - 10), 73, female=True),
        "Дете",
        {"Пакет 2: Извънболнична медицинска помощ": "basic/A"},
    )
    application = Application.objects.get(owner__username="familia")

    # The mother's declaration: half-filled and saved as a draft, then completed and signed.
    mother.get_by_role("link", name="Попълнете декларацията на Мария").click()
    mother.get_by_role("group", name="Хронични заболявания").get_by_label("Не").check()
    mother.get_by_role("button", name="Запазване като чернова").click()
    expect(mother.get_by_text("Декларацията е запазена като чернова.")).to_be_visible()
    expect(mother.get_by_text("чернова, неподписана")).to_be_visible()
    mother.get_by_role("link", name="Попълнете декларацията на Мария").click()
    expect(mother.get_by_text("Запазена като чернова: още не е подписана.")).to_be_visible()
    expect(
        mother.get_by_role("group", name="Хронични заболявания").get_by_label("Не")
    ).to_be_checked()
    answer_all_no(mother)
    mother.get_by_label("Име на попълващия").fill("Мария Петрова")
    mother.get_by_role("button", name="Подписване на декларацията").click()
    expect(mother.get_by_text("Декларацията е подписана.")).to_be_visible()

    # The husband declares a chronic disease.
    mother.get_by_role("link", name="Попълнете декларацията на Петър").click()
    answer_all_no(mother)
    mother.get_by_role("group", name="Хронични заболявания").get_by_label("Да").check()
    mother.get_by_label("Име на попълващия").fill("Петър Петров")
    mother.get_by_role("button", name="Подписване на декларацията").click()

    # The daughter's, by the parent (004 Чл.23 т.1): "herself" is refused.
    mother.get_by_role("link", name="Попълнете декларацията на Ива").click()
    expect(mother.get_by_text("Лицето е под 18 години")).to_be_visible()
    answer_all_no(mother)
    mother.get_by_role("group", name="Попълва").get_by_label("Самото лице").check()
    mother.get_by_label("Име на попълващия").fill("Мария Петрова")
    mother.get_by_role("button", name="Подписване на декларацията").click()
    expect(mother.get_by_role("alert")).to_contain_text("004 Чл.23 т.1")
    mother.get_by_role("group", name="Попълва").get_by_label("Родител").check()
    mother.get_by_role("button", name="Подписване на декларацията").click()
    expect(mother.get_by_text("Декларацията е подписана.")).to_be_visible()

    mother.get_by_role("button", name="Изпращане на предложението").click()
    expect(mother.get_by_text("Застраховател преглежда предложението")).to_be_visible()
    screenshot(mother, "sales-application-referred")

    # The underwriter accepts the husband on special conditions.
    underwriter = as_user(browser, live_server, "underwriter")
    underwriter.goto("/sales/underwriting/")
    underwriter.get_by_role("link", name="Петър Петров").click()
    expect(underwriter.get_by_text("Декларирано: Хронични заболявания.")).to_be_visible()
    underwriter.get_by_label("Приемане при специални условия").check()
    underwriter.get_by_label("Изключени диагнози (МКБ-10, разделени със запетая)").fill("M50-M54")
    underwriter.get_by_label("Мотиви за решението").fill("Хронична дископатия.")
    underwriter.get_by_role("button", name="Записване на решението").click()
    expect(underwriter.get_by_text("Решението е записано; писмото е готово.")).to_be_visible()
    expect(underwriter.get_by_role("link", name="Петър Петров")).to_have_count(0)

    # The mother reads the decision letter and concludes the contract.
    mother.goto(f"/sales/{application.reference}/")
    mother.get_by_role("button", name="Приемам офертата и сключвам договора").click()
    expect(mother.get_by_test_id("cover-begins")).to_contain_text("първата премия не е платена")

    # Billing records the first instalment; cover begins at 00:00 of the start.
    billing = as_user(browser, live_server, "billing")
    billing.goto(f"/sales/{application.reference}/")
    billing.get_by_role("button", name="Въвеждане на плащането").click()
    expect(billing.get_by_text("Плащането е въведено.")).to_be_visible()
    expect(billing.get_by_test_id("cover-begins")).to_contain_text(start.strftime("%d.%m.%Y"))

    # The policy and the cards as PDFs.
    application.refresh_from_db()
    contract = application.contract
    mother.goto(f"/sales/{application.reference}/")
    screenshot(mother, "sales-contract")
    policy = pdf_text(mother, f"/sales/{application.reference}/policy.pdf")
    assert contract.number in policy
    for name in ("Мария Петрова", "Петър Петров", "Ива Петрова", "M50-M54"):
        assert name in policy
    for person in application.persons.all():
        card = pdf_text(mother, f"/sales/persons/{person.pk}/card.pdf")
        assert person.card_number in card
        assert person.full_name in card
    husband = application.persons.get(first_name="Петър")
    letter = pdf_text(mother, f"/sales/persons/{husband.pk}/letter.pdf")
    assert "специални условия" in letter

    # A back-pain MRI: refused for the husband by his special conditions, not for the mother.
    catalog = load_catalog(default_products_root())
    day = start + dt.timedelta(days=3)
    outcomes = {}
    for person in application.persons.filter(first_name__in=["Мария", "Петър"]):
        claim = Claim.objects.create(
            contract=contract,
            member=person.member,
            form="reimbursement",
            submitted=day + dt.timedelta(days=2),
            diagnosis="M54.5",
            documents=DOCS,
        )
        ClaimLine.objects.create(
            claim=claim,
            member=person.member,
            index=0,
            service="2.8.e",
            date=day,
            amount=Decimal("150.00"),
        )
        adjudicate_claim(claim.pk, catalog=catalog)
        claim.refresh_from_db()
        outcomes[person.first_name] = (
            claim.outcome,
            [r["code"] for r in claim.lines.get().reasons],
        )
    assert outcomes["Петър"][0] == "rejected"
    assert "special-condition-excluded" in outcomes["Петър"][1]
    assert outcomes["Мария"][0] != "rejected"
    assert "special-condition-excluded" not in outcomes["Мария"][1]
