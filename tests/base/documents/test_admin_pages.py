"""The admin pages of the outbox and the documents open, and offer no edits of medical files."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from base.documents.files import pdf_bytes, upload
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


def test_admin_lists_and_shows_outbox_files_and_access_log(admin_client, settings, member):
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    mail.send_mail("Тема", "Текст", None, ["member@example.bg"])
    message = OutboxMessage.objects.get()
    medical_file = upload_medical_file(upload("a.pdf", pdf_bytes(1)), uploaded_by=member)
    admin_client.get(reverse("documents:download", args=[medical_file.public_id]))
    for url in (
        reverse("admin:outbox_outboxmessage_changelist"),
        reverse("admin:outbox_outboxmessage_change", args=[message.pk]),
        reverse("admin:documents_medicalfile_changelist"),
        reverse("admin:documents_medicalfile_change", args=[medical_file.pk]),
        reverse("admin:documents_documentaccesslog_changelist"),
    ):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get(reverse("admin:documents_medicalfile_add")).status_code == 403
