"""Journey (issue 11): the holder of a family contract made a week ago adds a child online and
answers "yes" to a question the terms refer (004 Чл.9). No annex yet: the request waits on the
family page and in the underwriter's queue. The underwriter accepts the child on special
conditions — an excluded diagnosis (004 Чл.10) — and the annex adds the child from 00:00 of the
next day (004 Чл.27 т.2). The holder sees the child on the contract with the condition, and the
e-mail with the letter is in the outbox."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import trans_real
from playwright.sync_api import expect

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from zdrave.base.outbox.models import OutboxMessage
from zdrave.contracts import actions as contract_actions
from zdrave.contracts.identifiers import make_egn
from zdrave.contracts.models import Contract, ContractMember, ContractType, MemberRole
from zdrave.engine.calendar import add_months
from zdrave.policy_admin.groups.models import FamilyRequest

NUMBER = "ZH-E2E-F002"
PHONE = {"width": 390, "height": 844}
CHILD = make_egn(dt.date(2017, 8, 9), 733, female=False)


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None


def new_family_contract() -> Contract:
    """Ivan's second family contract, made a week ago: within 004 Чл.27 т.2's month."""
    demo = Contract.objects.get(number="ZH-DEMO-F001")
    ivan = demo.members.get(role=MemberRole.HOLDER).person
    start = timezone.localdate() - dt.timedelta(days=7)
    contract = contract_actions.create_contract(
        actor=None,
        number=NUMBER,
        type=ContractType.FAMILY,
        holder=demo.holder,
        product_code="health",
        start=start,
        end=add_months(start, 12) - dt.timedelta(days=1),
    )
    contract_actions.add_member(contract, ivan, MemberRole.HOLDER, actor=None)
    contract_actions.add_cover(
        contract, actor=None, product_code="health", package=2, option="full", clause="Б1"
    )
    contract_actions.schedule_premium(contract, [(start, Decimal("480.00"))], by=None)
    contract_actions.put_in_force(contract, actor=None)
    return contract


def test_child_referred_then_accepted_on_special_conditions(demo, page, live_server, settings):
    # The real outbox, as in production (pytest-django swaps in the in-memory backend).
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    contract = new_family_contract()
    page.set_viewport_size(PHONE)

    # 1. The holder adds the child and answers "yes" to a referred question.
    log_in(page, "ivan")
    page.goto(f"/groups/family/{NUMBER}/")
    page.get_by_role("link", name="Включване на член на семейството").click()
    page.get_by_label("ЕГН").fill(CHILD)
    page.get_by_label("Собствено име").fill("Божидар")
    page.get_by_label("Фамилно име").fill("Димитров")
    page.get_by_label("Роля").select_option("child")
    for group in page.get_by_role("radiogroup").all():
        group.get_by_label("Не").check()
    page.get_by_role("radiogroup", name="Хронични заболявания").get_by_label("Да").check()
    page.get_by_role("button", name="Съставяне на анекс").click()
    expect(page.get_by_role("heading", name="При застрахователя за оценка")).to_be_visible()
    expect(page.get_by_role("link", name="Божидар Димитров")).to_be_visible()
    screenshot(page, "family-referral-waiting")
    request = FamilyRequest.objects.get(contract=contract)
    assert not ContractMember.objects.filter(contract=contract, role=MemberRole.CHILD).exists()

    # 2. The underwriter finds it in the queue and accepts on special conditions.
    page.context.clear_cookies()
    log_in(page, "underwriter")
    page.goto("/sales/underwriting/")
    page.get_by_role("link", name="Божидар Димитров").click()
    expect(page.get_by_role("heading", name="Божидар Димитров")).to_be_visible()
    expect(page.get_by_text("Хронични заболявания (004 Чл.9)")).to_be_visible()
    page.get_by_label("Приемане при специални условия").check()
    page.get_by_label("Изключени диагнози (МКБ-10, разделени със запетая)").fill("E10")
    page.get_by_role("button", name="Записване на решението").click()
    expect(page.get_by_role("link", name="Божидар Димитров")).to_have_count(0)
    request.refresh_from_db()
    assert request.annex is not None
    assert request.annex.effective == timezone.localdate() + dt.timedelta(days=1)

    # 3. The holder sees the child on the contract with the condition, and the letter.
    page.context.clear_cookies()
    log_in(page, "ivan")
    page.goto(f"/groups/family/{NUMBER}/")
    people = page.get_by_role("region", name="Застраховани лица")
    expect(people).to_contain_text("Божидар Димитров")
    expect(people).to_contain_text("E10")
    expect(page.get_by_role("link", name=request.annex.number).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "family-referral-accepted")
    member = ContractMember.objects.get(contract=contract, role=MemberRole.CHILD)
    assert member.special_conditions.excluded_icd10 == ["E10"]
    sent = [m for m in OutboxMessage.objects.all() if NUMBER in m.subject]
    assert len(sent) == 1, [(m.subject, m.to) for m in OutboxMessage.objects.all()[:5]]
    assert sent[0].to == ["ivan@demo.zdrave.example"]
