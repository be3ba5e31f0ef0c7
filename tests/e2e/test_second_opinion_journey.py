"""Journey (000 а) стъпки 3–17): a member with Extra Care finds a specialist and asks for a second
opinion; the partner team forwards it; the member signs in with the e-mailed one-time link,
chats with the team, completes the four ordering steps with a real PDF and confirms the free
payment step; the team passes the case on, the specialist uploads the report and the member
downloads it."""

from __future__ import annotations

import io
import re
from email import message_from_bytes
from email import policy as email_policy

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from base.documents.files import pdf_bytes
from e2e.helpers import log_in, screenshot
from zdrave.base.documents.models import AccessOutcome, DocumentAccessLog
from zdrave.base.identity.models import User
from zdrave.base.outbox.models import OutboxMessage
from zdrave.member_services.second_opinion.models import CaseStatus, OpinionCase
from zdrave.member_services.specialists.models import Specialist

SPECIALIST = "Томас Келер"
REGISTRATION = "Extra Care – второ медицинско мнение чрез Diagnose.me"
REPORT_READY = "Extra Care – справката с второ медицинско мнение е готова (Diagnose.me)"


@pytest.fixture
def directory(demo, settings, tmp_path):
    """The demo with its specialist directory, mail kept in the real outbox, private files in a
    temporary folder, and the demo specialist's log-in linked to the profile the member picks."""
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    settings.EMAIL_HOST = ""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call_command("specialists", "load", stdout=io.StringIO())
    Specialist.objects.filter(partner_code="diagnose-me", name_bg=SPECIALIST).update(
        user=User.objects.get(username="specialist")
    )


@pytest.fixture
def pdfs(tmp_path):
    letter = tmp_path / "epikriza.pdf"
    letter.write_bytes(pdf_bytes(3))
    report = tmp_path / "vtoro-mnenie.pdf"
    report.write_bytes(pdf_bytes(2))
    return letter, report


