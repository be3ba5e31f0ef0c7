"""Background work of the claims app, run by the database worker (``zdrave db_worker``).

Every e-mail about a claim is written by the worker; like every e-mail it then waits in the
outbox for delivery (``base.outbox.tasks``, the same worker), so no e-mail reaches a member
sooner for being written in the request. The decision e-mail carries the decision letter as a
PDF, and WeasyPrint takes a tenth of a second or more to render one; the receipt and the
request for missing documents, rendered in the request until stop 26, were a third of a
member's submission over HTTP (docs/performance.md) — far more than deciding the claim
(issue 10's target: a few milliseconds).
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_save, pre_save
from django_tasks import task

from zdrave.claims.emails import send_claim_mail


@task()
def send_claim_mail_task(claim_id: int, what: str) -> None:
    send_claim_mail(claim_id, what)


def notify_member(claim_id: int, what: str) -> None:
    """Have the worker write the e-mail ``what`` about the claim (call after the change
    commits: ``transaction.on_commit``)."""
    send_claim_mail_task.enqueue(claim_id, what)


def queued_row(claim_id: int, what: str):
    """The e-mail ``what`` as the database queue's row (``django_tasks_db``), not saved: for a
    caller that writes it in the transaction of the change it is about, so the row commits with
    the claim and only with it (the worker sees it after the commit, as with ``enqueue`` after
    the commit), without the ORM insert and the round trip of its own after the commit
    (``claims.actions.decide.decide_new``; docs/decisions.md). The same row as
    ``send_claim_mail_task.enqueue(claim_id, what)`` writes; None when the tasks go to another
    backend (the tests' immediate one): then ``notify_member`` after the commit."""
    from django_tasks.utils import normalize_json
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    task = send_claim_mail_task
    backend = task.get_backend()
    if type(backend) is not DatabaseBackend:
        return None
    if post_save.has_listeners(DBTaskResult):
        return None  # someone reacts to the row's ``save()``: let it be saved
    backend.validate_task(task)
    row = DBTaskResult(
        # The fields ``DatabaseBackend._task_to_db_task`` gives the row.
        id=backend._get_id(),  # noqa: SLF001 (the backend's own id source)
        args_kwargs=normalize_json({"args": (claim_id, what), "kwargs": {}}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after,
        backend_name=backend.alias,
    )
    # What ``save()`` sends before the insert (``django_tasks_db`` sets ``run_after`` there).
    pre_save.send(DBTaskResult, instance=row, raw=False, using=DEFAULT_DB_ALIAS, update_fields=None)
    return row


def announce(row) -> None:
    """What ``enqueue`` does after writing the row: the ``task_enqueued`` signal (call after
    the commit)."""
    from django_tasks.signals import task_enqueued

    task_enqueued.send(type(send_claim_mail_task.get_backend()), task_result=row.task_result)
