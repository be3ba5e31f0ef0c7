"""Calendar invitations (.ics) for appointments sent by e-mail.

Times are Europe/Sofia with a VTIMEZONE block, so a member's calendar shows the appointment at
the Sofia time the team agreed, whatever zone the phone is set to (000 б) стъпка 6: the
confirmation with the video link; 000 б) стъпка 7: the reminder one hour before).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from zdrave.base.outbox.mail import Attachment

SOFIA = ZoneInfo("Europe/Sofia")
REMINDER_BEFORE = timedelta(hours=1)  # 000 б) стъпка 7


def event_ics(
    *,
    uid: str,
    summary: str,
    start: datetime,
    end: datetime,
    description: str = "",
    location: str = "",
    url: str = "",
    reminder_before: timedelta | None = REMINDER_BEFORE,
) -> bytes:
    """One event as an iCalendar file (METHOD:PUBLISH). ``start``/``end`` must be aware."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("event_ics: start and end must be timezone-aware")
    if end <= start:
        raise ValueError("event_ics: end must be after start")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start.astimezone(SOFIA))
    event.add("dtend", end.astimezone(SOFIA))
    event.add("summary", summary)
    for name, value in (("description", description), ("location", location), ("url", url)):
        if value:
            event.add(name, value)
    if reminder_before:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -reminder_before)
        alarm.add("description", summary)
        event.add_component(alarm)
    calendar = Calendar()
    calendar.add("prodid", "-//Zdrave//Zdrave//BG")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones(first_date=date(start.year - 1, 1, 1))
    return calendar.to_ical()


def event_attachment(filename: str = "invite.ics", **event) -> Attachment:
    return Attachment(filename, event_ics(**event), "text/calendar")
