"""The iCalendar invitation of a confirmed session (000 б) стъпка 6), built with ``icalendar``.

METHOD:REQUEST with the partner as ORGANIZER and the member as ATTENDEE, times with
TZID=Europe/Sofia and a VTIMEZONE block, so the member's calendar shows the Sofia time the team
agreed whatever zone the phone is set to. The UID stays the same for the life of the session
and SEQUENCE rises with every new time, so a moved session updates the entry instead of adding
a second one; a cancellation is METHOD:CANCEL with the same UID.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from zdrave.member_services.consultations.models import Channel, Consultation

SOFIA = ZoneInfo("Europe/Sofia")
UID_DOMAIN = "consultations.zdrave"
FILENAME = "consultation.ics"
MIMETYPE = "text/calendar; charset=utf-8"


def event_uid(consultation: Consultation) -> str:
    return f"{consultation.uid}@{UID_DOMAIN}"


def invitation(consultation: Consultation, *, partner_name: str, partner_email: str) -> bytes:
    """The REQUEST for ``consultation``'s current time. Call in the member's language."""
    return _calendar(consultation, "REQUEST", partner_name, partner_email)


def cancellation(consultation: Consultation, *, partner_name: str, partner_email: str) -> bytes:
    return _calendar(consultation, "CANCEL", partner_name, partner_email)


def _calendar(
    consultation: Consultation, method: str, partner_name: str, partner_email: str
) -> bytes:
    if consultation.starts_at is None or consultation.ends_at is None:
        raise ValueError("calendar: the consultation has no time yet")
    start = consultation.starts_at.astimezone(SOFIA)
    event = Event()
    event.add("uid", event_uid(consultation))
    event.add("sequence", consultation.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", consultation.ends_at.astimezone(SOFIA))
    event.add("summary", _summary(consultation, partner_name))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", _address(partner_email, partner_name))
    attendee = _address(
        consultation.email, consultation.member.get_full_name() or consultation.email
    )
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("ACCEPTED")
    event.add("attendee", attendee)
    if consultation.channel == Channel.VIDEO and consultation.video_url:
        event.add("location", consultation.video_url)
        event.add("url", consultation.video_url)
    elif consultation.phone:
        event.add("location", _("Phone: %(phone)s") % {"phone": consultation.phone})
    event.add("description", _description(consultation))
    calendar = Calendar()
    calendar.add("prodid", "-//Zdrave//Consultations//BG")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(event)
    calendar.add_missing_timezones(first_date=date(start.year - 1, 1, 1))
    return calendar.to_ical()


def _summary(consultation: Consultation, partner_name: str) -> str:
    return _("Extra Care – consultation with %(therapist)s (%(partner)s)") % {
        "therapist": consultation.therapist.name,
        "partner": partner_name,
    }


def _description(consultation: Consultation) -> str:
    if consultation.channel == Channel.VIDEO:
        how = _("Video link: %(link)s") % {"link": consultation.video_url}
    else:
        how = _("Call the therapist on %(phone)s") % {"phone": consultation.phone}
    # The theme stays out: calendars are synced to phones and shared with family and
    # assistants, and what a member wants to talk to a psychologist about is health data.
    return how


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    return address
