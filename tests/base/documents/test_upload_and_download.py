"""Storing uploads privately, and downloads that are permission-checked and logged."""

from __future__ import annotations

import stat
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from base.documents.files import dicom_bytes, docx_bytes, image_bytes, pdf_bytes, upload
from zdrave.base.audit.models import AuditEvent
from zdrave.base.documents import storage
from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.documents.models import AccessOutcome, DocumentAccessLog, FileKind, MedicalFile
from zdrave.base.documents.permissions import register_access_rule, unregister_access_rule
from zdrave.base.identity.models import Role, User

pytestmark = pytest.mark.django_db


def test_upload_is_stored_outside_the_web_root_under_a_random_name(member, private_media):
    data = pdf_bytes(4)
    medical_file = upload_medical_file(upload("Иванова епикриза.pdf", data), uploaded_by=member)

    assert (medical_file.owner, medical_file.uploaded_by) == (member, member)
    assert (medical_file.kind, medical_file.mime_type, medical_file.pages) == (
        FileKind.TEXT_DOCUMENT,
        "application/pdf",
        4,
    )
    assert medical_file.original_name == "Иванова епикриза.pdf"
    path = storage.path_of(medical_file.storage_name)
    assert private_media.resolve() in path.parents
    assert "Иванова" not in str(path)
    assert "." not in path.name
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    audit = AuditEvent.objects.get(verb="upload_medical_file")
    assert (audit.actor, audit.object_id) == (member, str(medical_file.pk))


def test_refused_upload_leaves_nothing_behind(member, private_media):
    with pytest.raises(ValidationError):
        upload_medical_file(upload("fake.pdf", b"just text"), uploaded_by=member)
    assert MedicalFile.objects.count() == 0
    assert not private_media.exists() or not any(private_media.rglob("*"))


def test_partner_uploads_for_the_member_who_then_owns_the_file(member, partner):
    # 000 а) стъпка 13: a Diagnose.me representative may upload for you.
    medical_file = upload_medical_file(
        upload("mri.dcm", dicom_bytes()),
        uploaded_by=partner,
        owner=member,
        subject_type="second_opinion.opinioncase",
        subject_id=17,
    )
    assert (medical_file.owner, medical_file.uploaded_by) == (member, partner)
    assert (medical_file.subject_type, medical_file.subject_id) == (
        "second_opinion.opinioncase",
        "17",
    )
    assert medical_file.kind == FileKind.MEDICAL_IMAGE


def test_member_uploads_through_the_page_and_sees_the_file(client, member):
    client.force_login(member)
    response = client.post(
        reverse("documents:list"),
        {"kind": "text_document", "file": upload("кръвна картина.docx", docx_bytes(["Hb 135"]))},
    )
    assert response.status_code == 302
    page = client.get(reverse("documents:list"))
    assert "кръвна картина.docx" in page.text
    assert "„кръвна картина.docx“ е качен." in page.text
    assert MedicalFile.objects.get().pages == 1


