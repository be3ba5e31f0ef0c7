"""Background work: telling the insured people of a change of the network (004 Чл.24 т.4). A
change can concern every person on a health contract (a hundred thousand e-mails), so the
database worker writes them, not the staff member's request."""

from __future__ import annotations

from django_tasks import task

from zdrave.providers.network.emails import notify_network_change


@task()
def notify_network_change_task(change_id: int) -> None:
    notify_network_change(change_id)


def notify_members_later(change_id: int) -> None:
    """Have the worker write the e-mails of the change (call after it commits)."""
    notify_network_change_task.enqueue(change_id)
