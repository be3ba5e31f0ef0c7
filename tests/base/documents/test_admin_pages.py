"""The admin pages of the outbox and the documents open, and offer no edits of medical files."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from base.documents.files import pdf_bytes, upload
from zdrave.base.audit.models import AuditEvent
from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.identity.models import Role, User
from zdrave.base.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser("root", "root@zdrave.example", None)
    admin.role = Role.ADMINISTRATOR
    admin.save()
    client.force_login(admin)
    return client


@pytest.fixture
def expert_client(client):
    expert = User.objects.create_user(
        "expert", "expert@zdrave.example", None, role=Role.MEDICAL_EXPERT, is_staff=True
    )
    expert.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client.force_login(expert)
    return client


def test_admin_lists_and_shows_outbox_and_access_log(admin_client, settings, member):
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    mail.send_mail("Тема", "Текст", None, ["member@example.bg"])
    message = OutboxMessage.objects.get()
    medical_file = upload_medical_file(upload("a.pdf", pdf_bytes(1)), uploaded_by=member)
    admin_client.get(reverse("documents:download", args=[medical_file.public_id]))
    for url in (
        reverse("admin:outbox_outboxmessage_changelist"),
        reverse("admin:outbox_outboxmessage_change", args=[message.pk]),
        reverse("admin:documents_documentaccesslog_changelist"),
    ):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get(reverse("admin:documents_medicalfile_add")).status_code == 403


def test_a_superuser_without_a_health_data_role_sees_no_medical_file(admin_client, member):
    """Issue 8: the superuser (the demo's administrator) is not a health-data role."""
    medical_file = upload_medical_file(upload("епикриза.pdf", pdf_bytes(1)), uploaded_by=member)

    listing = admin_client.get(reverse("admin:documents_medicalfile_changelist"))
    detail = admin_client.get(reverse("admin:documents_medicalfile_change", args=[medical_file.pk]))
    download = admin_client.get(reverse("documents:download", args=[medical_file.public_id]))
    index = admin_client.get(reverse("admin:index"))

    assert (listing.status_code, detail.status_code, download.status_code) == (403, 403, 403)
    assert "епикриза.pdf" not in index.text
    assert not AuditEvent.objects.filter(verb="admin_view_health_data").exists()


def test_a_medical_expert_opens_a_medical_file_in_the_admin_and_it_is_logged(expert_client, member):
    medical_file = upload_medical_file(upload("епикриза.pdf", pdf_bytes(1)), uploaded_by=member)

    listing = expert_client.get(reverse("admin:documents_medicalfile_changelist"))
    detail = expert_client.get(
        reverse("admin:documents_medicalfile_change", args=[medical_file.pk]),
        REMOTE_ADDR="203.0.113.7",
    )

    assert (listing.status_code, detail.status_code) == (200, 200)
    assert "епикриза.pdf" in detail.text
    event = AuditEvent.objects.get(verb="admin_view_health_data")
    assert (event.actor.username, event.object_type, event.object_id) == (
        "expert",
        "documents.medicalfile",
        str(medical_file.pk),
    )
    assert event.details["ip_address"] == "203.0.113.7"
