"""/outbox/: where staff read mail when no SMTP server is configured."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from zdrave.base.audit.models import AuditEvent
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


def staff(role: str, *, superuser: bool = False) -> User:
    return User.objects.create_user(
        f"staff-{role}", f"{role}@zdrave.example", None, role=role, is_superuser=superuser
    )


HEALTH_DATA_ROLES = [Role.UNDERWRITER, Role.CLAIMS_ADJUSTER, Role.MEDICAL_EXPERT]


@pytest.mark.parametrize("role", HEALTH_DATA_ROLES)
def test_health_data_roles_read_the_message_and_the_reading_is_logged(client, stored_message, role):
    client.force_login(staff(role))
    listing = client.get(reverse("outbox:list"))
    assert listing.status_code == 200
    assert "Extra Care – консултация чрез Diagnose.me" in listing.text
    assert "member@example.bg" in listing.text

    detail = client.get(
        reverse("outbox:detail", args=[stored_message.pk]), REMOTE_ADDR="203.0.113.5"
    )
    assert detail.status_code == 200
    assert "Предлагаме 1 декември, 9:30." in detail.text
    # The HTML body is shown in a sandboxed frame, escaped: its script never runs here.
    assert '<iframe title="Съобщение" sandbox srcdoc=' in detail.text
    assert "<script>alert(1)</script>" not in detail.text
    assert "invite.ics" in detail.text
    [event] = AuditEvent.objects.filter(verb="view_outbox_message")
    assert (event.actor.username, event.object_id) == (f"staff-{role}", str(stored_message.pk))
    assert event.details == {
        "ip_address": "203.0.113.5",
        "path": f"/outbox/{stored_message.pk}/",
    }


@pytest.mark.parametrize(
    ("role", "superuser"),
    [(Role.SERVICE_COORDINATOR, False), (Role.ADMINISTRATOR, False), (Role.ADMINISTRATOR, True)],
    ids=["coordinator", "administrator", "superuser"],
)
def test_staff_without_health_data_see_delivery_but_not_content(
    client, stored_message, role, superuser
):
    """Issue 8: coordinators and administrators check that mail goes out; what a therapy
    invitation says, and its .ics, is health data they may not read."""
    client.force_login(staff(role, superuser=superuser))
    attachment = stored_message.attachments.get()

    listing = client.get(reverse("outbox:list"))
    detail = client.get(reverse("outbox:detail", args=[stored_message.pk]))
    download = client.get(reverse("outbox:attachment", args=[stored_message.pk, attachment.pk]))

    assert listing.status_code == 200
    assert "member@example.bg" in listing.text
    assert "консултация" not in listing.text
    assert detail.status_code == 200
    assert "member@example.bg" in detail.text
    with translation.override("bg"):
        assert str(stored_message.get_status_display()) in detail.text
    for secret in ("консултация", "Предлагаме", "invite.ics", "srcdoc"):
        assert secret not in detail.text, secret
    assert download.status_code == 403
    assert not AuditEvent.objects.filter(verb__startswith="view_outbox").exists()


def test_mail_without_health_data_is_readable_by_a_coordinator(client, mail_in_outbox_only):
    message = send_templated(
        "member@example.bg",
        "Добре дошли",
        "outbox/email/notice",
        {"message": "Профилът Ви е готов."},
        health_data=False,
    )
    client.force_login(staff(Role.SERVICE_COORDINATOR))

    detail = client.get(reverse("outbox:detail", args=[message.pk]))

    assert "Профилът Ви е готов." in detail.text


@pytest.mark.parametrize("role", HEALTH_DATA_ROLES)
def test_health_data_roles_download_the_ics_attachment_and_it_is_logged(
    client, stored_message, role
):
    client.force_login(staff(role))
    attachment = stored_message.attachments.get()
    response = client.get(reverse("outbox:attachment", args=[stored_message.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    assert response["Content-Disposition"] == 'attachment; filename="invite.ics"'
    assert b"TZID=Europe/Sofia" in response.content
    event = AuditEvent.objects.get(verb="download_outbox_attachment")
    assert event.details["attachment"] == "invite.ics"


def test_secrets_are_masked_in_the_copy_staff_read_and_kept_for_delivery(
    client, mail_in_outbox_only
):
    """Issue 8: a sign-in token goes out in the mail, never onto a staff screen."""
    token = "eyJpZCI6MX0:1vQ2:s3cr3t-token-value"
    message = send_templated(
        "member@example.bg",
        "Вход",
        "outbox/email/notice",
        {"message": f"https://portal.example.bg/extra-care/opinions/sign-in/{token}/"},
        secrets=[token],
        health_data=False,
    )
    client.force_login(staff(Role.MEDICAL_EXPERT))

    detail = client.get(reverse("outbox:detail", args=[message.pk]))

    assert token in bytes(message.raw_mime).decode()
    assert token not in message.body_text + message.body_html + str(message.headers)
    assert "/extra-care/opinions/sign-in/[hidden]/" in message.body_text
    assert token not in detail.text
    assert "sign-in/[hidden]/" in detail.text


def test_a_sign_in_url_is_masked_even_when_the_sender_forgot_to_say_so(mail_in_outbox_only):
    mail.send_mail("Вход", "Линк: /extra-care/opinions/sign-in/abc.def-ghi/", None, ["m@x.bg"])

    assert OutboxMessage.objects.get().body_text == "Линк: /extra-care/opinions/sign-in/[hidden]/"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.PARTNER, Role.EMPLOYER, Role.SPECIALIST])
def test_members_partners_employers_and_specialists_may_not_read_the_outbox(
    client, stored_message, role
):
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
    client.force_login(staff(Role.MEDICAL_EXPERT))
    response = client.get(reverse("outbox:list"), {"status": "failed"})
    assert "Второ" in response.text
    assert "Първо" not in response.text
