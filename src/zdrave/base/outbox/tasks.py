"""Background tasks of the outbox, run by the database worker (``zdrave db_worker``).

``deliver_message`` sends one message and, when the SMTP server is unreachable, schedules its own
retry with back-off. ``retry_due_messages`` is the safety net that makes a restart lose nothing:
it re-enqueues every queued message that is due but has no delivery task waiting (a crash between
the business commit and the enqueue, a wiped task table) and schedules itself again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zdrave.base.outbox import delivery
from zdrave.base.outbox.models import MessageStatus, OutboxMessage

logger = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(minutes=5)


@task()
def deliver_message(message_id: int) -> str:
    outcome = delivery.deliver(message_id)
    if outcome.retry_at is not None:
        deliver_message.using(run_after=outcome.retry_at).enqueue(message_id)
    return str(outcome.status)


@task()
def retry_due_messages() -> dict[str, int]:
    counts = sweep()
    schedule_sweep(after=SWEEP_EVERY)
    return counts


def enqueue_delivery(message_id: int) -> None:
    deliver_message.enqueue(message_id)


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Re-enqueue due messages that have no delivery task waiting; fail interrupted ones."""
    now = now or timezone.now()
    interrupted = delivery.fail_interrupted(now=now)
    waiting = _messages_with_waiting_task()
    due = OutboxMessage.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
    enqueued = 0
    for message_id in due.values_list("pk", flat=True).iterator():
        if message_id not in waiting:
            enqueue_delivery(message_id)
            enqueued += 1
    if enqueued or interrupted:
        logger.info("outbox sweep: %s re-enqueued, %s interrupted", enqueued, interrupted)
    return {"enqueued": enqueued, "interrupted": interrupted}


def schedule_sweep(*, after: timedelta = SWEEP_EVERY) -> bool:
    """Make sure one sweep is waiting in the queue; returns False when one already was."""
    if _waiting(retry_due_messages).exists():
        return False
    retry_due_messages.using(run_after=timezone.now() + after).enqueue()
    return True


def _waiting(task_obj):
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=task_obj.module_path
    )


def _messages_with_waiting_task() -> set[int]:
    args = _waiting(deliver_message).values_list("args_kwargs", flat=True)
    return {a["args"][0] for a in args if a.get("args")}
