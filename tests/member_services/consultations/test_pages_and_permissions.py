"""The pages: who may book (000 б) стъпка 1), the booking form's errors (000 б) стъпка 4), the
team's queue and calendar, the therapist's sessions, and that nobody sees another's
consultation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from member_services.consultations.conftest import book, days_ahead
from zdrave.member_services.consultations.models import Consultation, ConsultationStatus

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_000b_step1_member_without_extra_care_is_told_why(
    client, member_without_extra_care, therapist
):
    client.force_login(member_without_extra_care)
    response = client.get(reverse("consultations:book", args=[therapist.pk]))
    assert response.status_code == 403
    assert "Нито един от действащите Ви днес договори не включва Extra Care за Вас." in _text(
        response
    )


def test_000b_step1_partner_account_cannot_book_and_is_told_why(client, partner, therapist):
    client.force_login(partner)
    response = client.get(reverse("consultations:book", args=[therapist.pk]))
    assert response.status_code == 403
    assert "Консултации запазват застрахованите лица." in _text(response)


def test_000b_step1_extra_care_of_a_lapsed_contract_does_not_count(client, member, therapist):
    member.insured_person.memberships.get().contract.__class__.objects.update(status="lapsed")
    client.force_login(member)
    response = client.get(reverse("consultations:book", args=[therapist.pk]))
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client, therapist):
    response = client.get(reverse("consultations:book", args=[therapist.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_000b_step4_booking_form_errors_are_translated_and_name_the_field(
    client, member, therapist
):
    client.force_login(member)
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("consultations:book", args=[therapist.pk]),
        {"email": "не-е-имейл", "theme": "", "preferred_1": past, "channel": "video"},
    )
    assert response.status_code == 200
    page = _text(response)
    assert "Имейл: Въведете валиден имейл адрес." in page
    assert "Тема на сесията: Това поле е задължително." in page
    assert "Предпочитан час: трябва да е в бъдещето (часът е по София)." in page
    assert Consultation.objects.count() == 0


def test_000b_step4_member_books_through_the_form(client, member, therapist):
    client.force_login(member)
    when = days_ahead(3, 18)
    response = client.post(
        reverse("consultations:book", args=[therapist.pk]),
        {
            "email": "maria.p@example.bg",
            "theme": "Безсъние",
            "preferred_1": timezone.localtime(when).strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:detail", args=[consultation.pk])
    assert (consultation.email, consultation.channel, consultation.preferred_datetimes()) == (
        "maria.p@example.bg",
        "phone",
        [when],
    )
    assert consultation.site_url == "http://testserver/"


def test_a_therapist_of_another_kind_or_partner_cannot_be_booked(client, member, therapist):
    therapist.partner_code = "other-team"
    therapist.save()
    client.force_login(member)
    assert client.get(reverse("consultations:book", args=[therapist.pk])).status_code == 404


def test_another_member_gets_404_for_a_consultation_and_its_invitation(
    client, confirmed, other_member
):
    client.force_login(other_member)
    assert client.get(reverse("consultations:detail", args=[confirmed.pk])).status_code == 404
    assert client.get(reverse("consultations:invitation", args=[confirmed.pk])).status_code == 404
    response = client.post(reverse("consultations:cancel", args=[confirmed.pk]))
    assert response.status_code == 404
    confirmed.refresh_from_db()
    assert confirmed.status == ConsultationStatus.CONFIRMED


def test_partner_of_another_partner_sees_nothing(client, booked, other_partner):
    client.force_login(other_partner)
    queue = client.get(reverse("consultations:team"))
    assert "Мария" not in _text(queue)
    assert "Няма чакащи заявки." in _text(queue)
    assert client.get(reverse("consultations:propose", args=[booked.pk])).status_code == 404


def test_000b_step5_team_sees_the_request_in_its_queue_and_proposes(client, booked, partner):
    client.force_login(partner)
    queue = _text(client.get(reverse("consultations:team")))
    assert "Мария Петрова" in queue
    assert "Десислава Тодорова" in queue
    first, second = days_ahead(2, 10), days_ahead(2, 16)
    response = client.post(
        reverse("consultations:propose", args=[booked.pk]),
        {
            "slot_1": timezone.localtime(first).strftime("%Y-%m-%dT%H:%M"),
            "slot_2": timezone.localtime(second).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == ConsultationStatus.PROPOSED
    assert [s.starts_at for s in booked.current_slots()] == [first, second]


def test_000b_step5_team_cannot_propose_a_past_date(client, booked, partner):
    client.force_login(partner)
    past = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("consultations:propose", args=[booked.pk]), {"slot_1": past})
    assert "Предложена дата 1: трябва да е в бъдещето (часът е по София)." in _text(response)
    booked.refresh_from_db()
    assert booked.status == ConsultationStatus.REQUESTED


def test_000b_step6_member_chooses_a_date_on_the_page(client, proposed, member):
    client.force_login(member)
    page = _text(client.get(reverse("consultations:detail", args=[proposed.pk])))
    assert "Изберете дата" in page
    slot = proposed.current_slots().last()
    response = client.post(reverse("consultations:choose", args=[proposed.pk]), {"slot": slot.pk})
    assert response.status_code == 302
    page = _text(client.get(response["Location"]))
    proposed.refresh_from_db()
    assert proposed.status == ConsultationStatus.CONFIRMED
    assert proposed.video_url in page
    assert "Сесията Ви е потвърдена." in page


def test_member_downloads_the_invitation(client, confirmed, member):
    client.force_login(member)
    response = client.get(reverse("consultations:invitation", args=[confirmed.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"METHOD:REQUEST" in response.content


def test_team_calendar_lists_the_session_on_its_sofia_day(client, confirmed, partner):
    client.force_login(partner)
    monday = confirmed.starts_at.date() - timedelta(
        days=timezone.localtime(confirmed.starts_at).weekday()
    )
    response = client.get(reverse("consultations:team_calendar"), {"week": monday.isoformat()})
    page = _text(response)
    assert "10:00–10:50 · Десислава Тодорова · Мария Петрова" in page
    assert "1 сесия" in page


def test_therapist_sees_only_sessions_assigned_to_them(
    client, confirmed, therapist_user, other_therapist, member, partner
):
    from contracts.factories import make_user
    from zdrave.base.identity.models import Role
    from zdrave.member_services.consultations import actions

    other = book(member, other_therapist)
    actions.propose_dates(other, actor=partner, starts=[days_ahead(2, 12)])
    actions.choose_slot(other, actor=member, slot_id=other.current_slots().get().pk)
    client.force_login(therapist_user)
    monday = timezone.localtime(confirmed.starts_at).date()
    monday -= timedelta(days=monday.weekday())
    page = _text(client.get(reverse("consultations:sessions"), {"week": monday.isoformat()}))
    assert "10:00–10:50" in page
    assert "12:00" not in page
    assert client.get(reverse("consultations:detail", args=[other.pk])).status_code == 404

    stranger = make_user("stranger-therapist", Role.SPECIALIST, partner_code="diagnose-me")
    client.force_login(stranger)
    assert client.get(reverse("consultations:detail", args=[confirmed.pk])).status_code == 404


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2101-01-03", "junk", "9" * 10_000])
def test_calendar_of_an_impossible_week_shows_this_week_instead_of_failing(
    client, partner, therapist_user, week
):
    for user, name in (
        (partner, "consultations:team_calendar"),
        (therapist_user, "consultations:sessions"),
    ):
        client.force_login(user)
        response = client.get(reverse(name), {"week": week})
        assert response.status_code == 200
        this_monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
        assert response.context["monday"] == this_monday


def test_calendar_at_the_edge_of_the_range_has_no_link_beyond_it(client, partner):
    client.force_login(partner)
    response = client.get(reverse("consultations:team_calendar"), {"week": "1900-01-03"})
    assert response.status_code == 200
    assert response.context["previous_url"] is None
    assert client.get(response.context["next_url"]).status_code == 200


@pytest.mark.parametrize("when", ["9999-12-31T10:00", "2101-01-01T10:00"])
def test_000b_step5_team_cannot_propose_a_date_beyond_2100(client, booked, partner, when):
    client.force_login(partner)
    response = client.post(reverse("consultations:propose", args=[booked.pk]), {"slot_1": when})
    assert response.status_code == 200
    assert "Предложена дата 1: трябва да е между 01.01.1900 и 31.12.2100." in _text(response)
    booked.refresh_from_db()
    assert booked.status == ConsultationStatus.REQUESTED
    assert booked.current_slots().count() == 0


def test_000b_step4_member_cannot_prefer_a_time_in_year_9999(client, member, therapist):
    client.force_login(member)
    response = client.post(
        reverse("consultations:book", args=[therapist.pk]),
        {
            "email": "m@example.org",
            "theme": "Сън",
            "preferred_1": "9999-12-31T23:00",
            "channel": "video",
        },
    )
    assert response.status_code == 200
    assert "Предпочитан час: трябва да е между 01.01.1900 и 31.12.2100." in _text(response)
    assert Consultation.objects.count() == 0


def test_the_action_refuses_a_slot_beyond_2100_whoever_calls(booked, partner):
    from datetime import datetime

    from django.core.exceptions import ValidationError

    from zdrave.member_services.consultations import actions

    far = datetime(9999, 12, 31, 10, tzinfo=timezone.get_current_timezone())
    with pytest.raises(ValidationError) as info:
        actions.propose_dates(booked, actor=partner, starts=[far])
    assert list(info.value.message_dict) == ["slot_1"]
    assert booked.slots.count() == 0


def test_a_double_submitted_booking_books_once(client, member, therapist):
    client.force_login(member)
    data = {
        "email": "maria.p@example.bg",
        "theme": "Безсъние",
        "preferred_1": timezone.localtime(days_ahead(3, 18)).strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
    }
    url = reverse("consultations:book", args=[therapist.pk])

    first, second = client.post(url, data), client.post(url, data)

    consultation = Consultation.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert first["Location"] == reverse("consultations:detail", args=[consultation.pk])
    assert consultation.events.count() == 1
