"""Unpaid Best Doctors premiums: the cover stops by itself 30 days after the due date (001
т.27.4 / 003 т.24 в)) — a task for billing staff and a letter, no decision —; every missed
premium paid within two months of the date premiums are paid until restores it (001 т.40 /
003 т.36); otherwise the contract ends by itself for good, nothing refunded, with a letter
(001 т.41 / 003 т.37)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from contracts.factories import make_person, make_user, person_holder
from zdrave.base.identity.models import Role
from zdrave.claims.abroad import contract_facts
from zdrave.contracts import actions
from zdrave.contracts.models import (
    Contract,
    ContractStatus,
    ContractType,
    MemberRole,
    TerminationReason,
)
from zdrave.engine.calendar import add_months
from zdrave.policy_admin.billing.actions.lapse import follow_best_doctors_premiums
from zdrave.policy_admin.billing.lapses import lapse_of
from zdrave.policy_admin.billing.models import BillingTask, TaskKind, TaskStatus, Termination

DAY = dt.timedelta(days=1)
NOTHING = {"lapsed": 0, "reinstated": 0, "ended": 0}


def best_doctors_contract(number="BD-300", *, years=1):
    """Started 200 days ago, premium in quarterly instalments of 300 EUR, the first paid."""
    user = make_user(f"u-{number}", email=f"{number.lower()}@example.bg")
    person = make_person("Петя", "Стоянова", dt.date(1979, 3, 8), female=True, user=user)
    start = timezone.localdate() - dt.timedelta(days=200)
    contract = actions.create_contract(
        actor=None,
        number=number,
        type=ContractType.INDIVIDUAL,
        holder=person_holder(person, user),
        product_code="best-doctors",
        start=start,
        end=add_months(start, 12 * years) - DAY,
    )
    actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
    actions.add_cover(contract, actor=None, product_code="best-doctors")
    dues = [add_months(start, 3 * i) for i in range(4 * years)]
    schedule = actions.schedule_premium(contract, [(d, Decimal("300.00")) for d in dues], by=None)
    actions.record_premium_payment(
        schedule[0], start - dt.timedelta(days=3), Decimal("300.00"), by=None
    )
    actions.put_in_force(contract, actor=None)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def contract(db):
    return best_doctors_contract()


def second(contract):
    return contract.instalments.order_by("due")[1]


@pytest.mark.parametrize(
    ("after_due", "lapsed"),
    [
        pytest.param(30, 0, id="001-t27.4-day-30-still-covered"),
        pytest.param(31, 1, id="001-t27.4-day-31-cover-stopped"),
    ],
)
def test_001_t27_4_cover_stops_by_itself_after_30_days_with_a_task_and_a_letter(
    contract, after_due, lapsed
):
    due = second(contract).due
    assert follow_best_doctors_premiums(due + dt.timedelta(days=after_due)) == {
        **NOTHING,
        "lapsed": lapsed,
    }
    contract.refresh_from_db()
    # The contract stays in force (reinstatement is possible); only the cover stopped.
    assert (contract.status, contract.terminated_on) == (ContractStatus.IN_FORCE, None)
    tasks = BillingTask.objects.filter(contract=contract, kind=TaskKind.LAPSE)
    assert tasks.count() == lapsed
    assert len(mail.outbox) == lapsed
    if lapsed:
        task = tasks.get()
        assert task.status == TaskStatus.NOTICE_SENT
        assert task.instalment == second(contract)
        assert mail.outbox[0].to == [contract.holder.users.get().email]
        letter = mail.outbox[0].attachments[0]
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter[1])).pages)
        assert "001 т.27.4" in text
        assert "001 т.41" in text


def test_the_sweep_twice_on_a_day_opens_one_task(contract):
    on = second(contract).due + dt.timedelta(days=31)
    follow_best_doctors_premiums(on)
    assert follow_best_doctors_premiums(on) == NOTHING
    assert BillingTask.objects.filter(contract=contract).count() == 1
    assert len(mail.outbox) == 1


def test_001_t40_all_missed_premiums_paid_on_the_last_day_reinstate(contract):
    instalment = second(contract)
    lapse = lapse_of(contract)
    assert lapse.last_day_to_pay == add_months(instalment.due - DAY, 2)
    follow_best_doctors_premiums(instalment.due + dt.timedelta(days=31))
    actions.record_premium_payment(instalment, lapse.last_day_to_pay, instalment.amount, by=None)
    assert follow_best_doctors_premiums(lapse.last_day_to_pay + DAY) == {
        **NOTHING,
        "reinstated": 1,
    }
    task = BillingTask.objects.get(contract=contract)
    assert task.status == TaskStatus.CLOSED
    assert "001 т.40" in task.note
    contract.refresh_from_db()
    assert contract.terminated_on is None
    # The claims engine reads the same reinstatement: cover back from 00:00 of the next day.
    assert contract_facts(contract).reinstated_on == lapse.last_day_to_pay


@pytest.mark.parametrize(
    ("after_last", "ended"),
    [
        pytest.param(0, 0, id="001-t41-last-day-to-pay-not-ended"),
        pytest.param(1, 1, id="001-t41-day-after-ended-for-good"),
    ],
)
def test_001_t41_not_reinstated_in_two_months_ends_by_itself(contract, after_last, ended):
    lapse = lapse_of(contract)
    follow_best_doctors_premiums(lapse.stops)
    done = follow_best_doctors_premiums(lapse.last_day_to_pay + after_last * DAY)
    assert done["ended"] == ended
    contract.refresh_from_db()
    if not ended:
        assert contract.terminated_on is None
        return
    assert contract.status == ContractStatus.TERMINATED
    assert contract.terminated_on == lapse.last_day_to_pay + DAY
    assert contract.termination_reason == TerminationReason.PREMIUM_OVERDUE
    termination = Termination.objects.get(contract=contract)
    assert (termination.refund, termination.premium_to_claim, termination.costs_kept) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert termination.clause == "001 т.41"
    assert termination.decided_by is None
    assert BillingTask.objects.get(contract=contract).status == TaskStatus.TERMINATED
    assert len(mail.outbox) == 2  # the lapse letter, then the termination letter
    letter = mail.outbox[1].attachments[0]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter[1])).pages)
    assert "001 т.41" in text
    assert "004" not in text


def test_001_t41_a_payment_after_the_two_months_does_not_reinstate(contract):
    instalment = second(contract)
    lapse = lapse_of(contract)
    late = lapse.last_day_to_pay + DAY
    actions.record_premium_payment(instalment, late, instalment.amount, by=None)
    assert follow_best_doctors_premiums(late)["ended"] == 1
    contract.refresh_from_db()
    assert contract.terminated_on == late


def test_003_t37_older_terms_end_the_contract_citing_003(db):
    # A contract sold under 003 (2015 terms, no longer on sale) and still in force.
    contract = best_doctors_contract("BD-301", years=5)
    Contract.objects.filter(pk=contract.pk).update(product_version=dt.date(2015, 10, 1))
    contract.refresh_from_db()
    lapse = lapse_of(contract)
    assert (lapse.lapse_clause, lapse.final_clause) == ("003 т.24 в)", "003 т.37")
    follow_best_doctors_premiums(lapse.last_day_to_pay + DAY)
    assert Termination.objects.get(contract=contract).clause == "003 т.37"


def test_004_contracts_are_not_touched_by_the_best_doctors_sweep(db):
    from policy_admin.billing.conftest import billed_contract

    health = billed_contract("H-301", paid=1)
    on = health.instalments.order_by("due")[1].due + dt.timedelta(days=120)
    assert follow_best_doctors_premiums(on) == NOTHING
    health.refresh_from_db()
    assert health.terminated_on is None


@pytest.mark.parametrize(
    ("role", "status"),
    [
        pytest.param(Role.BILLING, 200, id="billing"),
        pytest.param(Role.ADMINISTRATOR, 200, id="administrator"),
        pytest.param(Role.UNDERWRITER, 404, id="underwriter"),
    ],
)
def test_lapse_task_page_informs_and_offers_no_decision(client, contract, role, status):
    follow_best_doctors_premiums(lapse_of(contract).stops)
    task = BillingTask.objects.get()
    client.force_login(make_user(f"staff-{role}", role))
    page = client.get(reverse("billing:task", args=[task.pk]))
    assert page.status_code == status
    if status != 200:
        return
    assert b'value="terminate"' not in page.content
    assert client.get(reverse("billing:desk")).content.count(b"BD-300") >= 1
    letter = client.get(reverse("billing:task_letter", args=[task.pk]))
    assert letter["Content-Type"] == "application/pdf"
    # A refused POST changes nothing.
    assert (
        client.post(reverse("billing:task", args=[task.pk]), {"action": "wait"}).status_code == 404
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.NOTICE_SENT


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EMPLOYER, Role.CLAIMS_ADJUSTER])
def test_lapse_task_refused_to_other_roles(client, contract, role):
    follow_best_doctors_premiums(lapse_of(contract).stops)
    task = BillingTask.objects.get()
    client.force_login(make_user(f"other-{role}", role))
    assert client.get(reverse("billing:task", args=[task.pk])).status_code == 403
