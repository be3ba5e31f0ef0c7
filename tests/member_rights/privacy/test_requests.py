"""Correction (004 Чл.32 т.4; GDPR Art. 16) and erasure (Art. 17) requests: a task for the data
protection officer, answered within a month (Art. 12(3)); erasure refused while a claim is open,
and what is kept, and why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from member_rights.privacy.conftest import open_claim, paid_claim
from treatment_abroad.conftest import best_doctors_member
from zdrave.base.documents import storage
from zdrave.base.documents.models import MedicalFile
from zdrave.claims.models import Claim, ClaimFile
from zdrave.engine.data_rights import answer_due
from zdrave.member_rights.complaints.actions import ComplaintInput, file_complaint
from zdrave.member_rights.complaints.models import Category, ComplainantKind
from zdrave.member_rights.privacy import actions, retention
from zdrave.member_rights.privacy.models import DataRequest, RequestKind, RequestStatus
from zdrave.member_services.second_opinion.models import ChatMessage
from zdrave.treatment_abroad.actions import cases

pytestmark = pytest.mark.django_db

KEY = "0" * 32


def test_gdpr_art16_a_correction_request_is_a_task_answered_by_the_officer(client, mila, dpo):
    client.force_login(mila)
    response = client.post(
        reverse("privacy:correction"),
        {"text": "Фамилията ми е Петрова-Иванова.", "form_key": KEY},
        follow=True,
    )
    request = DataRequest.objects.get()
    due = answer_due(timezone.localdate())
    assert request.kind == RequestKind.CORRECTION
    assert request.status == RequestStatus.OPEN
    assert request.due_on == due
    assert f"Ще отговорим до {due:%d.%m.%Y}" in response.content.decode()

    client.force_login(dpo)
    queue = client.get(reverse("privacy:queue")).content.decode()
    assert request.number in queue
    assert f"срок {due.day}.{due:%m.%Y}" in queue
    client.post(
        reverse("privacy:request", args=[request.pk]),
        {"done": "yes", "outcome": "Фамилията е коригирана в договор H-100."},
    )

    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.decided_by == dpo
    client.force_login(mila)
    page = client.get(reverse("privacy:mine")).content.decode()
    assert "Фамилията е коригирана в договор H-100." in page
    assert "Изпълнено" in page


def test_the_same_form_sent_twice_is_one_request(client, mila):
    client.force_login(mila)
    for _ in range(2):
        client.post(reverse("privacy:correction"), {"text": "Грешен имейл.", "form_key": KEY})
    assert DataRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Кое е грешно и кое е вярното: Това поле е задължително."),
        (
            "я" * 5001,
            "Кое е грешно и кое е вярното: Уверете се, че тази стойност има най-много 5000 знака",
        ),
    ],
    ids=["empty", "too-long"],
)
def test_a_bad_correction_request_says_why_and_creates_nothing(client, mila, text, message):
    client.force_login(mila)
    response = client.post(reverse("privacy:correction"), {"text": text, "form_key": KEY})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DataRequest.objects.exists()


def test_an_answer_needs_the_outcome_and_is_given_once(mila, dpo):
    request = actions.request_correction(mila, text="Грешен адрес.")
    with pytest.raises(Exception, match="Напишете какво е направено"):
        actions.answer_request(request, actor=dpo, done=True, outcome=" ")
    actions.answer_request(request, actor=dpo, done=False, outcome="Адресът е верен.")
    with pytest.raises(Exception, match="вече е отговорено"):
        actions.answer_request(request, actor=dpo, done=True, outcome="Отново.")


def test_gdpr_art17_3_e_erasure_is_refused_while_a_claim_is_open(client, mila):
    claim = open_claim(mila)
    files_before = MedicalFile.objects.exclude(sha256="").count()
    client.force_login(mila)
    page = client.get(reverse("privacy:erasure")).content.decode()
    assert claim.number in page
    assert "искане за изтриване се отказва" in page

    response = client.post(reverse("privacy:erasure"), {"text": "", "form_key": KEY}, follow=True)

    request = DataRequest.objects.get()
    assert request.status == RequestStatus.REFUSED
    assert claim.number in request.outcome
    assert "Засега отказано" in response.content.decode()
    # Nothing was erased, the refusal itself is kept on record.
    assert MedicalFile.objects.exclude(sha256="").count() == files_before
    assert Claim.objects.get(pk=claim.pk).diagnosis == "M54.5"


def test_the_erasure_page_explains_what_is_kept_and_why(client, mila, adjuster):
    paid_claim(mila, adjuster)
    client.force_login(mila)
    page = client.get(reverse("privacy:erasure")).content.decode()
    assert "Какво пазим и защо" in page
    assert (
        "Пазят се 10 години след годината на претенцията: Закон за счетоводството чл.12 ал.1 т.1."
        in page
    )
    assert "Пазят се 5 години след претенцията: 004 Чл.31 т.1" in page


def test_an_accepted_erasure_erases_what_no_law_keeps_and_keeps_the_claim(
    mila, world, dpo, django_capture_on_commit_callbacks
):
    request = actions.request_erasure(mila)
    assert request.status == RequestStatus.OPEN
    own_path = storage.path_of(world.own_file.storage_name)
    assert own_path.exists()

    actions.answer_request(request, actor=dpo, done=True, outcome="Изтрито, освен запазеното.")

    world.own_file.refresh_from_db()
    assert world.own_file.sha256 == ""
    assert not own_path.exists()
    assert not ChatMessage.objects.filter(member=mila).exists()
    claim_files = MedicalFile.objects.filter(
        pk__in=ClaimFile.objects.filter(claim=world.claim).values("file_id")
    )
    assert claim_files.count() == 6
    assert not claim_files.filter(sha256="").exists()
    assert Claim.objects.get(pk=world.claim.pk).diagnosis == "M54.5"
    request.refresh_from_db()
    assert {row["kind"]: row["erase"] for row in request.plan}["claim"] is False


def test_the_deadline_is_a_month_on_the_bulgarian_calendar():
    assert retention.policies()["claim"].years == 10
    assert answer_due(dt.date(2026, 3, 10)) == dt.date(2026, 4, 14)


# -- GDPR Art. 17(3)(e): what else is still being worked on -------------------------------------


def open_complaint(user):
    return file_complaint(
        ComplaintInput(
            category=Category.OTHER,
            text="Не получих отговор на писмото си.",
            complainant_kind=ComplainantKind.INSURED,
            complainant_name=user.get_full_name(),
            email=user.email,
            idempotency_key="erasure-complaint",
        ),
        actor=user,
    )


def test_erasure_waits_for_an_unanswered_complaint(client, mila, dpo):
    complaint = open_complaint(mila)
    client.force_login(mila)
    page = client.get(reverse("privacy:erasure")).content.decode()
    assert complaint.number in page

    client.post(reverse("privacy:erasure"), {"text": "", "form_key": KEY})

    request = DataRequest.objects.get()
    assert request.status == RequestStatus.REFUSED
    assert complaint.number in request.outcome
    assert "чл. 17, пар. 3" in request.outcome


def test_the_officer_cannot_erase_while_a_complaint_is_open(mila, dpo):
    request = actions.request_erasure(mila)
    assert request.status == RequestStatus.OPEN
    complaint = open_complaint(mila)
    with pytest.raises(ValidationError) as refused:
        actions.answer_request(request, actor=dpo, done=True, outcome="Изтрито.")
    assert complaint.number in refused.value.messages[0]
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_erasure_waits_for_an_open_treatment_abroad_case(db):
    """001 т.74: the whole treatment-abroad path is one claim; its file is needed until it ends."""
    member = best_doctors_member("petya", "001")
    user = member.person.user
    case = cases.open_case(
        actor=user, member=member, condition="cancer", diagnosis="C50.4", treating_doctor="Д-р И."
    )
    request = actions.request_erasure(user)
    assert request.status == RequestStatus.REFUSED
    assert case.number in request.outcome