def _switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def test_member_requests_orders_and_downloads_a_second_opinion(
    page, browser, live_server, directory, pdfs
):
    letter, report = pdfs

    # 000 а) стъпки 3–5: search, profile, the request form
    log_in(page, "maria")
    page.goto("/extra-care/specialists/?q=аритмия")
    page.get_by_role("link", name=SPECIALIST).first.click()
    page.get_by_role("link", name="Получете второ медицинско мнение").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Получете второ медицинско мнение")
    page.get_by_label("Налична медицинска документация").fill("Епикриза от март, холтер ЕКГ")
    page.get_by_role("button", name="Изпратете заявката").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Заявката е изпратена")

    # 000 а) стъпки 6–7: the team sees applicant, e-mail and documents, and forwards it
    _switch_user(page, "partner")
    page.goto("/extra-care/opinions/team/")
    row = page.get_by_role("row").filter(has_text="Мария Петрова")
    expect(row).to_contain_text("maria@demo.zdrave.example")
    expect(row).to_contain_text("Епикриза от март, холтер ЕКГ")
    row.get_by_role("link", name="Отворете").click()
    expect(page.get_by_label("Придвижи към")).to_have_value(
        str(Specialist.objects.get(name_bg=SPECIALIST).pk)
    )
    page.get_by_role("button", name="Придвижи към специалиста и изпрати имейл на клиента").click()
    expect(
        page.get_by_text("Случаят е отворен и на клиента е изпратен имейл с линк за вход.")
    ).to_be_visible()
    case = OpinionCase.objects.get()
    screenshot(page, "second-opinion-1-forwarded")

    # 000 а) стъпки 7–8: the e-mail from the partner with the one-time link. Staff see it masked
    # in the outbox (issue 8); the member's mailbox gets the MIME the SMTP server would deliver.
    [mail] = OutboxMessage.objects.filter(subject=REGISTRATION)
    assert mail.from_email == '"Diagnose.me" <team@diagnose.me>'
    assert mail.to == ["maria@demo.zdrave.example"]
    assert "/extra-care/opinions/sign-in/[hidden]/" in mail.body_text
    delivered = message_from_bytes(bytes(mail.raw_mime), policy=email_policy.default)
    body = delivered.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/extra-care/opinions/sign-in/\S+/", body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/extra-care/opinions/sign-in/$"))
    page.get_by_role("button", name="Продължи").click()
    # Maria has a password: the link leads her to log in with it, not into the account.
    page.get_by_label("Потребител").fill("maria")
    page.get_by_label("Парола").fill("demo12345")
    page.get_by_role("button", name="Вход").click()
    expect(page).to_have_url(re.compile(rf"/extra-care/opinions/cases/{case.pk}/$"))
    page.goto("/extra-care/opinions/account/")

    # 000 а) стъпка 9: the account page with contacts and the live chat
    expect(page.get_by_role("heading", level=1)).to_have_text("Моят профил в Extra Care")
    expect(page.get_by_role("link", name="team@diagnose.me")).to_be_visible()
    expect(page.get_by_role("link", name="Смяна на паролата")).to_be_visible()
    page.get_by_label("Съобщение").fill("Мога ли да пратя дисковете по пощата?")
    page.get_by_role("button", name="Изпрати", exact=True).click()
    expect(page.get_by_text("Мога ли да пратя дисковете по пощата?")).to_be_visible()
    team = browser.new_context(base_url=live_server.url, locale="bg-BG")
    team_page = team.new_page()
    log_in(team_page, "partner")
    team_page.goto(f"/extra-care/opinions/team/chat/{case.member_id}/")
    expect(team_page.get_by_text("Мога ли да пратя дисковете по пощата?")).to_be_visible()
    team_page.get_by_label("Съобщение").fill("Да, или изберете „Изпращам ги по пощата“.")
    team_page.get_by_role("button", name="Изпрати", exact=True).click()
    # The member's page shows the answer without a reload (htmx polls every 3 s).
    expect(page.get_by_text("Да, или изберете „Изпращам ги по пощата“.")).to_be_visible(
        timeout=10_000
    )
    screenshot(page, "second-opinion-2-account-chat")

    # 000 а) стъпки 10–11: exactly one open case; the green button starts the order
    page.get_by_role("link", name="Моите случаи").first.click()
    expect(page.get_by_role("link", name=case.number)).to_have_count(1)
    page.get_by_role("link", name=case.number).click()
    expect(page.get_by_text("Отворен: поръчката чака завършване").first).to_be_visible()
    page.get_by_role("link", name="Завършете поръчката").click()

    # 000 а) стъпка 12: the specialist, sex, age and the question
    expect(page.get_by_text("Това е специалистът, когото заявихте.")).to_be_visible()
    page.get_by_label("Жена").check()
    page.get_by_label("Възраст").fill("38")
    page.get_by_label("Вашият въпрос към специалиста").fill(
        "Нужна ли е аблация при пароксизмално мъждене?"
    )
    page.get_by_label("Език на въпроса").select_option("bg")
    page.get_by_role("button", name="Запази и продължи").click()

    # 000 а) стъпка 13: a real PDF upload; images go by post
    page.get_by_label("Файл").set_input_files(str(letter))
    page.get_by_role("button", name="Качване").click()
    expect(page.get_by_text("„epikriza.pdf“ е качен.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="epikriza.pdf")).to_contain_text(
        "3 страници"
    )
    page.get_by_label("Изпращам ги по пощата").check()
    page.get_by_role("button", name="Запази и продължи").click()

    # Back, and the saved answers are still there
    page.get_by_role("link", name="← Назад").click()
    expect(page.get_by_label("Изпращам ги по пощата")).to_be_checked()
    page.get_by_role("button", name="Запази и продължи").click()

    # 000 а) стъпка 14: review, translation allowance, the report's language
    expect(page.locator("#volume-all")).to_have_text("3 страници и 0 изображения")
    expect(
        page.get_by_text("Всичко, което изпращате, е в рамките на безплатния превод.")
    ).to_be_visible()
    expect(page.get_by_label("epikriza.pdf")).to_be_checked()
    page.get_by_label("английски").check()
    page.get_by_role("button", name="Запази и продължи").click()

    # 000 а) стъпка 15: confirm and accept the Terms of Use
    expect(
        page.get_by_role("heading", name="Условия за ползване (версия 2022-11-01)")
    ).to_be_visible()
    page.get_by_label("Прочетох и приемам Условията за ползване").check()
    page.get_by_role("button", name="Запази и продължи").click()

    # 000 а) стъпка 16: nothing to pay; confirm and send
    expect(page.get_by_text("0,00 €")).to_be_visible()
    page.get_by_role("button", name="Потвърдете и изпратете случая").click()
    expect(page.get_by_text("Изпратен на партньорския екип").first).to_be_visible()
    screenshot(page, "second-opinion-3-sent")
    case.refresh_from_db()
    assert (case.status, case.terms_version, case.amount_paid) == (
        CaseStatus.SUBMITTED,
        "2022-11-01",
        0,
    )

    # The team passes the case to the specialist
    team_page.goto(f"/extra-care/opinions/cases/{case.pk}/")
    team_page.get_by_role("button", name="Предай на специалиста").click()
    expect(team_page.get_by_text("Случаят вече е при специалиста.")).to_be_visible()
    team.close()

    # 000 а) стъпка 17: the specialist reads the question and uploads the report
    _switch_user(page, "specialist")
    page.goto("/extra-care/opinions/assigned/")
    page.get_by_role("link", name=case.number).click()
    expect(page.get_by_text("Нужна ли е аблация при пароксизмално мъждене?")).to_be_visible()
    page.get_by_label("Справка (PDF)").set_input_files(str(report))
    page.get_by_role("button", name="Качете справката").click()
    expect(page.get_by_text("Справката е качена и клиентът е уведомен по имейл.")).to_be_visible()

    # The member gets the e-mail with the link to the account and downloads the report
    [ready] = OutboxMessage.objects.filter(subject=REPORT_READY)
    case_url = re.search(r"https?://\S+/extra-care/opinions/cases/\d+/", ready.body_text).group(0)
    _switch_user(page, "maria")
    page.goto(case_url)
    expect(page.get_by_text("Справката е готова").first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Изтеглете справката").click()
    download = download_info.value
    assert download.suggested_filename == "vtoro-mnenie.pdf"
    assert open(download.path(), "rb").read(5) == b"%PDF-"  # noqa: PTH123, SIM115
    screenshot(page, "second-opinion-4-report")
    served = DocumentAccessLog.objects.filter(outcome=AccessOutcome.SERVED, user__username="maria")
    assert served.count() == 1
