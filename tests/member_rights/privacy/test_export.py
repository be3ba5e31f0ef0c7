"""The data archive (GDPR Art. 15(3); 004 Чл.32 т.4): everything the platform holds on the
member, as one ZIP streamed while it is written."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tracemalloc
import zipfile

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from zdrave.base.audit.models import AuditEvent
from zdrave.base.documents import storage
from zdrave.base.documents.models import FileKind, MedicalFile
from zdrave.base.outbox.models import OutboxMessage
from zdrave.member_rights.privacy import export

pytestmark = pytest.mark.django_db


def download(client, user) -> tuple[StreamingHttpResponse, zipfile.ZipFile]:
    client.force_login(user)
    response = client.get(reverse("privacy:download"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return response, zipfile.ZipFile(io.BytesIO(body))


def read(archive: zipfile.ZipFile, name: str):
    return json.loads(archive.read(name))


def test_the_archive_holds_every_kind_of_record_the_member_has(client, mila, world):
    response, archive = download(client, mila)

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert archive.testzip() is None
    person = read(archive, "person.json")
    assert person["account"]["email"] == "mila@example.bg"
    assert person["insured_person"][0]["last_name"] == "Петрова"
    contracts = read(archive, "contracts.json")
    assert [c["number"] for c in contracts] == ["H-100"]
    assert contracts[0]["people"][0]["name"] == "Мила Петрова"
    assert {c["product_code"] for c in contracts[0]["covers"]} == {"health", "extra-care"}
    claims = read(archive, "claims.json")
    assert [c["number"] for c in claims] == [world.claim.number]
    claim = claims[0]
    assert claim["status"] == "paid"
    assert claim["diagnosis"] == "M54.5"
    assert len(claim["lines"]) == 1
    assert claim["lines"][0]["service"] == "2.8.e"
    assert claim["decisions"][0]["outcome"] == "approved"
    assert claim["payments"][0]["status"] == "paid"
    assert claim["history"]
    # The documents are the files themselves, byte for byte.
    assert len(claim["documents"]) == 6
    for document in claim["documents"]:
        assert document["file"] in archive.namelist()
    first = world.claim.files.first().file
    assert (
        archive.read(export.document_path(first))
        == storage.path_of(first.storage_name).read_bytes()
    )
    opinions = read(archive, "second_opinion.json")
    assert opinions["cases"][0]["documents_description"] == "Епикриза, ЕКГ"
    assert opinions["cases"][0]["files"][0]["file"] == export.document_path(world.case_file)
    assert opinions["chat"][0]["message"] == "Кога ще е готов докладът?"
    consultations = read(archive, "consultations.json")
    assert consultations[0]["theme"] == "Тревожност преди изпити"
    assert export.document_path(world.own_file) in archive.namelist()
    emails = read(archive, "emails.json")
    mailed = OutboxMessage.objects.filter(to__icontains="mila@example.bg").count()
    assert len(emails) == mailed > 0
    assert all("mila@example.bg" in e["to"] for e in emails)
    privacy = read(archive, "privacy.json")
    assert privacy["consents"][0]["given"] is True
    assert privacy["requests"][0]["kind"] == "correction"


def test_nothing_of_another_member_or_the_plumbing_is_in_the_archive(client, mila, world, staff):
    other = staff["member"]
    _response, archive = download(client, other)

    assert read(archive, "claims.json") == []
    assert read(archive, "second_opinion.json") == {"cases": [], "chat": []}
    assert not [n for n in archive.namelist() if n.startswith("documents/")]
    _response, archive = download(client, mila)
    text = archive.read("claims.json").decode()
    assert "idempotency_key" not in text
    assert "storage_name" not in text


def test_every_download_is_logged(client, mila):
    download(client, mila)
    download(client, mila)

    rows = AuditEvent.objects.filter(verb="export_personal_data", object_id=str(mila.pk))
    assert rows.count() == 2
    assert rows.first().details["ip_address"] == "127.0.0.1"


def _many_files(user, count: int, size: int) -> None:
    """``count`` stored files of ``size`` random bytes (incompressible, as photos are)."""
    rows = []
    for number in range(count):
        name = storage.new_storage_name()
        storage.write(name, os.urandom(size))
        rows.append(
            MedicalFile(
                owner=user,
                uploaded_by=user,
                kind=FileKind.MEDICAL_IMAGE,
                original_name=f"снимка-{number}.jpg",
                storage_name=name,
                mime_type="image/jpeg",
                size=size,
                sha256=f"{number:064d}",
            )
        )
    MedicalFile.objects.bulk_create(rows)


def test_thousands_of_documents_stream_in_small_pieces(client, mila):
    count, size = 2000, 32 * 1024  # 64 MB of documents
    _many_files(mila, count, size)
    client.force_login(mila)

    response = client.get(reverse("privacy:download"))
    tracemalloc.start()
    total = pieces = largest = 0
    body = io.BytesIO()
    for piece in response.streaming_content:
        pieces += 1
        total += len(piece)
        largest = max(largest, len(piece))
        if pieces == 50:
            body.write(piece)  # keep a little, not the whole archive
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert total > count * size
    # Sent in thousands of pieces of about one file each (the largest is the ZIP's closing
    # directory, about 110 bytes a file), never the archive in one go, and the memory used while
    # sending stays a small fraction of the archive's size.
    assert pieces > count
    assert largest < 1024 * 1024
    assert peak < total / 20


def test_the_streamed_archive_opens_with_every_document(client, mila):
    _many_files(mila, 300, 2048)

    _response, archive = download(client, mila)

    documents = [n for n in archive.namelist() if n.startswith("documents/")]
    assert len(documents) == 300
    assert archive.testzip() is None


def test_the_archive_holds_complaints_applications_and_declarations(client, mila, world):
    """The kinds of record that came with complaints and online sales (issues 11 and 14): a
    complaint about the member's claim and an application with a health declaration."""
    complaint, applicant = complain_and_apply(mila, world.claim)

    _response, archive = download(client, mila)

    complaints = read(archive, "complaints.json")
    assert [(c["number"], c["claim"]) for c in complaints] == [
        (complaint.number, world.claim.number)
    ]
    assert complaints[0]["text"] == complaint.text
    applications = read(archive, "applications.json")
    person = applications[0]["persons"][0]
    assert person["egn"] == applicant.egn
    assert person["declaration"]["answers"] == applicant.declaration.answers
    assert read(archive, "treatment_abroad.json") == []
    assert read(archive, "examinations.json") == []


