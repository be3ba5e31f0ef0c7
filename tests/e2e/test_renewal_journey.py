"""Journey (issue 11, renewal): maria's renewal offer is on "Offers for my contracts"; she reads
it (the premium by the tariff at the new start), accepts it, and the next contract continues
hers (``Contract.previous``): once its first instalment is paid in time, the engine applies no
new waiting period (001 т.25 / 003 т.23; 004 Чл.19). Then the answer to a higher premium (004
Чл.25 т.8): the employer accepts the proposal for its group — the annex raises the premium from
tomorrow — and the underwriter decides on the refusal of Бета Логистик by terminating, with the
letter and the refund."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import trans_real
from playwright.sync_api import expect

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from zdrave.claims.fetch import case_for
from zdrave.claims.models import Claim
from zdrave.contracts import actions as contracts
from zdrave.contracts.models import Contract
from zdrave.engine.money import format_eur
from zdrave.policy_admin.billing.actions.tasks import propose_repricing
from zdrave.policy_admin.billing.models import BillingTask, TaskKind, Termination
from zdrave.policy_admin.renewal.models import OfferStatus, PremiumAnswer, RenewalOffer

PHONE = 390


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None


def fits_a_phone(page) -> None:
    page.set_viewport_size({"width": PHONE, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.set_viewport_size({"width": 1280, "height": 900})


def test_renewal_offer_accepted_continues_cover(page, live_server, demo):
    offer = RenewalOffer.objects.get(contract__number="ZH-DEMO-I001")
    log_in(page, "maria")
    page.goto("/renewal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Оферти по моите договори")
    page.get_by_role("link", name="Договор ZH-DEMO-I001", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Подновяване на договор ZH-DEMO-I001")
    expect(page.locator("[data-premium]")).to_have_text(format_eur(offer.premium))
    fits_a_phone(page)
    screenshot(page, "renewal-offer")
    page.get_by_role("button", name="Приемам подновяването").click()
    expect(page.locator("[data-new-contract]")).to_be_visible()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    new = offer.new_contract
    expect(page.locator("[data-new-contract]")).to_contain_text(new.number)
    assert (new.previous.number, new.start) == (
        "ZH-DEMO-I001",
        offer.contract.end + dt.timedelta(days=1),
    )
    # The first instalment paid before the new start: cover continues, no new waiting period.
    first = new.instalments.order_by("due").first()
    contracts.record_premium_payment(first, timezone.localdate(), first.amount, by=None)
    member = new.members.select_related("person", "contract").first()
    facts = case_for(Claim(member=member, contract=new))
    assert facts.contract.renewal_of_previous is True
    screenshot(page, "renewal-accepted")


def test_higher_premium_accepted_by_annex_and_refusal_terminated(page, live_server, demo):
    # The underwriter proposed a higher premium to the demo employer's group (004 Чл.25 т.8).
    group = Contract.objects.get(number="ZH-DEMO-G001")
    task = BillingTask.objects.create(
        kind=TaskKind.REPRICING,
        contract=group,
        opened_on=timezone.localdate(),
        loss_ratio=Decimal("104"),
    )
    current = sum((i.amount for i in group.instalments.all()), start=Decimal(0))
    propose_repricing(task, actor=None, premium=current + Decimal("1200.00"))
    log_in(page, "employer")
    page.goto("/renewal/")
    page.get_by_role("link", name="Договор ZH-DEMO-G001").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ZH-DEMO-G001")
    fits_a_phone(page)
    page.get_by_role("button", name="Приемам новата премия").click()
    expect(page.locator("[data-answer]")).to_contain_text("анекс", ignore_case=True)
    answer = PremiumAnswer.objects.get(task=task)
    assert answer.effective == timezone.localdate() + dt.timedelta(days=1)
    assert answer.instalment.amount == answer.extra > 0
    annex = page.get_by_role("link", name="Анексът (PDF)").get_attribute("href")
    assert page.request.get(annex).headers["content-type"] == "application/pdf"
    screenshot(page, "renewal-premium-accepted")

    page.context.clear_cookies()
    log_in(page, "underwriter")
    page.goto("/renewal/desk/")
    page.get_by_role("link", name="Договор ZH-DEMO-G002", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ZH-DEMO-G002")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("Покритието спира в 00:00 ч. на").fill(tomorrow.isoformat())
    page.get_by_role("button", name="Прекрати, с писмо").click()
    expect(page.locator("[data-outcome]")).to_have_text("Договорът е прекратен")
    termination = Termination.objects.get(contract__number="ZH-DEMO-G002")
    assert (termination.kind, termination.clause, termination.effective_on) == (
        "repricing-refused",
        "004 Чл.25 т.8",
        tomorrow,
    )
    screenshot(page, "renewal-refusal-terminated")
