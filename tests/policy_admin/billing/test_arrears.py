"""004 Чл.25 т.5: an instalment unpaid more than 15 days after its due date opens a task for
billing staff — on the 16th day, not the 15th — and cover goes on; the notice goes out as a
letter by e-mail; the person decides to wait or to terminate."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from zdrave.contracts.models import ContractStatus
from zdrave.policy_admin.billing.actions import tasks
from zdrave.policy_admin.billing.actions.payments import record_payment
from zdrave.policy_admin.billing.models import BillingTask, TaskStatus
from zdrave.policy_admin.billing.tasks import next_run, run_daily


def second_due(contract) -> dt.date:
    return contract.instalments.order_by("due")[1].due


@pytest.mark.parametrize(
    ("days", "opened"),
    [
        pytest.param(15, 0, id="004-chl25-t5-day-15-no-task"),
        pytest.param(16, 1, id="004-chl25-t5-day-16-task"),
    ],
)
def test_004_chl25_t5_task_opens_only_after_15_days(contract, days, opened):
    on = second_due(contract) + dt.timedelta(days=days)
    assert tasks.open_arrears_tasks(on) == opened
    contract.refresh_from_db()
    # Cover does not end by itself.
    assert (contract.status, contract.terminated_on) == (ContractStatus.IN_FORCE, None)


def test_the_daily_run_opens_each_task_once(contract):
    on = second_due(contract) + dt.timedelta(days=20)
    nothing_abroad = {"lapsed": 0, "reinstated": 0, "ended": 0}
    # Best Doctors grounds (001 т.27.3–27.4 / 003 т.24 б)–в)): none on a 004 contract.
    nothing_abroad |= {"bd_unpaid": 0, "bd_misrepresentation": 0, "bd_grounds_closed": 0}
    assert run_daily(on) == {"arrears": 1, "repricing": 0, **nothing_abroad}
    assert run_daily(on) == {"arrears": 0, "repricing": 0, **nothing_abroad}
    out = io.StringIO()
    call_command("billing_daily", "--on", on.isoformat(), "--no-schedule", stdout=out)
    assert "0 arrears task(s)" in out.getvalue()


def test_daily_run_is_at_six_in_the_morning_sofia_time():
    run = timezone.localtime(next_run())
    assert (run.hour, run.minute) == (6, 0)
    assert run > timezone.now()


def test_notice_is_a_letter_by_email_and_sent_once(contract, billing_user):
    tasks.open_arrears_tasks(second_due(contract) + dt.timedelta(days=16))
    task = BillingTask.objects.get()
    tasks.send_arrears_notice(task, actor=billing_user)
    tasks.send_arrears_notice(task, actor=billing_user)
    task.refresh_from_db()
    assert task.status == TaskStatus.NOTICE_SENT
    [sent] = mail.outbox
    assert sent.to == ["mila@example.bg"]
    [(name, content, _type)] = sent.attachments
    assert name == "H-200-arrears.pdf"
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "H-200" in text
    assert "Чл.25 т.5" in text


def test_waiting_needs_a_reason_and_paying_closes_the_task(contract, billing_user):
    tasks.open_arrears_tasks(second_due(contract) + dt.timedelta(days=16))
    task = BillingTask.objects.get()
    with pytest.raises(ValidationError) as refused:
        tasks.decide_to_wait(task, actor=billing_user, note=" ")
    assert list(refused.value.message_dict) == ["note"]
    tasks.decide_to_wait(task, actor=billing_user, note="Обеща плащане до петък.")
    record_payment(
        contract, amount=Decimal("300.00"), received_on=timezone.localdate(), actor=billing_user
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED


def test_the_command_queues_one_daily_run_for_the_worker(db, settings):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for _ in range(2):
        call_command("billing_daily", stdout=io.StringIO())
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path__endswith="billing_daily"
    )
    assert waiting.count() == 1
    assert timezone.localtime(waiting.get().run_after).hour == 6