def test_refused_upload_through_the_page_shows_the_reason_on_the_file_field(client, member):
    client.force_login(member)
    response = client.post(
        reverse("documents:list"), {"kind": "medical_image", "file": upload("x.png", b"text")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["Файлът не е PNG, въпреки разширението .png."]
    }
    assert MedicalFile.objects.count() == 0


@pytest.fixture
def members_scan(member) -> MedicalFile:
    return upload_medical_file(
        upload("скенер.png", image_bytes(600, 800)), uploaded_by=member, kind="medical_image"
    )


def _download(client, medical_file_or_id, **extra):
    public_id = getattr(medical_file_or_id, "public_id", medical_file_or_id)
    return client.get(reverse("documents:download", args=[public_id]), **extra)


def test_owner_downloads_the_file_as_an_attachment_and_it_is_logged(client, member, members_scan):
    client.force_login(member)
    response = _download(
        client, members_scan, HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D1%81%D0%BA%D0%B5%D0%BD%D0%B5%D1%80.png"  # скенер.png
    )
    assert response["Cache-Control"] == "private, no-store"
    assert (
        b"".join(response.streaming_content)
        == storage.path_of(members_scan.storage_name).read_bytes()
    )
    log = DocumentAccessLog.objects.get()
    assert (log.user, log.file, log.outcome, log.ip_address, log.user_agent) == (
        member,
        members_scan,
        AccessOutcome.SERVED,
        "10.1.2.3",
        "Firefox/140",
    )


def test_another_member_is_refused_and_the_attempt_is_logged(client, other_member, members_scan):
    client.force_login(other_member)
    response = _download(client, members_scan)
    assert response.status_code == 403
    assert b"\x89PNG" not in response.content
    log = DocumentAccessLog.objects.get()
    assert (log.user, log.file, log.outcome, log.ip_address) == (
        other_member,
        members_scan,
        AccessOutcome.REFUSED,
        "127.0.0.1",
    )


def test_insurer_staff_may_download(client, expert, members_scan):
    client.force_login(expert)
    assert _download(client, members_scan).status_code == 200
    assert DocumentAccessLog.objects.get().outcome == AccessOutcome.SERVED


def test_anonymous_visitor_is_refused_logged_and_sent_to_log_in(client, settings, members_scan):
    settings.LOGIN_URL = "/login/"
    response = _download(client, members_scan)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/documents/")
    log = DocumentAccessLog.objects.get()
    assert (log.user, log.file, log.outcome) == (None, members_scan, AccessOutcome.REFUSED)


def test_unknown_file_is_404_and_logged(client, member):
    client.force_login(member)
    missing = uuid.uuid4()
    assert _download(client, missing).status_code == 404
    log = DocumentAccessLog.objects.get()
    assert (log.file, log.requested_id, log.outcome) == (
        None,
        str(missing),
        AccessOutcome.NOT_FOUND,
    )


def test_a_journey_rule_lets_the_assigned_partner_in(client, partner, other_member, members_scan):
    """The hook the second-opinion journey extends: its partner team sees the case's files."""

    def assigned_partner(user, medical_file):
        return user.partner_code == "diagnose-me" and medical_file.owner.username == "ivana"

    register_access_rule(assigned_partner)
    try:
        client.force_login(partner)
        assert _download(client, members_scan).status_code == 200
        client.force_login(other_member)
        assert _download(client, members_scan).status_code == 403
    finally:
        unregister_access_rule(assigned_partner)
    outcomes = list(DocumentAccessLog.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == [AccessOutcome.SERVED, AccessOutcome.REFUSED]


@pytest.mark.parametrize(
    ("role", "superuser", "status"),
    [
        (Role.UNDERWRITER, False, 200),
        (Role.CLAIMS_ADJUSTER, False, 200),
        (Role.MEDICAL_EXPERT, False, 200),
        (Role.SERVICE_COORDINATOR, False, 403),
        (Role.ADMINISTRATOR, False, 403),
        (Role.ADMINISTRATOR, True, 403),
        (Role.EMPLOYER, False, 403),
        (Role.PARTNER, False, 403),
        (Role.SPECIALIST, False, 403),
        (Role.MEMBER, False, 403),
    ],
    ids=[
        "underwriter",
        "adjuster",
        "medic",
        "coordinator",
        "administrator",
        "superuser",
        "employer",
        "partner-unassigned",
        "specialist-unassigned",
        "other-member",
    ],
)
def test_only_the_health_data_roles_of_staff_download_a_members_file(
    client, members_scan, role, superuser, status
):
    """Issue 8: every staff role and superusers could download any member's medical file;
    ``accounts.permissions`` says only underwriters, claims adjusters and medical experts may."""
    user = User.objects.create_user(
        f"user-{role}", None, None, role=role, is_superuser=superuser, is_staff=superuser
    )
    client.force_login(user)

    response = _download(client, members_scan)

    assert response.status_code == status
    log = DocumentAccessLog.objects.get()
    assert (log.user, log.outcome) == (
        user,
        AccessOutcome.SERVED if status == 200 else AccessOutcome.REFUSED,
    )
