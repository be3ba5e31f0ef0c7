"""Journey (000 б) стъпки 1–7): a member with Extra Care books a psychologist consultation, the
partner team proposes dates, the member picks one, the confirmation shows the video link, the
therapist sees the session, and the reminder one hour before lands in the outbox."""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from e2e.helpers import log_in, screenshot
from zdrave.base.identity.models import User
from zdrave.base.outbox.models import OutboxMessage
from zdrave.member_services.consultations.models import Consultation, ConsultationStatus
from zdrave.member_services.consultations.tasks import sweep_due_reminders
from zdrave.member_services.specialists.models import Specialist

THERAPIST = "Десислава Тодорова"


@pytest.fixture
def directory(demo, settings):
    """The demo with its therapist directory, mail kept in the real outbox, and the demo's
    therapist log-in linked to its directory profile."""
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    settings.EMAIL_HOST = ""
    call_command("specialists", "load", stdout=io.StringIO())
    Specialist.objects.filter(partner_code="diagnose-me", name_bg=THERAPIST).update(
        user=User.objects.get(username="therapist")
    )


def _sofia(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _local(when: datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def _switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def test_member_books_team_proposes_member_picks_and_is_reminded(page, directory):
    first, second = _sofia(2, 10), _sofia(2, 15)

    # 000 б) стъпки 1–4: the member chooses a therapist and books
    log_in(page, "maria")
    page.goto("/extra-care/therapists/")
    page.get_by_role("link", name=THERAPIST).first.click()
    page.get_by_role("link", name="Запазете час за консултация").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Запазете час за консултация")
    page.get_by_label("Тема на сесията").fill("Тревожност и безсъние")
    page.get_by_label("Предпочитан час", exact=True).fill(_local(_sofia(3, 18)))
    page.get_by_label("Видео линк").check()
    page.get_by_role("button", name="Изпратете заявката").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Консултация с {THERAPIST}")
    expect(page.get_by_text("Заявена", exact=True).first).to_be_visible()
    screenshot(page, "consultation-1-booked")

    # 000 б) стъпка 5: the partner team proposes two dates
    _switch_user(page, "partner")
    page.goto("/extra-care/consultations/team/")
    page.get_by_role("link", name="Предложете дати").first.click()
    expect(page.get_by_text("Тревожност и безсъние")).to_be_visible()
    page.get_by_label("Предложена дата 1").fill(_local(first))
    page.get_by_label("Предложена дата 2").fill(_local(second))
    page.get_by_role("button", name="Изпратете предложението").click()
    expect(page.get_by_text("Датите са предложени и клиентът е уведомен по имейл.")).to_be_visible()
    [proposal] = OutboxMessage.objects.filter(subject="Extra Care – консултация чрез Diagnose.me")
    assert "15:00" in proposal.body_text

    # 000 б) стъпка 6: the member picks the afternoon date; the session is confirmed
    _switch_user(page, "maria")
    page.goto("/extra-care/consultations/")
    page.get_by_role("link", name=f"Отворете {THERAPIST}").click()
    with translation.override("bg"):
        label = date_format(timezone.localtime(second), "l, j F Y, H:i")
    page.get_by_label(label).check()
    page.get_by_role("button", name="Потвърдете тази дата").click()
    expect(page.get_by_text("Сесията Ви е потвърдена.", exact=False)).to_be_visible()
    expect(page.get_by_text("Потвърдена", exact=True).first).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.video_url.startswith("https://meet.jit.si/zdrave-")
    expect(page.get_by_role("link", name=consultation.video_url)).to_be_visible()
    screenshot(page, "consultation-2-confirmed")
    assert (consultation.status, consultation.starts_at) == (ConsultationStatus.CONFIRMED, second)
    confirmation = OutboxMessage.objects.get(
        subject="Extra Care – потвърдена консултация чрез Diagnose.me"
    )
    assert [a.filename for a in confirmation.attachments.all()] == ["consultation.ics"]
    assert consultation.video_url in confirmation.body_text

    # The therapist sees the session in their week
    _switch_user(page, "therapist")
    monday = timezone.localtime(second).date()
    page.goto(
        f"/extra-care/consultations/sessions/?week={monday - timedelta(days=monday.weekday())}"
    )
    expect(page.get_by_role("link", name=re.compile(r"15:00–15:50 · " + THERAPIST))).to_be_visible()

    # 000 б) стъпка 7: the worker's sweep, one hour before the session, writes the reminder
    assert sweep_due_reminders(now=second - timedelta(hours=1)) == 1
    assert sweep_due_reminders(now=second - timedelta(minutes=55)) == 0
    # The coordinator checks delivery; the room and the .ics are health data (issue 8).
    _switch_user(page, "coordinator")
    page.goto("/outbox/")
    expect(
        page.get_by_role("link", name="Extra Care – напомняне: консултация след един час")
    ).to_have_count(0)
    hidden = page.get_by_role("link", name="Здравни данни: съдържанието е скрито")
    expect(hidden.first).to_be_visible()
    hidden.first.click()
    expect(page.get_by_text("maria@demo.zdrave.example").first).to_be_visible()
    expect(page.get_by_text(consultation.video_url)).to_have_count(0)
    # A medical expert may read it.
    _switch_user(page, "medic")
    page.goto("/outbox/")
    reminder = page.get_by_role("link", name="Extra Care – напомняне: консултация след един час")
    expect(reminder).to_have_count(1)
    reminder.click()
    expect(page.get_by_text(consultation.video_url).first).to_be_visible()
    screenshot(page, "consultation-3-reminder-in-outbox")