def complain_and_apply(user, claim):
    """A complaint about ``claim`` and an individual application with a signed declaration,
    both through the real actions."""
    from policy_admin.sales.helpers import FULL, egn, next_month
    from zdrave.member_rights.complaints.actions import ComplaintInput, file_complaint
    from zdrave.member_rights.complaints.models import Category, ComplainantKind
    from zdrave.policy_admin.sales import actions as sales

    complaint = file_complaint(
        ComplaintInput(
            category=Category.CLAIM_DECISION,
            text="Не съм съгласна с решението по претенцията.",
            complainant_kind=ComplainantKind.INSURED,
            complainant_name=user.get_full_name(),
            claim=claim,
            complainant_user=user,
            email=user.email,
            idempotency_key="privacy-export-complaint",
        ),
        actor=user,
    )
    application = sales.start_application(
        actor=user, contract_type="individual", start=next_month(), instalments=1, email=user.email
    )
    applicant = sales.add_person(
        application,
        actor=user,
        first_name="Мила",
        last_name="Петрова",
        egn=egn(dt.date(1990, 1, 15), 21, True),
        role="holder",
        choices=FULL,
    )
    questions = [q.key for q in sales.questions_of(application)]
    sales.save_declaration(
        applicant,
        actor=user,
        answers=dict.fromkeys(questions, False),
        signed_by="self",
        signer_name="Мила Петрова",
        sign=True,
    )
    applicant.refresh_from_db()
    return complaint, applicant
