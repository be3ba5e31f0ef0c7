"""Reads for the consultation journey: the service's terms from the Extra Care product data,
who may book (000 б) стъпка 1), and the permission-checked lookups (``access_*``) every view
goes through: a member sees only their own consultations, a partner team only its partner's,
a therapist only the sessions assigned to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.http import Http404

from zdrave.contracts.eligibility import (
    MemberServiceTerms,
    eligible_cover,
    member_service_terms,
)
from zdrave.contracts.models import Cover
from zdrave.engine.terms.member_services import MemberServiceCode
from zdrave.member_services import journey
from zdrave.member_services.consultations.models import (
    SCHEDULED_STATUSES,
    Consultation,
    ConsultationStatus,
)
from zdrave.member_services.specialists.fetch import access_team_member
from zdrave.member_services.specialists.models import Specialist, SpecialistKind

PRODUCT = "extra-care"
# Seed 000 is silent on the length of a session; a therapy hour is 50 minutes
# (docs/decisions.md, "Psychologist consultation").
SESSION_LENGTH = timedelta(minutes=50)


@dataclass(frozen=True)
class Service(MemberServiceTerms):
    """The psychologist consultation as the product data describes it."""

    @property
    def reminder_before(self) -> timedelta:
        # 000 б) стъпка 7: "напомняне … един час преди сесията" (reminder.minutes_before).
        minutes = self.terms.reminder.minutes_before if self.terms.reminder else 60
        return timedelta(minutes=minutes)


def service(version: dt.date | None = None) -> Service:
    """The consultation service of Extra Care ``version`` (default: the one sold today)."""
    return member_service_terms(MemberServiceCode.PSYCHOLOGIST, version, cls=Service)


def service_of(consultation: Consultation) -> Service:
    return service(consultation.product_version)


# -- eligibility (000 б) стъпка 1) ------------------------------------------------------------


def extra_care_cover(user, *, today: dt.date | None = None) -> Cover:
    """The Extra Care cover that lets ``user`` book (000 б) стъпка 1: "Ако имате активиран
    пакет Extra Care"): on a contract in force today, for the whole contract or for the user's
    own person, who is covered from today. Raises ``Ineligible``."""
    return eligible_cover(user, MemberServiceCode.PSYCHOLOGIST, today=today)


def access_therapist(pk: int) -> Specialist:
    """An active therapist of the service's partner (000 б) стъпка 3), else 404."""
    return access_team_member(SpecialistKind.THERAPIST, service().partner.code, pk)


# -- who sees which consultations ----------------------------------------------------------


def visible_consultations(user) -> QuerySet[Consultation]:
    found = Consultation.objects.select_related("therapist", "member")
    return journey.visible_to(user, found, specialist="therapist")


def access_consultation(user, pk: int) -> Consultation:
    """Consultation ``pk`` if ``user`` may see it; 404 otherwise, so nobody learns which
    consultations exist."""
    consultation = visible_consultations(user).filter(pk=pk).first()
    if consultation is None:
        raise Http404(pk)
    return consultation


is_team_of = journey.is_partner_team


def team_queue(user) -> QuerySet[Consultation]:
    """What waits for the partner team: new bookings and requests for other dates."""
    return (
        visible_consultations(user)
        .filter(status__in=[ConsultationStatus.REQUESTED, ConsultationStatus.RESCHEDULING])
        .order_by("created_at", "pk")
    )


def sessions_between(user, start: datetime, end: datetime) -> QuerySet[Consultation]:
    """Confirmed (and reminded, held) sessions of ``user``'s view starting in [start, end)."""
    return (
        visible_consultations(user)
        .filter(
            status__in=[*SCHEDULED_STATUSES, ConsultationStatus.DONE],
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .order_by("starts_at", "pk")
    )


def due_reminders(now: datetime) -> QuerySet[Consultation]:
    """Confirmed sessions whose reminder is due and not sent, that have not started yet."""
    return Consultation.objects.filter(
        status=ConsultationStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        reminder_due_at__lte=now,
        starts_at__gt=now,
    ).order_by("reminder_due_at", "pk")
