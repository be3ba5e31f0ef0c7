"""Background work of the complaints app: the answer e-mail carries the letter as a PDF, which
WeasyPrint renders in a tenth of a second or more, so the worker writes it (as claims do)."""

from __future__ import annotations

from django_tasks import task

from zdrave.member_rights.complaints.emails import send_complaint_mail

IN_THE_BACKGROUND = frozenset({"answered"})


@task()
def send_complaint_mail_task(complaint_id: int, what: str) -> None:
    send_complaint_mail(complaint_id, what)


def notify_complainant(complaint_id: int, what: str) -> None:
    """Write the e-mail ``what`` now, or have the worker write it (after the change commits)."""
    if what in IN_THE_BACKGROUND:
        send_complaint_mail_task.enqueue(complaint_id, what)
    else:
        send_complaint_mail(complaint_id, what)
