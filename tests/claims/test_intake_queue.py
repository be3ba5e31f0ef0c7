"""The decision e-mail of a claim the engine decides at submission is queued in the claim's own
write (``claims.tasks.queued_row``): the database queue's row commits with the claim and only
with it, and is the row ``enqueue`` writes (docs/decisions.md)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult

from claims.builders import submit
from zdrave.claims.models import Claim, ClaimStatus
from zdrave.claims.tasks import send_claim_mail_task

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def test_the_decision_mail_is_queued_with_the_claim_as_enqueue_queues_it(
    member, member_user, database_queue, django_capture_on_commit_callbacks
):
    announced = []

    def heard(sender, task_result, **kwargs):
        announced.append(task_result)

    task_enqueued.connect(heard)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            claim = submit(member, member_user)
    finally:
        task_enqueued.disconnect(heard)
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    assert len(callbacks) == 1  # the signal only: the row was written with the claim
    row = DBTaskResult.objects.get()
    assert [r.id for r in announced] == [str(row.id)]
    expected = send_claim_mail_task.enqueue(claim.pk, "decided").db_result
    fields = [
        "status",
        "args_kwargs",
        "priority",
        "task_path",
        "queue_name",
        "run_after",
        "backend_name",
        "worker_ids",
        "return_value",
        "exception_class_path",
        "traceback",
        "started_at",
        "finished_at",
    ]
    expected.refresh_from_db()
    assert {f: getattr(row, f) for f in fields} == {f: getattr(expected, f) for f in fields}
    assert row.enqueued_at is not None


def test_no_mail_is_queued_when_the_claim_is_not_committed(member, member_user, database_queue):
    class Undo(Exception):
        pass

    def submit_then_undo():
        with transaction.atomic():
            submit(member, member_user)
            assert DBTaskResult.objects.count() == 1  # inside the transaction only
            raise Undo

    with pytest.raises(Undo):
        submit_then_undo()
    assert not Claim.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL")
def test_the_queue_row_costs_no_statement_of_its_own(member, member_user, database_queue):
    with CaptureQueriesContext(connection) as captured:
        submit(member, member_user, key="k-count")
    texts = [q["sql"] for q in captured.captured_queries]
    assert not any(t.startswith('INSERT INTO "django_tasks') for t in texts)
    assert sum('INSERT INTO "django_tasks' in t for t in texts) == 1


@pytest.mark.django_db(transaction=True)  # committed, as the worker reads it
def test_every_claim_mail_is_the_workers_the_request_renders_none(
    member, member_user, database_queue, mailoutbox, run_worker
):
    """The request for missing documents (like the receipt and the decision) is written by the
    worker from a row committed with the claim: the member's request renders no e-mail."""
    claim = submit(member, member_user, docs=[])
    assert claim.status == ClaimStatus.PENDING_DOCUMENTS
    row = DBTaskResult.objects.get()
    assert row.args_kwargs == {"args": [claim.pk, "documents_requested"], "kwargs": {}}
    assert mailoutbox == []
    run_worker()  # what ``zdrave db_worker --batch`` does
    [written] = mailoutbox
    assert "документи, които още са ни нужни" in written.subject  # 004 Чл.29 т.2
    assert claim.number in written.subject
    assert written.to == [member_user.email]
