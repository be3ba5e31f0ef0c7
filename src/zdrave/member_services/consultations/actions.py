"""Every write of the psychologist consultation (000 б) стъпки 4–7).

Each action checks who acts and the state the consultation is in, then changes it inside one
transaction holding the row's lock, writes a ``ConsultationEvent`` (who, when, from, to) and the
e-mail (to the outbox, in the same transaction), and schedules the reminder task on commit.
Refusals raise ``PermissionDenied`` (wrong person) or a translated ``ValidationError`` naming
the field; a refused call leaves nothing behind.

State machine:
requested → proposed → (rescheduling → proposed …) → confirmed → reminded → done; any open
state → cancelled; confirmed / reminded → rescheduling when the member asks to move it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zdrave.base.ui.validators import check_date_in_range
from zdrave.contracts.models import Cover
from zdrave.member_services import journey
from zdrave.member_services.consultations import emails, tasks
from zdrave.member_services.consultations.fetch import SESSION_LENGTH, is_team_of, service
from zdrave.member_services.consultations.models import (
    OPEN_STATUSES,
    SCHEDULED_STATUSES,
    Channel,
    Consultation,
    ConsultationEvent,
    ConsultationStatus,
    EventKind,
    ProposedSlot,
)
from zdrave.member_services.consultations.video import meeting_link
from zdrave.member_services.specialists.models import Specialist

MAX_PREFERRED = 3
MAX_SLOTS = 5
# A phone number the member can dial: an optional +, then 6 to 15 digits (E.164 allows 15),
# spaces, dashes and brackets as people write them.
PHONE_RE = re.compile(r"^\+?[\d\s\-()]+$")

Status = ConsultationStatus


def book_consultation(
    *,
    actor,
    cover: Cover,
    therapist: Specialist,
    email: str,
    theme: str,
    channel: str,
    preferred_times: Iterable[datetime],
    preferred_note: str = "",
    site_url: str = "",
) -> Consultation:
    """000 б) стъпка 4: the member books a session with ``therapist``. ``cover`` is the Extra
    Care cover that entitles them (``fetch.extra_care_cover``, 000 б) стъпка 1)."""
    svc = service()
    if therapist.partner_code != svc.partner.code or not therapist.is_therapist:
        raise ValidationError({"therapist": _("Therapist: not one of the partner's therapists.")})
    if channel not in svc.terms.channels:
        raise ValidationError({"channel": _("How to meet: choose a video link or phone.")})
    times = _check_preferred(list(preferred_times))
    if not theme.strip():
        raise ValidationError({"theme": _("Theme of the session: this field is required.")})
    with transaction.atomic():
        # A refreshed page or a double click books again: while the team has not yet answered
        # a booking with this therapist, that booking is the answer (one lock per member).
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        waiting = Consultation.objects.filter(
            member=actor, therapist=therapist, status=Status.REQUESTED
        ).first()
        if waiting is not None:
            return waiting
        consultation = Consultation.objects.create(
            member=actor,
            contract=cover.contract,
            product_version=svc.version.effective_from,
            therapist=therapist,
            partner_code=svc.partner.code,
            email=email.strip(),
            theme=theme.strip(),
            preferred_times=[t.isoformat() for t in times],
            preferred_note=preferred_note.strip()[: journey.MAX_NOTE],
            channel=channel,
            site_url=site_url,
        )
        _event(consultation, EventKind.BOOKED, actor=actor, before="", note=consultation.theme)
    return consultation


def propose_dates(
    consultation: Consultation, *, actor, starts: Iterable[datetime], phone: str = ""
) -> Consultation:
    """000 б) стъпка 5: the partner team proposes dates; the member gets them by e-mail. A new
    proposal replaces the previous one (only the latest round can be chosen)."""
    with transaction.atomic():
        consultation = _for_change(
            consultation,
            actor,
            who=journey.require_partner_team,
            allowed={Status.REQUESTED, Status.PROPOSED, Status.RESCHEDULING},
        )
        times = _check_slots(list(starts))
        if consultation.channel == Channel.PHONE:
            consultation.phone = _check_phone(phone)
        next_round = consultation.proposal_round + 1
        ProposedSlot.objects.bulk_create(
            ProposedSlot(
                consultation=consultation, round=next_round, starts_at=t, proposed_by=actor
            )
            for t in times
        )
        note = ", ".join(timezone.localtime(t).strftime("%Y-%m-%d %H:%M") for t in times)
        _move(consultation, Status.PROPOSED, EventKind.PROPOSED, actor=actor, note=note)
        emails.send_proposed_dates(consultation)
    return consultation


def choose_slot(consultation: Consultation, *, actor, slot_id: int) -> Consultation:
    """000 б) стъпка 6: the member chooses one proposed date. The team proposed only times its
    therapist holds, so the choice confirms the session: the confirmation with the link or
    phone number and the invitation go out, and the reminder is scheduled."""
    with transaction.atomic():
        consultation = _for_change(
            consultation, actor, who=_require_member, allowed={Status.PROPOSED}
        )
        slot = consultation.current_slots().filter(pk=slot_id).first()
        if slot is None:
            raise ValidationError({"slot": _("Date: choose one of the proposed dates.")})
        now = timezone.now()
        if slot.starts_at <= now:
            raise ValidationError(
                {"slot": _("Date: this time has already passed; ask for other dates.")}
            )
        svc = service(consultation.product_version)
        was_confirmed_before = consultation.events.filter(kind=EventKind.CONFIRMED).exists()
        consultation.starts_at = slot.starts_at
        consultation.ends_at = slot.starts_at + SESSION_LENGTH
        consultation.reminder_due_at = slot.starts_at - svc.reminder_before
        consultation.reminder_sent_at = None
        if was_confirmed_before:
            consultation.sequence += 1  # RFC 5545: a new time of the same event
        if consultation.channel == Channel.VIDEO and not consultation.video_url:
            consultation.video_url = meeting_link(consultation)
        _move(consultation, Status.CONFIRMED, EventKind.CONFIRMED, actor=actor, note=str(slot))
        emails.send_confirmation(consultation)
        transaction.on_commit(
            partial(tasks.schedule_reminder, consultation.pk, consultation.reminder_due_at),
            robust=True,
        )
    return consultation


def ask_other_dates(consultation: Consultation, *, actor, note: str = "") -> Consultation:
    """000 б) стъпка 6: "ако няма подходяща дата" — the team proposes again."""
    with transaction.atomic():
        consultation = _for_change(
            consultation, actor, who=_require_member, allowed={Status.PROPOSED}
        )
        _move(consultation, Status.RESCHEDULING, EventKind.OTHER_DATES, actor=actor, note=note)
    return consultation


def ask_to_move(consultation: Consultation, *, actor, note: str = "") -> Consultation:
    """The member asks to move a confirmed session: it goes back to the team for new dates.
    The old time is released; its reminder will not be sent (the task re-checks the state)."""
    with transaction.atomic():
        consultation = _for_change(
            consultation, actor, who=_require_member, allowed=set(SCHEDULED_STATUSES)
        )
        if consultation.starts_at <= timezone.now():
            raise ValidationError(
                {"status": _("Session: it has already started and cannot be moved.")}
            )
        consultation.starts_at = consultation.ends_at = None
        consultation.reminder_due_at = consultation.reminder_sent_at = None
        _move(consultation, Status.RESCHEDULING, EventKind.MOVE_ASKED, actor=actor, note=note)
    return consultation


def cancel_consultation(consultation: Consultation, *, actor, note: str = "") -> Consultation:
    """The member, or the partner team, cancels an open consultation. A session that had a time
    is taken out of the member's calendar by e-mail."""
    with transaction.atomic():
        consultation = _for_change(
            consultation, actor, who=_require_member_or_team, allowed=set(OPEN_STATUSES)
        )
        had_time = consultation.starts_at is not None
        if had_time:
            consultation.sequence += 1
        consultation.reminder_due_at = None
        _move(consultation, Status.CANCELLED, EventKind.CANCELLED, actor=actor, note=note)
        if had_time:
            emails.send_cancellation(consultation)
    return consultation


