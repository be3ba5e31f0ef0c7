"""Issue 8: the outbox's admin screen follows the same rule as /outbox/
(``accounts.permissions.can_read_outbox_content``)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from zdrave.base.audit.models import AuditEvent
from zdrave.base.identity.models import Role, User
from zdrave.base.outbox.ics import event_attachment
from zdrave.base.outbox.mail import send_templated

pytestmark = pytest.mark.django_db

BODY = "Стаята за видеосесията: https://meet.example/zdrave-7f3a"


@pytest.fixture
def therapy_mail(mail_in_outbox_only):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    start = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Europe/Sofia"))
    invite = event_attachment(
        "session.ics",
        uid="c-7@zdrave.example",
        summary="Сесия",
        start=start,
        end=start + timedelta(hours=1),
    )
    return send_templated(
        "member@example.bg",
        "Extra Care – психологическа консултация",
        "outbox/email/notice",
        {"message": BODY},
        attachments=[invite],
    )


def staff_in_admin(client, role: str, *, superuser: bool = False) -> User:
    user = User.objects.create_user(
        f"admin-{role}", None, None, role=role, is_staff=True, is_superuser=superuser
    )
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="outbox"))
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("role", "superuser"),
    [(Role.SERVICE_COORDINATOR, False), (Role.ADMINISTRATOR, True)],
    ids=["coordinator", "superuser"],
)
def test_the_admin_shows_delivery_but_no_health_content_to_other_roles(
    client, therapy_mail, role, superuser
):
    staff_in_admin(client, role, superuser=superuser)

    listing = client.get(reverse("admin:outbox_outboxmessage_changelist"))
    detail = client.get(reverse("admin:outbox_outboxmessage_change", args=[therapy_mail.pk]))

    assert (listing.status_code, detail.status_code) == (200, 200)
    assert "member@example.bg" in detail.text
    for page in (listing.text, detail.text):
        for content in ("психологическа консултация", "meet.example", "session.ics"):
            assert content not in page, content
    assert not AuditEvent.objects.filter(verb="admin_view_health_data").exists()


def test_a_medical_expert_reads_it_in_the_admin_and_it_is_logged(client, therapy_mail):
    expert = staff_in_admin(client, Role.MEDICAL_EXPERT)

    detail = client.get(reverse("admin:outbox_outboxmessage_change", args=[therapy_mail.pk]))

    assert "meet.example" in detail.text
    assert "session.ics" in detail.text
    event = AuditEvent.objects.get(verb="admin_view_health_data")
    assert (event.actor, event.object_type) == (expert, "outbox.outboxmessage")
