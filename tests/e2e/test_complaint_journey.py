"""Journey (issue 14, "Done when"): on a 390 px phone Maria complains from the portal about her
rejected claim (the demo's second MRI of the year, refused by 002 II.8's count); the complaint
gets its incoming number and the answer's due date (004 sets none: one month, docs/decisions.md).
The complaints officer takes it from the queue and answers it within the deadline, upholding it
and reopening the claim (the claims workflow's "reopened", recorded on both). Maria sees the
answer and the reopened claim, and opens the answer letter's PDF."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from django.utils.translation import trans_real
from playwright.sync_api import expect
from pypdf import PdfReader

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from zdrave.claims.models import Claim, ClaimStatus
from zdrave.engine.calendar import add_months
from zdrave.member_rights.complaints.models import Complaint, ComplaintStatus

PHONE = {"width": 390, "height": 844}
TEXT = "Първият ЯМР беше на шията, вторият – на кръста: различни изследвания, не повторно."
REASONS = "Двете изследвания са на различни области: ограничението за брой не се прилага."


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None


def _context(browser, live_server, viewport):
    context = browser.new_context(base_url=live_server.url, locale="bg-BG", viewport=viewport)
    context.set_default_timeout(15_000)
    return context


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_member_complains_officer_answers_claim_reopened(browser, live_server, demo):
    claim = Claim.objects.get(idempotency_key="demo-claim-mri-again")
    assert claim.status == ClaimStatus.REJECTED

    # Maria files the complaint from her phone.
    phone = _context(browser, live_server, PHONE)
    page = phone.new_page()
    log_in(page, "maria")
    page.goto(f"/complaints/new/?about=claim:{claim.number}")
    expect(page.get_by_label("Коя претенция или договор?")).to_have_value(f"claim:{claim.number}")
    page.get_by_label("За какво се отнася?").select_option(label="Решение по претенция")
    page.get_by_label("Вашата жалба").fill(TEXT)
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Изпрати жалбата").click()
    complaint = Complaint.objects.get(claim=claim)
    today = timezone.localdate()
    assert complaint.due_on == add_months(today, 1)
    expect(page.get_by_text(f"Жалба {complaint.number} е регистрирана")).to_be_visible()
    expect(page.get_by_text(f"{complaint.due_on:%d.%m.%Y}").first).to_be_visible()
    _no_sideways_scroll(page)
    screenshot(page, "complaint-filed")
    phone.close()

    # The complaints officer answers from the queue, within the deadline, reopening the claim.
    desk = _context(browser, live_server, {"width": 1280, "height": 900})
    page = desk.new_page()
    log_in(page, "complaints")
    page.goto("/complaints/queue/")
    page.get_by_role("link", name=complaint.number).click()
    expect(page.get_by_text(TEXT)).to_be_visible()
    page.get_by_role("button", name="Поемам я").click()
    expect(page.get_by_text("В разглеждане").first).to_be_visible()
    page.get_by_label("Резултат от жалбата").select_option(label="Уважена")
    page.get_by_label("Мотиви").fill(REASONS)
    page.get_by_label("Претенцията да се разгледа отново").check()
    page.get_by_role("button", name="Изпрати отговора").click()
    expect(page.get_by_text("Отговорът е изпратен")).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED
    assert complaint.answered_on <= complaint.due_on
    screenshot(page, "complaint-answered")
    desk.close()

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REOPENED
    assert complaint.number in claim.events.get(kind="reopened").note

    # Maria sees the answer and the reopened claim, and opens the letter's PDF.
    phone = _context(browser, live_server, PHONE)
    page = phone.new_page()
    log_in(page, "maria")
    page.goto("/complaints/")
    page.get_by_role("link", name=complaint.number).click()
    expect(page.get_by_text("Уважена")).to_be_visible()
    expect(page.get_by_text(REASONS)).to_be_visible()
    _no_sideways_scroll(page)
    page.get_by_role("link", name=claim.number).click()
    expect(page.get_by_text("Отворена отново").first).to_be_visible()
    page.go_back()
    response = page.request.get(f"/complaints/{complaint.number}/letter.pdf")
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert f"Отговор на Вашата жалба {complaint.number}" in text
    assert REASONS in text
    assert f"Възобновихме претенция {claim.number}" in text
    assert "Комисията за финансов надзор" in text
    page.get_by_role("link", name="Прочетете писмото").click()
    expect(
        page.get_by_role("heading", name=f"Отговор на Вашата жалба {complaint.number}")
    ).to_be_visible()
    screenshot(page, "complaint-letter")
    phone.close()
