"""Journey (issue 11): the billing officer ends Петя Стоянова's Best Doctors contract (001) on
the policyholder's written application because the insurable interest fell away (001 т.27.2):
the page offers 001's own kinds, at 390 px; the recalculated premium's difference is shown
before the decision; the termination letter opens as a PDF citing the clause."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from django.utils.translation import trans_real
from playwright.sync_api import expect
from pypdf import PdfReader

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from zdrave.contracts.models import Contract, ContractStatus
from zdrave.engine.money import format_eur
from zdrave.policy_admin.billing.best_doctors import money
from zdrave.policy_admin.billing.models import Termination


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None


def test_best_doctors_termination_on_the_holders_application(page, live_server, demo):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "billing")
    page.goto("/billing/contracts/BD-DEMO-I001/")
    kinds = page.get_by_label("Вид")
    assert kinds.locator("option[value='bd-interest-lost']").count() == 1
    assert kinds.locator("option[value='mutual']").count() == 0
    today = timezone.localdate()
    applied = today - dt.timedelta(days=2)
    kinds.select_option("bd-interest-lost")
    page.get_by_label("Покритието спира на").fill(today.isoformat())
    page.get_by_label("Узнато / искането получено на").fill(applied.isoformat())
    page.get_by_role("button", name="Покажи сумата за връщане").click()
    contract = Contract.objects.get(number="BD-DEMO-I001")
    expected = money(contract, "bd-interest-lost", today)
    expect(page.locator("[data-refund]")).to_have_text(format_eur(expected.refund))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide at 390px"
    screenshot(page, "billing-best-doctors-termination-preview")
    page.get_by_role("button", name="Прекрати договора").click()
    expect(page.get_by_role("heading", name="Прекратен", exact=False)).to_be_visible()
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on) == (ContractStatus.TERMINATED, today)
    assert Termination.objects.get(contract=contract).requested_on == applied
    href = page.get_by_role("link", name="Писмото за прекратяване (PDF)").get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "001 т.27.2" in text
    assert applied.strftime("%d.%m.%Y") in text


def test_best_doctors_termination_starts_from_the_misrepresentation_task(page, live_server, demo):
    """Issue 11: the daily check found a ground (001 т.27.3: the medical expert's opinion on a
    claim of Петя's contract found a condition from before it); the billing officer opens the
    task from the desk, sees the clause and the last day, and decides on the termination page
    the task leads to, with the kind and the day learned already filled in."""
    from policy_admin.billing.test_best_doctors_grounds import claim_on, find_pre_existing
    from zdrave.policy_admin.billing.actions.grounds import follow_best_doctors_grounds
    from zdrave.policy_admin.billing.models import BillingTask, TaskKind, TaskStatus

    contract = Contract.objects.get(number="BD-DEMO-I001")
    today = timezone.localdate()
    learned = today - dt.timedelta(days=3)
    find_pre_existing(claim_on(contract), learned_on=learned)
    follow_best_doctors_grounds(today)
    task = BillingTask.objects.get(contract=contract, kind=TaskKind.BD_MISREPRESENTATION)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "billing")
    page.goto("/billing/")
    row = page.locator("[data-ground-task='bd-misrep']", has_text="BD-DEMO-I001")
    expect(row).to_contain_text("001 т.27.3")
    row.get_by_role("link", name="BD-DEMO-I001").click()
    expect(page.locator("[data-deadline]")).to_have_text(task.deadline.strftime("%d.%m.%Y"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the task page is {width}px wide at 390px"
    screenshot(page, "billing-best-doctors-ground-task")
    page.get_by_role("link", name="Решете на страницата за прекратяване").click()
    expect(page.get_by_label("Вид")).to_have_value("bd-misrepresentation")
    expect(page.get_by_label("Узнато / искането получено на")).to_have_value(learned.isoformat())
    page.get_by_label("Покритието спира на").fill(today.isoformat())
    page.get_by_role("button", name="Покажи сумата за връщане").click()
    # 001 т.27.3: the paid premium is kept, nothing returned.
    refund = money(contract, "bd-misrepresentation", today).refund
    expect(page.locator("[data-refund]")).to_have_text(format_eur(refund))
    page.get_by_role("button", name="Прекрати договора").click()
    expect(page.get_by_role("heading", name="Прекратен", exact=False)).to_be_visible()
    task.refresh_from_db()
    assert task.status == TaskStatus.TERMINATED
    done = Termination.objects.get(contract=contract)
    assert (done.kind, done.clause) == ("bd-misrepresentation", "001 т.27.3")
    href = page.get_by_role("link", name="Писмото за прекратяване (PDF)").get_attribute("href")
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(page.request.get(href).body())).pages
    )
    assert "001 т.27.3" in text
