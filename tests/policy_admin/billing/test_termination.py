"""Early termination as a person decides it (004 Чл.28, Чл.25 т.5, т.7–10): the refund or
amount due the clause settles, the letter, and after it the engine pays nothing for later
dates (004 Чл.27 т.2, Чл.29 т.9)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from claims.builders import line, submit
from policy_admin.billing.conftest import billed_contract
from zdrave.claims.models import ClaimStatus
from zdrave.contracts.models import ContractMember, ContractStatus
from zdrave.engine.calendar import add_months
from zdrave.policy_admin.billing.actions import tasks
from zdrave.policy_admin.billing.actions.termination import terminate
from zdrave.policy_admin.billing.models import BillingTask, TaskStatus, Termination

TODAY = timezone.localdate


def single(number="S-1", **kw):
    """365.00 EUR for 365 days, paid before the start: one euro a day."""
    return billed_contract(number, instalments=1, amount="365.00", **kw)


@pytest.mark.parametrize(
    ("kind", "refund", "kept", "clause"),
    [
        # 100 days gone (start 100 days ago), 265 days left of 365.00 paid.
        pytest.param("mutual", "212.00", "53.00", "004 Чл.25 т.7", id="004-chl28-t1-chl25-t7-agreement-minus-20pc-costs"),
        pytest.param("higher-risk", "265.00", "0.00", "004 Чл.28 т.4", id="004-chl28-t4-unexpired-part"),
        pytest.param("death", "0.00", "0.00", "004 Чл.25 т.10", id="004-chl25-t10-death-no-refund"),
        pytest.param("misrepresentation", "0.00", "0.00", "004 Чл.28 т.3", id="004-chl28-t3-insurer-keeps-premium"),
    ],
)  # fmt: skip
def test_refund_by_kind(billing_user, kind, refund, kept, clause):
    contract = single()
    # Learned of the misrepresentation a week ago; the proposal for the higher risk was
    # received three weeks ago and not accepted.
    since = TODAY() - dt.timedelta(days=7 if kind == "misrepresentation" else 21)
    done = terminate(contract, kind=kind, effective_on=TODAY(), actor=billing_user, since=since)
    assert (done.refund, done.costs_kept, done.clause) == (Decimal(refund), Decimal(kept), clause)
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on) == (ContractStatus.TERMINATED, TODAY())


def test_004_chl28_t5_notice_ends_at_the_end_of_the_insurance_period(billing_user):
    contract = single()
    done = terminate(contract, kind="notice", effective_on=None, actor=billing_user)
    assert done.effective_on == add_months(contract.start, 12)
    assert done.refund == Decimal("0.00")
    contract.refresh_from_db()
    # A one-year contract then runs to its end; it is not cut short.
    assert (contract.status, contract.terminated_on) == (ContractStatus.IN_FORCE, None)
    assert contract.in_force_on(contract.end)


def test_004_chl28_t5_notice_in_a_longer_contract_ends_the_current_year(billing_user):
    start = TODAY() - dt.timedelta(days=100)
    contract = billed_contract("L-1", instalments=1, amount="730.00", start=start)
    contract.end = add_months(start, 24) - dt.timedelta(days=1)
    contract.save(update_fields=["end"])
    done = terminate(contract, kind="notice", effective_on=None, actor=billing_user)
    assert done.effective_on == add_months(start, 12)
    contract.refresh_from_db()
    assert contract.terminated_on == add_months(start, 12)
    assert contract.in_force_on(TODAY())


def test_letter_says_the_refund_in_the_holders_language(holder_user, billing_user):
    contract = single(user=holder_user)
    terminate(contract, kind="mutual", effective_on=TODAY(), actor=billing_user)
    [sent] = mail.outbox
    [(name, content, _type)] = sent.attachments
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "212,00" in text
    assert "Чл.25 т.7" in text


def test_non_payment_only_from_its_task_and_claims_premium_carried(contract, billing_user):
    with pytest.raises(ValidationError):
        terminate(contract, kind="premium-overdue", effective_on=TODAY(), actor=billing_user)
    due = contract.instalments.order_by("due")[1].due
    tasks.open_arrears_tasks(due + dt.timedelta(days=16))
    task = BillingTask.objects.get()
    tasks.send_arrears_notice(task, actor=billing_user)
    done = terminate(
        contract, kind="premium-overdue", effective_on=TODAY(), actor=billing_user, task=task
    )
    carried = (TODAY() - due).days
    period = (contract.instalments.order_by("due")[2].due - due).days
    assert done.premium_to_claim == (Decimal("300.00") * carried / period).quantize(Decimal("0.01"))
    assert done.refund == Decimal("0.00")
    task.refresh_from_db()
    assert task.status == TaskStatus.TERMINATED


def test_same_decision_twice_is_recorded_once(billing_user):
    contract = single()
    first = terminate(contract, kind="mutual", effective_on=TODAY(), actor=billing_user)
    again = terminate(contract, kind="mutual", effective_on=TODAY(), actor=billing_user)
    assert first.pk == again.pk
    assert Termination.objects.count() == 1
    with pytest.raises(ValidationError):
        terminate(contract, kind="death", effective_on=TODAY(), actor=billing_user)


@pytest.mark.parametrize(
    ("days_ago", "status"),
    [
        pytest.param(5, ClaimStatus.PAYMENT_SCHEDULED, id="004-chl27-t2-before-termination-paid"),
        pytest.param(2, ClaimStatus.REJECTED, id="004-chl29-t9-from-00-00-of-termination-nothing"),
    ],
)
def test_after_termination_the_engine_pays_nothing_for_later_dates(
    holder_user, billing_user, days_ago, status
):
    contract = single(user=holder_user)
    terminate(
        contract, kind="mutual", effective_on=TODAY() - dt.timedelta(days=2), actor=billing_user
    )
    member = ContractMember.objects.get(contract=contract)
    claim = submit(member, holder_user, lines=[line(days_ago=days_ago)])
    assert claim.status == status


def test_best_doctors_contract_is_not_terminated_by_004_rules(billing_user):
    # Its own kinds (001 т.27, 003 т.24): test_best_doctors_termination.py.
    from policy_admin.billing.test_best_doctors_termination import yearly

    contract = yearly("BD-1")
    with pytest.raises(ValidationError) as refused:
        terminate(contract, kind="mutual", effective_on=TODAY(), actor=billing_user)
    assert "kind" in refused.value.message_dict
    assert Termination.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "days_ago", "allowed"),
    [
        pytest.param("misrepresentation", 20, True, id="004-chl28-t3-within-the-month"),
        pytest.param("misrepresentation", 62, False, id="004-chl28-t3-month-passed"),
        pytest.param("higher-risk", 14, False, id="004-chl28-t4-two-weeks-not-over"),
        pytest.param("higher-risk", 15, True, id="004-chl28-t4-after-two-weeks"),
    ],
)
def test_the_insurers_right_in_time(billing_user, kind, days_ago, allowed):
    contract = single()
    since = TODAY() - dt.timedelta(days=days_ago)
    if allowed:
        terminate(contract, kind=kind, effective_on=TODAY(), actor=billing_user, since=since)
    else:
        with pytest.raises(ValidationError) as refused:
            terminate(contract, kind=kind, effective_on=TODAY(), actor=billing_user, since=since)
        assert list(refused.value.message_dict) == ["since"]
    assert Termination.objects.count() == (1 if allowed else 0)