def mark_done(consultation: Consultation, *, actor) -> Consultation:
    """The partner team or the therapist records that the session was held."""
    with transaction.atomic():
        consultation = _for_change(
            consultation, actor, who=_require_team_or_therapist, allowed=set(SCHEDULED_STATUSES)
        )
        if consultation.starts_at > timezone.now():
            raise ValidationError({"status": _("Session: it has not started yet.")})
        _move(consultation, Status.DONE, EventKind.DONE, actor=actor)
    return consultation


# -- helpers ---------------------------------------------------------------------------------


def _locked(consultation: Consultation) -> Consultation:
    """The row, locked for the rest of the transaction: the one place this app takes the lock."""
    return journey.locked(consultation, "member", "therapist")


def _require_member_or_team(actor, consultation: Consultation) -> None:
    if not (consultation.member_id == actor.pk or is_team_of(actor, consultation)):
        raise PermissionDenied


def _require_team_or_therapist(actor, consultation: Consultation) -> None:
    therapist_user = consultation.therapist.user_id
    if not (is_team_of(actor, consultation) or (therapist_user and therapist_user == actor.pk)):
        raise PermissionDenied


_require_member = journey.require_member
_require = partial(
    journey.require_status,
    message=gettext_lazy("Status: not possible while the consultation is “%(status)s”."),
)
_for_change = partial(journey.locked_for_change, lock=_locked, require=_require)
_event = partial(journey.record_event, ConsultationEvent, "consultation")
_move = partial(journey.move, event=_event)


