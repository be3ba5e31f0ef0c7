"""The complaint's states and the one table of allowed moves.

registered → in review (an owner takes it) → escalated to a second level (a second person) →
answered (the written answer, 001 т.79 / 003 т.77). An answer may come at any open stage; after
escalation only the second-level person gives it (``permissions.can_answer_complaint``).
Every change of ``Complaint.status`` goes through ``move``, which writes the ``ComplaintEvent``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zdrave.member_rights.complaints.models import Complaint, ComplaintEvent, ComplaintStatus

S = ComplaintStatus
OPEN = (S.REGISTERED, S.IN_REVIEW, S.ESCALATED)
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (S.REGISTERED, S.IN_REVIEW),
        (S.IN_REVIEW, S.IN_REVIEW),  # another owner takes it over
        (S.REGISTERED, S.ESCALATED),
        (S.IN_REVIEW, S.ESCALATED),
        *((source, S.ANSWERED) for source in OPEN),
    }
)


def move(complaint: Complaint, target: str, kind: str, *, actor, note: str = "") -> ComplaintEvent:
    """Move the (locked) ``complaint`` to ``target`` and record the step; a move the table does
    not list is refused with a message and changes nothing."""
    source = complaint.status
    if (source, target) not in TRANSITIONS:
        raise ValidationError(
            _("Status: a complaint that is “%(status)s” cannot become “%(target)s”.")
            % {"status": complaint.get_status_display(), "target": S(target).label}
        )
    complaint.status = target
    complaint.save()
    return step(complaint, kind, actor=actor, note=note, source=source)


def step(complaint: Complaint, kind: str, *, actor, note: str = "", source: str | None = None):
    """One step of the history; ``source`` None: a step that does not change the status."""
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        from_status=complaint.status if source is None else source,
        to_status=complaint.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note.strip()[:2000],
    )
