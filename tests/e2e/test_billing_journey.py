"""Journey (issue 11, "Done when"): an instalment of Стоян Колев's contract is more than 15 days
overdue, and the daily run has opened a task on the billing desk (004 Чл.25 т.5); the billing
officer opens it, sends the notice and reads the letter's PDF — cover goes on. Then a contract
paid in advance is terminated by agreement: the refund (the unexpired premium minus the costs
built into it, 004 Чл.28 т.1, Чл.25 т.7) is shown before the decision, and the termination
letter opens as a PDF saying it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone
from django.utils.translation import trans_real
from playwright.sync_api import expect
from pypdf import PdfReader

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from zdrave.contracts.models import Contract, ContractStatus
from zdrave.engine.money import format_eur
from zdrave.policy_admin.billing.models import BillingTask, TaskStatus

CENT = Decimal("0.01")


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None


def pdf_text(page, href: str) -> str:
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def expected_refund(contract: Contract, on: dt.date) -> Decimal:
    days = (contract.end - contract.start).days + 1
    left = (contract.end - on).days + 1
    unexpired = (Decimal("720.00") * left / days).quantize(CENT, ROUND_HALF_UP)
    return unexpired - (unexpired * 20 / 100).quantize(CENT, ROUND_HALF_UP)


def test_overdue_notice_and_termination_by_agreement(page, live_server, demo):
    log_in(page, "billing")
    page.goto("/billing/")
    tasks = page.get_by_role("region", name="Просрочени вноски за решение (004 Чл.25 т.5)")
    expect(tasks).to_contain_text("Стоян Колев")
    tasks.get_by_role("link", name="ZH-DEMO-I002").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("просрочена с повече от 15 дни")
    page.get_by_role("button", name="Изпрати уведомлението").click()
    expect(page.get_by_text("Изпратено уведомление")).to_be_visible()
    task = BillingTask.objects.get(contract__number="ZH-DEMO-I002")
    assert task.status == TaskStatus.NOTICE_SENT
    letter = page.get_by_role("link", name="Писмото (PDF)").get_attribute("href")
    text = pdf_text(page, letter)
    assert "ZH-DEMO-I002" in text
    assert "Чл.25 т.5" in text
    # The notice ends nothing: the contract is still in force.
    assert Contract.objects.get(number="ZH-DEMO-I002").status == ContractStatus.IN_FORCE
    screenshot(page, "billing-notice-sent")

    page.goto("/billing/")
    page.get_by_label("Номер на договор").fill("ZH-DEMO-I003")
    page.get_by_role("button", name="Покажи премиите").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Договор ZH-DEMO-I003")
    today = timezone.localdate()
    page.get_by_label("Вид").select_option("mutual")
    page.get_by_label("Покритието спира на").fill(today.isoformat())
    page.get_by_role("button", name="Покажи сумата за връщане").click()
    contract = Contract.objects.get(number="ZH-DEMO-I003")
    refund = format_eur(expected_refund(contract, today))
    expect(page.locator("[data-refund]")).to_have_text(refund)
    screenshot(page, "billing-termination-preview")
    page.get_by_role("button", name="Прекрати договора").click()
    expect(page.get_by_role("heading", name="Прекратен", exact=False)).to_be_visible()
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on) == (ContractStatus.TERMINATED, today)
    letter = page.get_by_role("link", name="Писмото за прекратяване (PDF)").get_attribute("href")
    text = pdf_text(page, letter)
    assert refund.replace("\u202f", " ") in text.replace("\u202f", " ")
    assert "Чл.25 т.7" in text
