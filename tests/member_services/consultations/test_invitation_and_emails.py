"""000 б) стъпки 5–6: the e-mails' subjects (from the product data, partner not hard-wired) and
the iCalendar invitation of the confirmation, parsed back with icalendar."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from member_services.consultations.conftest import book, days_ahead
from zdrave.member_services.consultations import actions

pytestmark = pytest.mark.django_db


def _invitation(message) -> Calendar:
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (
        "consultation.ics",
        "text/calendar; charset=utf-8; method=REQUEST",
    )
    return Calendar.from_ical(content)


def test_000b_step6_invitation_is_a_request_in_sofia_time_from_the_partner_to_the_member(confirmed):
    [*_, message] = mail.outbox
    invitation = _invitation(message)
    [event] = invitation.walk("VEVENT")

    assert invitation["METHOD"] == "REQUEST"
    assert event["UID"] == f"{confirmed.uid}@consultations.zdrave"
    assert event["DTSTART"].params["TZID"] == "Europe/Sofia"
    assert event.decoded("DTSTART") == days_ahead(2, 10)
    assert event.decoded("DTSTART").tzinfo.key == "Europe/Sofia"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=50)
    assert str(event["SUMMARY"]) == "Extra Care – консултация с Десислава Тодорова (Diagnose.me)"
    assert str(event["LOCATION"]) == confirmed.video_url
    assert str(event["URL"]) == confirmed.video_url
    assert str(event["ORGANIZER"]) == "mailto:team@diagnose.me"
    assert event["ORGANIZER"].params["CN"] == "Diagnose.me"
    assert str(event["ATTENDEE"]) == "mailto:maria@example.bg"
    assert [tz["TZID"] for tz in invitation.walk("VTIMEZONE")] == ["Europe/Sofia"]
    # The theme is health data and stays out of calendars.
    assert "Тревожност" not in content_of(message)


def content_of(message) -> str:
    return message.attachments[0][1]


def test_000b_step6_phone_session_invitation_gives_the_number_and_no_link(
    member, therapist, partner, django_capture_on_commit_callbacks
):
    consultation = book(member, therapist, channel="phone")
    actions.propose_dates(
        consultation, actor=partner, starts=[days_ahead(3, 9)], phone="+359 88 123 4567"
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.choose_slot(
            consultation, actor=member, slot_id=consultation.current_slots().get().pk
        )
    message = mail.outbox[-1]
    [event] = _invitation(message).walk("VEVENT")

    assert str(event["LOCATION"]) == "Телефон: +359 88 123 4567"
    assert "URL" not in event
    assert "+359 88 123 4567" in message.body
    assert consultation.__class__.objects.get(pk=consultation.pk).video_url == ""


def test_video_rooms_are_unique_and_on_the_configured_server(
    member, therapist, other_therapist, partner, settings, django_capture_on_commit_callbacks
):
    settings.ZDRAVE_VIDEO_BASE_URL = "https://video.zdrave.example/"
    links = []
    for who in (therapist, other_therapist):
        consultation = book(member, who)
        actions.propose_dates(consultation, actor=partner, starts=[days_ahead(2, 12)])
        with django_capture_on_commit_callbacks(execute=True):
            actions.choose_slot(
                consultation, actor=member, slot_id=consultation.current_slots().get().pk
            )
        consultation.refresh_from_db()
        links.append(consultation.video_url)
    assert all(link.startswith("https://video.zdrave.example/zdrave-") for link in links)
    assert links[0] != links[1]
    # 128 random bits, URL-safe: 22 characters after the prefix.
    assert all(len(link.rsplit("/zdrave-", 1)[1]) == 22 for link in links)


def test_the_calendar_entry_of_a_moved_session_is_updated_not_duplicated(
    confirmed, member, partner, django_capture_on_commit_callbacks
):
    actions.ask_to_move(confirmed, actor=member)
    actions.propose_dates(confirmed, actor=partner, starts=[days_ahead(4, 16)])
    with django_capture_on_commit_callbacks(execute=True):
        actions.choose_slot(confirmed, actor=member, slot_id=confirmed.current_slots().get().pk)
    first, second = [m for m in mail.outbox if m.attachments]
    [old], [new] = _invitation(first).walk("VEVENT"), _invitation(second).walk("VEVENT")
    assert old["UID"] == new["UID"]
    assert (old["SEQUENCE"], new["SEQUENCE"]) == (0, 1)
    assert new.decoded("DTSTART") == days_ahead(4, 16).astimezone(ZoneInfo("Europe/Sofia"))


def test_000b_step5_subject_is_in_the_members_language(member, therapist, partner):
    member.language = "en"
    member.save()
    consultation = book(member, therapist)
    actions.propose_dates(consultation, actor=partner, starts=[days_ahead(2)])
    [message] = mail.outbox
    assert message.subject == "Extra Care – consultation through Diagnose.me"
    assert "The Diagnose.me team proposes these dates" in message.body


def test_000b_partner_name_comes_from_the_product_data(
    member, therapist, partner, settings, tmp_path
):
    """The seeds README: partners are configurable. A product copy naming another partner
    changes the subject without a code change."""
    import shutil

    from zdrave.products import terms

    copy = tmp_path / "products"
    shutil.copytree(settings.PRODUCTS_DIR, copy)
    product = copy / "extra-care" / "2022-11-01" / "product.yaml"
    product.write_text(
        product.read_text(encoding="utf-8").replace(
            'name: {bg: "Diagnose.me", en: "Diagnose.me"}',
            'name: {bg: "Психо Партнер", en: "Psycho Partner"}',
        ),
        encoding="utf-8",
    )
    settings.PRODUCTS_DIR = copy
    terms._load.cache_clear()
    try:
        consultation = book(member, therapist)
        actions.propose_dates(consultation, actor=partner, starts=[days_ahead(2)])
    finally:
        terms._load.cache_clear()
    assert mail.outbox[0].subject == "Extra Care – консултация чрез Психо Партнер"
