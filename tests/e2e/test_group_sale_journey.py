"""Journey (issue 11, group contracts sold online): an employer quotes its group from a census
file (the tariff's group band, 004 Чл.24 т.2), applies; a group of ten needs a declaration from
every person (004 Чл.23 т.1 — over 20 it would not, т.3), each employee gets a link by e-mail;
one declares a chronic disease in the browser and is referred (Чл.10); the underwriter accepts
her and issues the contract; billing records the first instalment (cover from 00:00 of the
start, Чл.24 т.3, Чл.25 т.3); the employer signs in with the e-mailed link, sees its census,
uploads a change with one bad ЕГН, fixes it and applies it as one annex."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils.translation import trans_real
from playwright.sync_api import expect

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from policy_admin.groupsales.helpers import census_csv
from policy_admin.sales.helpers import NO
from zdrave.contracts.identifiers import make_egn
from zdrave.policy_admin.groups.models import Annex
from zdrave.policy_admin.groupsales import actions
from zdrave.policy_admin.sales.models import Application

PHONE = {"width": 390, "height": 844}
EIK = "121000061"


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None


def as_user(browser, live_server, username, password="demo12345"):  # noqa: S107 - demo log-in
    context = browser.new_context(base_url=live_server.url, locale="bg-BG", viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, username, password)
    return page


def _path(body: str, pattern: str) -> str:
    return re.search(pattern, body).group(0)


def test_an_employer_buys_a_group_contract_online(browser, live_server, demo, page):
    page.set_viewport_size(PHONE)
    # 1. The quote: the census file priced with the group band.
    page.goto("/sales/group/")
    page.get_by_label("Начин на плащане").select_option("4")
    page.get_by_label("Поименен списък (CSV или XLSX)").set_input_files(
        {"name": "служители.csv", "mimeType": "text/csv", "buffer": census_csv(10)}
    )
    page.get_by_role("button", name="Изчисляване на груповата премия").click()
    expect(page.get_by_test_id("group-count")).to_have_text("10")
    expect(page.get_by_text("5 %")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "group-sale-quote")

    # 2. The application: a bad ЕИК is refused naming the field, then the right one.
    page.get_by_label("Име на фирмата").fill("Фирма ООД")
    page.get_by_label("ЕИК").fill("121000062")
    page.get_by_label("Лице за контакт").fill("Мария Петрова")
    page.get_by_label("Имейл").fill("hr@firma.bg")
    page.get_by_role("button", name="Подаване на предложението").click()
    expect(page.get_by_text("ЕИК на фирмата")).to_be_visible()
    assert not Application.objects.filter(group_sale__eik=EIK).exists()
    page.get_by_label("ЕИК").fill(EIK)
    page.get_by_role("button", name="Подаване на предложението").click()
    expect(page.get_by_test_id("group-reference")).to_contain_text("Фирма ООД")
    application = Application.objects.get(group_sale__eik=EIK)

    # 3. Nine employees sign their declarations (through their links) with every answer "no".
    links = [m for m in mail.outbox if "/sales/group/sign-in/" in m.body and "@firma.bg" in m.to[0]]
    assert len(links) == 10
    for message in links[1:]:
        token = _path(message.body, r"/sales/group/sign-in/[^/\s]+/").split("/")[-2]
        link = actions.link_for(token)
        for person in link.persons.all():
            actions.sign_declaration(
                link, person, answers=NO, signed_by="self", signer_name="С", sign=True
            )

    # 4. The first employee opens her link and declares a chronic disease: referred (Чл.10).
    employee = browser.new_context(base_url=live_server.url, locale="bg-BG", viewport=PHONE)
    declarer = employee.new_page()
    declarer.goto(_path(links[0].body, r"/sales/group/sign-in/[^/\s]+/"))
    declarer.get_by_role("link", name="Попълване").click()
    for radio in declarer.get_by_role("radio", name="Не").all():
        radio.check()
    declarer.get_by_role("group", name="Хронични заболявания").get_by_label("Да").check()
    declarer.get_by_label("Име на попълващия").fill("Служител0 Иванов")
    declarer.get_by_role("button", name="Подписване на декларацията").click()
    expect(declarer.get_by_text("Декларацията е подписана.")).to_be_visible()
    employee.close()

    # 5. The underwriter accepts her, then issues the group contract.
    underwriter = as_user(browser, live_server, "underwriter")
    underwriter.goto("/sales/underwriting/")
    underwriter.get_by_role("link", name="Служител0 Иванов").click()
    underwriter.get_by_label("Приемане", exact=True).check()
    underwriter.get_by_role("button", name="Записване на решението").click()
    underwriter.goto(f"/sales/group/all/{application.reference}/")
    underwriter.get_by_role("button", name="Издаване на груповия договор").click()
    expect(underwriter.get_by_text("Груповият договор е издаден")).to_be_visible()
    application.refresh_from_db()
    contract = application.contract
    assert contract.members.count() == 10

    # 6. Billing records the first instalment: cover from 00:00 of the start.
    billing = as_user(browser, live_server, "billing")
    billing.goto(f"/sales/{application.reference}/")
    billing.get_by_role("button", name="Въвеждане на плащането").click()
    expect(billing.get_by_text("Плащането е въведено.")).to_be_visible()
    expect(billing.get_by_test_id("cover-begins")).to_contain_text(
        contract.start.strftime("%d.%m.%Y")
    )

    # 7. The employer chooses its password with the e-mailed link and sees its group.
    issued = [m for m in mail.outbox if m.to == ["hr@firma.bg"]][-1]
    assert issued.attachments[0][0] == f"{contract.number}.pdf"
    username = re.search(r"(employer-[0-9a-f-]+)", issued.body).group(1)
    page.goto(_path(issued.body, r"/accounts/password/reset/[^/\s]+/[^/\s]+/"))
    page.locator("#id_new_password1").fill("Фирмата-парола-2026")
    page.locator("#id_new_password2").fill("Фирмата-парола-2026")
    page.get_by_role("button", name="Запази паролата").click()
    log_in(page, username, "Фирмата-парола-2026")
    page.get_by_role("link", name="Моята група").first.click()
    expect(page.get_by_role("heading", name=f"Групов договор {contract.number}")).to_be_visible()
    expect(page.get_by_text("Служител0").first).to_be_visible()

    # 8. A census change with one bad ЕГН: refused; fixed: one annex.
    new = make_egn(dt.date(1992, 3, 3), 400, female=True)
    typo = new[:-1] + str((int(new[-1]) + 1) % 10)
    with page.expect_download() as download:
        page.get_by_role("link", name="Изтегляне на списъка (CSV)").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115

    def upload(egn):
        page.get_by_role("link", name="Качване на списък").click()
        page.get_by_label("В сила от").fill(contract.start.isoformat())
        body = text + f"{egn};Нова;;Служителка;Служител;1, 2;Пълна;Б1\r\n"
        page.get_by_label("Файл със списък").set_input_files(
            {"name": "служители.csv", "mimeType": "text/csv", "buffer": body.encode("cp1251")}
        )
        page.get_by_role("button", name="Преглед на промените").click()

    upload(typo)
    expect(page.get_by_role("alert")).to_contain_text("1 ред има грешки")
    expect(page.get_by_role("button", name="Прилагане като анекс")).to_have_count(0)
    page.get_by_role("link", name=f"← {contract.number}").click()
    upload(new)
    expect(page.get_by_text("1 включено лице")).to_be_visible()
    page.get_by_role("button", name="Прилагане като анекс").click()
    annex = Annex.objects.filter(contract=contract).latest("id")
    expect(page.get_by_role("heading", name=f"Анекс {annex.number}")).to_be_visible()
    screenshot(page, "group-sale-annex")
    assert contract.members.count() == 11
