"""/outbox/: where staff read mail when no SMTP server is configured."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from zdrave.base.identity.models import Role, User
from zdrave.base.outbox.ics import event_attachment
from zdrave.base.outbox.mail import send_templated
from zdrave.base.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_message(mail_in_outbox_only) -> OutboxMessage:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    start = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Europe/Sofia"))
    invite = event_attachment(
        "invite.ics",
        uid="c-1@zdrave.example",
        summary="Консултация",
        start=start,
        end=start + timedelta(hours=1),
    )
    return send_templated(
        "member@example.bg",
        "Extra Care – консултация чрез Diagnose.me",
        "outbox/email/notice",
        {"message": "Предлагаме 1 декември, 9:30.<script>alert(1)</script>"},
        attachments=[invite],
    )


def test_staff_see_the_list_and_the_rendered_message(client, coordinator, stored_message):
    client.force_login(coordinator)
    listing = client.get(reverse("outbox:list"))
    assert listing.status_code == 200
    assert "Extra Care – консултация чрез Diagnose.me" in listing.text
    assert "member@example.bg" in listing.text

    detail = client.get(reverse("outbox:detail", args=[stored_message.pk]))
    assert detail.status_code == 200
    assert "Предлагаме 1 декември, 9:30." in detail.text
    # The HTML body is shown in a sandboxed frame, escaped: its script never runs here.
    assert '<iframe title="Съобщение" sandbox srcdoc=' in detail.text
    assert "<script>alert(1)</script>" not in detail.text
    assert "invite.ics" in detail.text


def test_staff_download_the_ics_attachment(client, coordinator, stored_message):
    client.force_login(coordinator)
    attachment = stored_message.attachments.get()
    response = client.get(reverse("outbox:attachment", args=[stored_message.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    assert response["Content-Disposition"] == 'attachment; filename="invite.ics"'
    assert b"TZID=Europe/Sofia" in response.content


@pytest.mark.parametrize("role", [Role.MEMBER, Role.PARTNER, Role.EMPLOYER])
def test_members_partners_and_employers_may_not_read_the_outbox(client, stored_message, role):
    user = User.objects.create_user("someone", "s@example.bg", None, role=role)
    client.force_login(user)
    attachment = stored_message.attachments.get()
    for url in (
        reverse("outbox:list"),
        reverse("outbox:detail", args=[stored_message.pk]),
        reverse("outbox:attachment", args=[stored_message.pk, attachment.pk]),
    ):
        assert client.get(url).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client, settings, stored_message):
    settings.LOGIN_URL = "/login/"
    response = client.get(reverse("outbox:list"))
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/outbox/"


def test_list_filters_by_status(client, coordinator, mail_in_outbox_only):
    mail.send_mail("Първо", "т", None, ["a@example.bg"])
    mail.send_mail("Второ", "т", None, ["b@example.bg"])
    OutboxMessage.objects.filter(subject="Второ").update(status="failed")
    client.force_login(coordinator)
    response = client.get(reverse("outbox:list"), {"status": "failed"})
    assert "Второ" in response.text
    assert "Първо" not in response.text
