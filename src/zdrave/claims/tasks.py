"""Background work of the claims app, run by the database worker (``zdrave db_worker``).

The decision e-mail carries the decision letter as a PDF, and WeasyPrint takes a tenth of a
second or more to render one: far more than deciding the claim (issue 10's target: a few
milliseconds). The member's request must not wait for it, so the e-mail is written by the
worker; like every e-mail it then waits in the outbox for delivery (``base.outbox.tasks``).
"""

from __future__ import annotations

from django_tasks import task

from zdrave.claims.emails import send_claim_mail

# E-mails whose rendering is slow enough to leave the request: those that attach a letter.
IN_THE_BACKGROUND = frozenset({"decided"})


@task()
def send_claim_mail_task(claim_id: int, what: str) -> None:
    send_claim_mail(claim_id, what)


def notify_member(claim_id: int, what: str) -> None:
    """Write the e-mail ``what`` about the claim now, or have the worker write it (call after
    the change commits: ``transaction.on_commit``)."""
    if what in IN_THE_BACKGROUND:
        send_claim_mail_task.enqueue(claim_id, what)
    else:
        send_claim_mail(claim_id, what)