def _check_preferred(times: list[datetime]) -> list[datetime]:
    return _check_times(
        times,
        "preferred_1",
        MAX_PREFERRED,
        label=_("Preferred time"),
        none=_("Preferred time: give at least one."),
        too_many=_("Preferred time: give at most three."),
        past=_("Preferred time: must be in the future."),
    )


def _check_slots(times: list[datetime]) -> list[datetime]:
    return _check_times(
        times,
        "slot_1",
        MAX_SLOTS,
        label=_("Proposed dates"),
        none=_("Proposed dates: give at least one."),
        too_many=_("Proposed dates: give at most five."),
        past=_("Proposed dates: every date must be in the future."),
    )


def _check_times(
    times: list[datetime], field: str, most: int, *, label: str, none: str, too_many: str, past: str
) -> list[datetime]:
    """The distinct times given, in order: one to ``most`` of them, all ahead and in the
    platform's range; refused on ``field`` (the first of the form's time fields)."""
    times = sorted({t for t in times if t is not None})
    if not times:
        raise ValidationError({field: none})
    if len(times) > most:
        raise ValidationError({field: too_many})
    _check_future(times, field, past)
    _check_in_range(times, field, label)
    return times


def _check_future(times: list[datetime], field: str, message: str) -> None:
    now = timezone.now()
    for t in times:
        if timezone.is_naive(t):
            raise ValueError(f"{field}: times must be timezone-aware")
        if t <= now:
            raise ValidationError({field: message})


def _check_in_range(times: list[datetime], field: str, label: str) -> None:
    for t in times:
        try:
            check_date_in_range(t, label)
        except ValidationError as exc:
            raise ValidationError({field: exc}) from None


def _check_phone(phone: str) -> str:
    phone = " ".join(phone.split())
    digits = re.sub(r"\D", "", phone)
    if not phone or not PHONE_RE.match(phone) or not 6 <= len(digits) <= 15:
        raise ValidationError(
            {
                "phone": _(
                    "Therapist's phone: enter a number the member can call, e.g. +359 2 123 4567."
                )
            }
        )
    return phone
