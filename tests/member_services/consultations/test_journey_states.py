"""Each state change of the psychologist consultation (000 б) стъпки 4–7), the events that record
it and the e-mails it sends."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from member_services.consultations.conftest import book, days_ahead
from zdrave.member_services.consultations import actions
from zdrave.member_services.consultations.models import (
    Consultation,
    ConsultationEvent,
    ConsultationStatus,
    EventKind,
    ProposedSlot,
)

pytestmark = pytest.mark.django_db
Status = ConsultationStatus


def test_000b_step4_booking_is_requested_and_recorded(member, therapist):
    consultation = book(member, therapist, channel="phone")

    assert consultation.status == Status.REQUESTED
    assert (consultation.partner_code, consultation.email) == ("diagnose-me", "maria@example.bg")
    assert consultation.preferred_datetimes() == [days_ahead(3, 18)]
    [event] = consultation.events.all()
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        EventKind.BOOKED,
        member,
        "",
        Status.REQUESTED,
    )
    assert mail.outbox == []


def test_000b_step4_preferred_time_in_the_past_is_refused(member, therapist, cover):
    with pytest.raises(ValidationError) as refused:
        actions.book_consultation(
            actor=member,
            cover=cover,
            therapist=therapist,
            email=member.email,
            theme="Стрес",
            channel="video",
            preferred_times=[timezone.now() - timedelta(hours=1)],
        )
    assert list(refused.value.message_dict) == ["preferred_1"]
    assert Consultation.objects.count() == 0


def test_000b_step5_team_proposes_dates_and_member_gets_the_subject_from_the_data(booked, partner):
    actions.propose_dates(booked, actor=partner, starts=[days_ahead(2, 15), days_ahead(2, 10)])

    booked.refresh_from_db()
    assert booked.status == Status.PROPOSED
    assert [s.starts_at for s in booked.current_slots()] == [days_ahead(2, 10), days_ahead(2, 15)]
    [message] = mail.outbox
    assert message.subject == "Extra Care – консултация чрез Diagnose.me"
    assert message.to == ["maria@example.bg"]
    assert parseaddr(message.from_email) == ("Diagnose.me", "team@diagnose.me")
    assert f"https://portal.example.bg/extra-care/consultations/{booked.pk}/" in message.body
    when = timezone.localtime(days_ahead(2, 10)).strftime("%H:%M")
    assert when in message.body


def test_000b_step5_past_date_is_refused_and_nothing_changes(booked, partner):
    with pytest.raises(ValidationError) as refused:
        actions.propose_dates(booked, actor=partner, starts=[timezone.now() - timedelta(minutes=5)])
    assert list(refused.value.message_dict) == ["slot_1"]
    booked.refresh_from_db()
    assert booked.status == Status.REQUESTED
    assert ProposedSlot.objects.count() == 0
    assert mail.outbox == []


def test_000b_step5_phone_session_needs_the_therapists_number(member, therapist, partner):
    consultation = book(member, therapist, channel="phone")
    with pytest.raises(ValidationError) as refused:
        actions.propose_dates(consultation, actor=partner, starts=[days_ahead(2)], phone="call me")
    assert list(refused.value.message_dict) == ["phone"]

    actions.propose_dates(
        consultation, actor=partner, starts=[days_ahead(2)], phone="+359 2 123 4567"
    )
    consultation.refresh_from_db()
    assert consultation.phone == "+359 2 123 4567"


def test_000b_step6_member_chooses_a_date_and_the_session_is_confirmed(
    proposed, member, django_capture_on_commit_callbacks
):
    later = proposed.current_slots().last()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.choose_slot(proposed, actor=member, slot_id=later.pk)

    proposed.refresh_from_db()
    assert proposed.status == Status.CONFIRMED
    assert proposed.starts_at == days_ahead(2, 15)
    assert proposed.ends_at == days_ahead(2, 15) + timedelta(minutes=50)
    # 000 б) стъпка 7: one hour before.
    assert proposed.reminder_due_at == days_ahead(2, 14)
    assert proposed.video_url.startswith("https://meet.example.org/zdrave-")
    [message] = mail.outbox
    assert message.subject == "Extra Care – потвърдена консултация чрез Diagnose.me"
    assert proposed.video_url in message.body
    assert [a[0] for a in message.attachments] == ["consultation.ics"]


def test_000b_step6_member_asks_for_other_dates_and_team_proposes_again(proposed, member, partner):
    first_round = list(proposed.current_slots())
    actions.ask_other_dates(proposed, actor=member, note="Само след 18:00")
    proposed.refresh_from_db()
    assert proposed.status == Status.RESCHEDULING
    assert proposed.events.last().note == "Само след 18:00"

    actions.propose_dates(proposed, actor=partner, starts=[days_ahead(4, 18)])
    proposed.refresh_from_db()
    assert proposed.status == Status.PROPOSED
    assert [s.starts_at for s in proposed.current_slots()] == [days_ahead(4, 18)]
    # A date of the replaced proposal can no longer be chosen.
    with pytest.raises(ValidationError) as refused:
        actions.choose_slot(proposed, actor=member, slot_id=first_round[0].pk)
    assert list(refused.value.message_dict) == ["slot"]


def test_moving_a_confirmed_session_releases_its_time_and_goes_back_to_the_team(confirmed, member):
    actions.ask_to_move(confirmed, actor=member, note="Командировка")
    confirmed.refresh_from_db()
    assert confirmed.status == Status.RESCHEDULING
    assert (confirmed.starts_at, confirmed.reminder_due_at) == (None, None)


def test_a_moved_session_confirmed_again_keeps_its_uid_and_raises_the_sequence(
    confirmed, member, partner, django_capture_on_commit_callbacks
):
    uid = confirmed.uid
    actions.ask_to_move(confirmed, actor=member)
    actions.propose_dates(confirmed, actor=partner, starts=[days_ahead(5, 11)])
    confirmed.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        actions.choose_slot(confirmed, actor=member, slot_id=confirmed.current_slots().get().pk)
    confirmed.refresh_from_db()
    assert (confirmed.uid, confirmed.sequence, confirmed.starts_at) == (uid, 1, days_ahead(5, 11))


def test_member_cancels_a_confirmed_session_and_gets_a_calendar_cancellation(confirmed, member):
    mail.outbox.clear()
    actions.cancel_consultation(confirmed, actor=member, note="Вече не е нужно")
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CANCELLED
    [message] = mail.outbox
    assert message.subject == "Extra Care – отменена консултация (Diagnose.me)"
    invitation = Calendar.from_ical(message.attachments[0][1])
    [event] = invitation.walk("VEVENT")
    assert (invitation["METHOD"], event["STATUS"], event["UID"]) == (
        "CANCEL",
        "CANCELLED",
        f"{confirmed.uid}@consultations.zdrave",
    )


def test_cancelled_consultation_cannot_be_cancelled_again(booked, member):
    actions.cancel_consultation(booked, actor=member)
    with pytest.raises(ValidationError) as refused:
        actions.cancel_consultation(booked, actor=member)
    assert list(refused.value.message_dict) == ["status"]
    assert booked.events.filter(kind=EventKind.CANCELLED).count() == 1


def test_session_is_marked_held_only_after_it_started(confirmed, therapist_user):
    with pytest.raises(ValidationError):
        actions.mark_done(confirmed, actor=therapist_user)
    Consultation.objects.filter(pk=confirmed.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10), status=Status.REMINDED
    )
    actions.mark_done(confirmed, actor=therapist_user)
    confirmed.refresh_from_db()
    assert confirmed.status == Status.DONE


def test_every_change_is_recorded_with_who_and_when(confirmed, member, partner):
    events = list(ConsultationEvent.objects.filter(consultation=confirmed))
    assert [(e.kind, e.actor, e.from_status, e.to_status) for e in events] == [
        (EventKind.BOOKED, member, "", Status.REQUESTED),
        (EventKind.PROPOSED, partner, Status.REQUESTED, Status.PROPOSED),
        (EventKind.CONFIRMED, member, Status.PROPOSED, Status.CONFIRMED),
    ]
    assert all(e.at <= timezone.now() for e in events)


def test_only_the_member_chooses_and_only_the_own_partner_team_proposes(
    proposed, other_member, other_partner, booked
):
    slot = proposed.current_slots().first()
    with pytest.raises(PermissionDenied):
        actions.choose_slot(proposed, actor=other_member, slot_id=slot.pk)
    with pytest.raises(PermissionDenied):
        actions.propose_dates(proposed, actor=other_partner, starts=[days_ahead(6)])
    proposed.refresh_from_db()
    assert proposed.status == Status.PROPOSED
