"""Who opened the member's health data: downloads of their medical files (the documents app's
log) and views of their claims, second-opinion cases and consultations (the audit rows every
such page writes with ``record_view``).

What the member is shown of the person who looked: the role, and for the partner's team the
partner, never the staff member's name or anything else about them. Employees acting under
the insurer's authority are not "recipients" whose identity Art. 15(1)(c) gives
(CJEU C‑579/21 Pankki S, 22 June 2023); the data protection officer can name them when the
member needs it to exercise a right (docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zdrave.base.audit.models import AuditEvent
from zdrave.base.documents.models import AccessOutcome, DocumentAccessLog
from zdrave.base.identity.roles import Role
from zdrave.claims.models import Claim
from zdrave.member_services.consultations.models import Consultation
from zdrave.member_services.second_opinion.models import OpinionCase

# The page views of health data, by the audit row's object type.
VIEWED = {
    "claims.claim": _("Claim"),
    "second_opinion.opinioncase": _("Second-opinion case"),
    "consultations.consultation": _("Psychologist consultation"),
}
DOCUMENT = _("Medical document")


@dataclass(frozen=True)
class Access:
    at: dt.datetime
    role: str
    partner: str
    what: str
    document: str

    @property
    def role_label(self) -> str:
        label = str(Role(self.role).label) if self.role in Role.values else str(_("Unknown"))
        return f"{label} ({self.partner})" if self.partner else label


def _subjects(user) -> dict[str, dict[str, str]]:
    """The member's own records of each viewed type: id → what to call it."""
    return {
        "claims.claim": {
            str(pk): number
            for pk, number in Claim.objects.filter(member__person__user=user).values_list(
                "pk", "number"
            )
        },
        "second_opinion.opinioncase": {
            str(c.pk): str(c) for c in OpinionCase.objects.filter(member=user)
        },
        "consultations.consultation": {
            str(c.pk): f"#{c.pk}" for c in Consultation.objects.filter(member=user)
        },
    }


def accesses_to(user, *, limit: int = 500) -> list[Access]:
    """Other people's views of ``user``'s health data, newest first."""
    rows: list[tuple[dt.datetime, int, str, str]] = []
    downloads = (
        DocumentAccessLog.objects.filter(file__owner=user, outcome=AccessOutcome.SERVED)
        .exclude(user=user)
        .exclude(user=None)
        .select_related("file")
        .order_by("-at")[:limit]
    )
    for entry in downloads:
        rows.append((entry.at, entry.user_id, str(DOCUMENT), entry.file.original_name))
    for object_type, names in _subjects(user).items():
        if not names:
            continue
        views = (
            AuditEvent.objects.filter(object_type=object_type, object_id__in=list(names))
            .filter(Q(verb__startswith="view") | Q(verb__endswith="viewed"))
            .exclude(actor=user)
            .exclude(actor=None)[:limit]
        )
        for event in views:
            rows.append(
                (event.at, event.actor_id, str(VIEWED[object_type]), names[event.object_id])
            )
    who = _who({actor for _, actor, _, _ in rows})
    return [
        Access(at, *who[actor], what, document)
        for at, actor, what, document in sorted(rows, key=lambda r: r[0], reverse=True)[:limit]
    ]


def _who(ids: set[int]) -> dict[int, tuple[str, str]]:
    return {
        u.pk: (u.role, u.partner_code if u.role in (Role.PARTNER, Role.SPECIALIST) else "")
        for u in get_user_model().objects.filter(pk__in=ids)
    }
