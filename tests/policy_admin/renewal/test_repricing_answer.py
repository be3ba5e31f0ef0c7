"""The policyholder's answer to a proposal of a higher premium (004 Чл.25 т.8): accepted, an
annex changes the premium from 00:00 of the next day (004 Чл.27 т.1–2) — the difference for the
rest of the term pro rata as one more instalment; refused, the insurer *may* terminate early
and refunds the premium paid for after the termination — an underwriter decides, with a letter,
or keeps the contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from policy_admin.renewal.conftest import group_contract
from zdrave.contracts.models import ContractStatus, TerminationReason
from zdrave.policy_admin.billing.actions import tasks
from zdrave.policy_admin.billing.models import BillingTask, TaskKind, TaskStatus, Termination
from zdrave.policy_admin.renewal import actions
from zdrave.policy_admin.renewal.models import AnswerKind, AnswerOutcome

TODAY = timezone.localdate


def proposed(employer, underwriter, *, end=None, premium="900.00"):
    contract = group_contract("G-7", user=employer, end=end or TODAY() + dt.timedelta(days=200))
    task = BillingTask.objects.create(
        kind=TaskKind.REPRICING, contract=contract, opened_on=TODAY(), loss_ratio=Decimal("120")
    )
    tasks.propose_repricing(task, actor=underwriter, premium=Decimal(premium))
    mail.outbox.clear()
    task.refresh_from_db()
    return contract, task


def test_004_chl25_t8_accepted_an_annex_raises_the_premium_from_tomorrow(employer, underwriter):
    contract, task = proposed(employer, underwriter)
    answer = actions.answer_repricing(task, actor=employer, answer=AnswerKind.ACCEPTED)
    again = actions.answer_repricing(task, actor=employer, answer=AnswerKind.ACCEPTED)
    assert again.pk == answer.pk
    tomorrow = TODAY() + dt.timedelta(days=1)
    term = (contract.end - contract.start).days + 1
    left = (contract.end - tomorrow).days + 1
    expected = (Decimal("300.00") * left / term).quantize(Decimal("0.01"))
    assert (answer.outcome, answer.effective, answer.extra) == (
        AnswerOutcome.ANNEXED,
        tomorrow,
        expected,
    )
    assert answer.instalment.due == tomorrow
    assert answer.instalment.amount == expected
    assert contract.instalments.count() == 5
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED
    [sent] = mail.outbox
    assert sent.to == ["hr@firm.bg"]
    assert sent.attachments[0][1].startswith(b"%PDF")


@pytest.mark.parametrize(
    ("days_left", "extra"),
    [
        # The annex takes effect at 00:00 of tomorrow; the last day of cover is the end.
        pytest.param(0, None, id="004-chl27-t2-ends-today-nothing-to-change"),
        pytest.param(1, "1", id="004-chl27-t2-ends-tomorrow-one-day-to-change"),
    ],
)
def test_004_chl25_t8_the_annex_needs_a_day_of_term_left(employer, underwriter, days_left, extra):
    contract, task = proposed(employer, underwriter, end=TODAY() + dt.timedelta(days=days_left))
    if extra is None:
        with pytest.raises(ValidationError, match="no term left"):
            actions.answer_repricing(task, actor=employer, answer=AnswerKind.ACCEPTED)
        assert contract.instalments.count() == 4
        return
    answer = actions.answer_repricing(task, actor=employer, answer=AnswerKind.ACCEPTED)
    term = (contract.end - contract.start).days + 1
    assert answer.extra == (Decimal("300.00") / term).quantize(Decimal("0.01"))


def test_004_chl25_t8_refused_waits_for_the_underwriter(employer, underwriter):
    contract, task = proposed(employer, underwriter)
    answer = actions.answer_repricing(task, actor=employer, answer=AnswerKind.REFUSED)
    assert answer.outcome == AnswerOutcome.WAITING
    task.refresh_from_db()
    contract.refresh_from_db()
    # A right, not an automatic effect: nothing happened to the contract.
    assert (task.status, contract.terminated_on) == (TaskStatus.PROPOSED, None)
    with pytest.raises(ValidationError, match="already answered"):
        actions.answer_repricing(task, actor=employer, answer=AnswerKind.ACCEPTED)


def test_004_chl25_t8_refused_the_underwriter_terminates_with_the_refund(employer, underwriter):
    contract, task = proposed(employer, underwriter)
    answer = actions.answer_repricing(task, actor=employer, answer=AnswerKind.REFUSED)
    with pytest.raises(PermissionDenied):
        actions.terminate_after_refusal(answer, actor=employer, effective_on=TODAY())
    on = TODAY() + dt.timedelta(days=1)
    done = actions.terminate_after_refusal(answer, actor=underwriter, effective_on=on, note="")
    assert done.outcome == AnswerOutcome.TERMINATED
    termination = Termination.objects.get(contract=contract)
    assert (termination.kind, termination.clause, termination.effective_on) == (
        TerminationReason.REPRICING_REFUSED,
        "004 Чл.25 т.8",
        on,
    )
    # Т.8: the premium paid for after the termination is returned, no costs kept.
    assert termination.costs_kept == Decimal("0.00")
    contract.refresh_from_db()
    assert contract.terminated_on == on
    assert contract.status == ContractStatus.IN_FORCE  # cover ends at 00:00 of tomorrow
    [sent] = mail.outbox
    assert sent.subject == "Договор G-7: прекратяване"  # the holder's language


def test_004_chl25_t8_refused_the_underwriter_may_keep_the_contract(employer, underwriter):
    contract, task = proposed(employer, underwriter)
    answer = actions.answer_repricing(task, actor=employer, answer=AnswerKind.REFUSED)
    with pytest.raises(ValidationError, match="say why"):
        actions.keep_contract(answer, actor=underwriter, note=" ")
    kept = actions.keep_contract(answer, actor=underwriter, note="Дългогодишен клиент.")
    assert kept.outcome == AnswerOutcome.KEPT
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED
    assert not Termination.objects.filter(contract=contract).exists()


def test_004_chl25_t8_only_the_holder_answers_a_sent_proposal(employer, underwriter, stranger):
    contract = group_contract("G-7", user=employer, end=TODAY() + dt.timedelta(days=200))
    task = BillingTask.objects.create(
        kind=TaskKind.REPRICING, contract=contract, opened_on=TODAY(), loss_ratio=Decimal("120")
    )
    with pytest.raises(ValidationError, match="no proposal"):
        actions.answer_repricing(task, actor=employer, answer=AnswerKind.ACCEPTED)
    tasks.propose_repricing(task, actor=underwriter, premium=Decimal("900.00"))
    for user in (stranger, underwriter):
        with pytest.raises(PermissionDenied):
            actions.answer_repricing(task, actor=user, answer=AnswerKind.ACCEPTED)
    with pytest.raises(ValidationError, match="accept or refuse"):
        actions.answer_repricing(task, actor=employer, answer="maybe")
    assert contract.instalments.count() == 4
