"""The psychologist consultation of Extra Care (seed 000 б), стъпки 1–7).

Терми: консултация с психолог = ``Consultation``; предложена дата = ``ProposedSlot``; every
change of state is a ``ConsultationEvent`` (who, when, from, to). Writes go through
``zdrave.member_services.consultations.actions`` only.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zdrave.member_services import journey


class ConsultationStatus(models.TextChoices):
    # 000 б) стъпка 4: the member's booking, waiting for the partner team.
    REQUESTED = "requested", _("Requested")
    # 000 б) стъпка 5: the team proposed dates; the member chooses one.
    PROPOSED = "proposed", _("Dates proposed")
    # 000 б) стъпка 6: "ако няма подходяща дата" — or the member asked to move the session.
    RESCHEDULING = "rescheduling", _("Other dates asked for")
    # 000 б) стъпка 6: a date is chosen; the link or phone number has been sent.
    CONFIRMED = "confirmed", _("Confirmed")
    # 000 б) стъпка 7: the reminder one hour before has been sent.
    REMINDED = "reminded", _("Reminder sent")
    DONE = "done", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = frozenset(
    {
        ConsultationStatus.REQUESTED,
        ConsultationStatus.PROPOSED,
        ConsultationStatus.RESCHEDULING,
        ConsultationStatus.CONFIRMED,
        ConsultationStatus.REMINDED,
    }
)
SCHEDULED_STATUSES = frozenset({ConsultationStatus.CONFIRMED, ConsultationStatus.REMINDED})


class Channel(models.TextChoices):
    """000 б) стъпка 6: "линк за връзка … или телефонен номер"."""

    VIDEO = "video", _("Video link")
    PHONE = "phone", _("Phone")


class Consultation(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    # The Extra Care cover the booking was made under (000 б) стъпка 1), kept for the record.
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="+"
    )
    product_version = models.DateField(_("Extra Care version"))
    therapist = models.ForeignKey(
        "specialists.Specialist",
        verbose_name=_("therapist"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    partner_code = models.SlugField(_("partner"), max_length=64, db_index=True)
    email = models.EmailField(_("e-mail"))
    theme = models.TextField(_("theme of the session"))
    # Aware datetimes as ISO strings, in the order the member gave them.
    preferred_times = models.JSONField(_("preferred times"), default=list)
    preferred_note = models.TextField(_("other times that suit me"), blank=True)
    channel = models.CharField(_("how to meet"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.REQUESTED,
        db_index=True,
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    phone = models.CharField(_("therapist's phone"), max_length=32, blank=True)
    reminder_due_at = models.DateTimeField(_("reminder due at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # iCalendar: one UID for the life of the session, SEQUENCE goes up with every new time.
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    # The portal address the member booked through: e-mails written later by the worker (no
    # request at hand) link back to it.
    site_url = models.URLField(_("portal address"), blank=True)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("psychologist consultation")
        verbose_name_plural = _("psychologist consultations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "reminder_due_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.therapist} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_scheduled(self) -> bool:
        return self.status in SCHEDULED_STATUSES

    @property
    def meeting_point(self) -> str:
        """What the member needs to join: the video link or the phone number."""
        return self.video_url if self.channel == Channel.VIDEO else self.phone

    def preferred_datetimes(self) -> list[datetime]:
        return [datetime.fromisoformat(value) for value in self.preferred_times]

    def current_slots(self) -> models.QuerySet[ProposedSlot]:
        return self.slots.filter(round=self.proposal_round).order_by("starts_at")

    @property
    def proposal_round(self) -> int:
        return self.slots.aggregate(models.Max("round"))["round__max"] or 0


class ProposedSlot(models.Model):
    """One date and time the partner team offers (000 б) стъпка 5). Each new proposal is a new
    ``round``; the member chooses only from the latest one."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="slots"
    )
    round = models.PositiveSmallIntegerField(_("proposal round"))
    starts_at = models.DateTimeField(_("starts at"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    class Meta:
        verbose_name = _("proposed date")
        verbose_name_plural = _("proposed dates")
        ordering = ["consultation", "round", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "round", "starts_at"], name="consultation_slot_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}/{self.round}: {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    BOOKED = "booked", _("Booked")
    PROPOSED = "proposed", _("Dates proposed")
    OTHER_DATES = "other_dates", _("Other dates asked for")
    CONFIRMED = "confirmed", _("Date chosen and confirmed")
    MOVE_ASKED = "move_asked", _("Asked to move the session")
    REMINDED = "reminded", _("Reminder sent")
    DONE = "done", _("Marked as held")
    CANCELLED = "cancelled", _("Cancelled")


class ConsultationEvent(journey.JourneyEvent):
    """One state change, written in the same transaction as the change."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("what happened"), max_length=16, choices=EventKind.choices)
    from_status = models.CharField(
        _("from"), max_length=16, choices=ConsultationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=ConsultationStatus.choices)

    class Meta(journey.JourneyEvent.Meta):
        verbose_name = _("consultation event")
        verbose_name_plural = _("consultation events")

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.from_status or '-'} → {self.to_status}"
