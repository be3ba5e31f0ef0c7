"""Journey (issue 14, "Done when"): an adjuster opens a document of Maria's claim; Maria, on a
390 px phone, downloads her data archive (the ZIP holds the claim and that document), sees in
"who opened my medical documents" that a claims adjuster opened it, and withdraws her marketing
consent (004 Чл.33) — after which a survey e-mail to her is not sent."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.utils.translation import trans_real
from playwright.sync_api import expect

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from zdrave.base.outbox.mail import send_templated
from zdrave.base.outbox.models import OutboxMessage
from zdrave.claims.models import Claim
from zdrave.member_rights.privacy.consent import has_marketing_consent

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None
    trans_real.translation_catalog_exists.cache_clear()


@pytest.fixture
def desk(request, transactional_db, settings, tmp_path):
    """The demo (claims and consent history included), uploads in a temporary folder, mail in
    the real outbox, background tasks at once."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    settings.EMAIL_HOST = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    request.getfixturevalue("demo")


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="bg-BG", viewport=PHONE, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)
    expect(page.get_by_role("button", name="Вход")).to_have_count(0)


def test_member_downloads_her_data_sees_who_opened_it_and_withdraws_consent(desk, phone):
    page = phone
    claim = Claim.objects.get(idempotency_key="demo-claim-mri")
    document = claim.files.select_related("file").first().file

    # -- 1. An adjuster opens a document of Maria's claim ----------------------------------
    _switch_user(page, "adjuster")
    page.goto(f"/claims/queue/{claim.number}/")
    with page.expect_download():
        page.get_by_role("link", name=document.original_name).first.click()

    # -- 2. Maria downloads her data archive -----------------------------------------------
    _switch_user(page, "maria")
    page.get_by_role("navigation", name="Основна навигация").get_by_role(
        "link", name="Моите данни", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Моите данни", level=1)).to_be_visible()
    _fits(page)
    screenshot(page, "personal-data-my-data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Изтегляне на данните ми (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    claims = json.loads(archive.read("claims.json"))
    assert claim.number in [c["number"] for c in claims]
    ours = next(c for c in claims if c["number"] == claim.number)
    path = next(d["file"] for d in ours["documents"] if str(document.public_id) in d["file"])
    assert path in archive.namelist()
    assert archive.read(path)
    assert any(
        n.startswith("documents/") and str(document.public_id) in n for n in archive.namelist()
    )

    # -- 3. ... and sees that a claims adjuster opened her document ------------------------
    page.get_by_role("link", name="Вижте списъка").click()
    access_list = page.locator(".access-list")
    expect(access_list).to_contain_text(
        f"Ликвидатор на щети · Медицински документ: {document.original_name}"
    )
    expect(access_list).not_to_contain_text("Колева")
    _fits(page)
    screenshot(page, "personal-data-accesses")

    # -- 4. Maria withdraws her marketing consent; no survey goes to her after it ----------
    page.get_by_role("link", name="Обратно към „Моите данни“").click()
    expect(page.get_by_text("Съгласни сте.")).to_be_visible()
    page.get_by_role("button", name="Оттегляне на съгласието ми").click()
    expect(page.get_by_text("Съгласието Ви е оттеглено")).to_be_visible()
    expect(page.locator(".consent-history li").first).to_contain_text("оттеглено · На портала")
    _fits(page)

    maria = claim.member.person.user
    assert not has_marketing_consent(maria)
    before = OutboxMessage.objects.count()
    assert (
        send_templated(maria, "Анкета", "privacy/email/survey", marketing=True, health_data=False)
        is None
    )
    assert OutboxMessage.objects.count() == before
