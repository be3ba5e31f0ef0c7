"""The audit trail: every view of health data writes an audit row (one test per kind of view),
every change to contracts, claims, decisions and payments is in django-auditlog's history (who,
when, what, from where), and only the data protection officer and the administrator search it."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from member_rights.privacy.conftest import ALL_ROLES, open_claim, pdf
from zdrave.base.audit.models import AuditEvent
from zdrave.base.audit.system import current_system_actor, system_actor
from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.documents.models import AccessOutcome, DocumentAccessLog
from zdrave.base.identity.models import Role
from zdrave.claims.actions.decide import code_diagnosis
from zdrave.claims.models import Claim, DecisionVersion, Payment
from zdrave.contracts.models import Contract
from zdrave.member_services.second_opinion.models import CaseFile, FilePurpose

pytestmark = pytest.mark.django_db


def views_of(obj, verb: str):
    return AuditEvent.objects.filter(
        verb=verb, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def assert_one_view(obj, verb: str, actor) -> None:
    rows = views_of(obj, verb)
    assert rows.count() == 1
    row = rows.get()
    assert row.actor == actor
    assert row.details["ip_address"] == "127.0.0.1"
    assert row.details["path"]


# -- every view of health data ------------------------------------------------------------------


def test_a_claim_document_download_is_recorded(client, world, adjuster):
    document = world.claim.files.first().file
    client.force_login(adjuster)

    response = client.get(reverse("documents:download", args=[document.public_id]))

    assert response.status_code == 200
    assert_one_view(document, "view_medical_file", adjuster)
    assert views_of(document, "view_medical_file").get().details["subject_type"]
    assert DocumentAccessLog.objects.filter(
        file=document, user=adjuster, outcome=AccessOutcome.SERVED
    ).exists()


def test_the_adjusters_review_of_a_claim_is_recorded(client, world, adjuster):
    client.force_login(adjuster)
    assert client.get(reverse("claims:review", args=[world.claim.number])).status_code == 200
    assert_one_view(world.claim, "claim_viewed", adjuster)


def test_the_members_claim_page_with_its_diagnosis_is_recorded(client, world, mila):
    client.force_login(mila)
    assert client.get(reverse("claims:detail", args=[world.claim.number])).status_code == 200
    assert_one_view(world.claim, "view_claim", mila)


def test_the_decision_letter_is_recorded(client, world, adjuster):
    client.force_login(adjuster)
    assert client.get(reverse("claims:letter", args=[world.claim.number])).status_code == 200
    assert_one_view(world.claim, "claim_letter_viewed", adjuster)


def test_a_second_opinion_case_page_is_recorded(client, world, staff):
    client.force_login(world.case.member)
    assert client.get(reverse("second_opinion:case", args=[world.case.pk])).status_code == 200
    assert_one_view(world.case, "view_opinion_case", world.case.member)


def test_a_second_opinion_report_download_is_recorded(client, world, staff):
    # The report a specialist uploads is a case file of purpose "report" (upload_report); the
    # same download serves it, so a stored report row stands in for the specialist's upload.
    report = upload_medical_file(
        pdf("report.pdf"),
        uploaded_by=staff[Role.SPECIALIST],
        owner=world.case.member,
        subject_type="second_opinion.opinioncase",
        subject_id=str(world.case.pk),
    )
    CaseFile.objects.create(case=world.case, file=report, purpose=FilePurpose.REPORT)
    client.force_login(world.case.member)
    assert client.get(reverse("documents:download", args=[report.public_id])).status_code == 200
    assert_one_view(report, "view_medical_file", world.case.member)


def test_a_consultation_page_with_its_theme_is_recorded(client, world):
    therapist = world.consultation.therapist.user
    client.force_login(therapist)
    assert (
        client.get(reverse("consultations:detail", args=[world.consultation.pk])).status_code == 200
    )
    assert_one_view(world.consultation, "view_consultation", therapist)


def test_a_refused_view_writes_no_view_row(client, world, staff):
    document = world.claim.files.first().file
    client.force_login(staff[Role.SERVICE_COORDINATOR])
    assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 403
    assert not views_of(document, "view_medical_file").exists()
    assert DocumentAccessLog.objects.filter(file=document, outcome=AccessOutcome.REFUSED).exists()


# -- every change, by django-auditlog -----------------------------------------------------------


def changes_of(obj):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    )


def test_contracts_claims_decisions_and_payments_have_a_change_history(world):
    claim = world.claim
    assert changes_of(Contract.objects.get(number="H-100")).filter(action=LogEntry.Action.CREATE)
    assert changes_of(claim).filter(action=LogEntry.Action.UPDATE).exists()
    assert changes_of(DecisionVersion.objects.get(claim=claim)).exists()
    payment = Payment.objects.get(claim=claim)
    statuses = [e.changes_dict.get("status") for e in changes_of(payment).order_by("timestamp")]
    assert statuses == [["None", "scheduled"], ["exported", "paid"]]
    # Sending to the bank is one bulk UPDATE (claims.actions.bank), which auditlog's signals do
    # not see: the batch's own creation row stands for it (docs/decisions.md).
    assert changes_of(payment.batch).filter(action=LogEntry.Action.CREATE).exists()


def test_a_change_made_on_a_page_names_who_and_from_where(client, mila):
    claim = open_claim(mila)
    client.force_login(mila)

    client.post(reverse("claims:withdraw", args=[claim.number]), {"note": "Платено от друг"})

    entry = changes_of(claim).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == mila
    assert entry.remote_addr == "127.0.0.1"
    assert entry.changes_dict["status"][1] == "withdrawn"


# -- who may search it --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_officer_and_the_administrator_read_the_audit_trail(client, staff, role):
    client.force_login(staff[role])
    response = client.get(reverse("privacy:audit"), {"user": "u-member"})
    allowed = role in (Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR)
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "Действия и прегледи" not in response.content.decode()


def test_nobody_signed_out_reads_the_audit_trail(client):
    response = client.get(reverse("privacy:audit"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_officer_searches_by_person_user_object_and_date(client, world, adjuster, dpo):
    client.force_login(adjuster)
    client.get(reverse("claims:review", args=[world.claim.number]))
    client.force_login(dpo)
    today = timezone.localdate().isoformat()

    by_person = client.get(reverse("privacy:audit"), {"person": "Мила Петрова"}).content.decode()
    by_user = client.get(reverse("privacy:audit"), {"user": adjuster.username}).content.decode()
    by_object = client.get(
        reverse("privacy:audit"),
        {"object_type": "claims.claim", "object_id": world.claim.number, "date_from": today},
    ).content.decode()
    yesterday = client.get(
        reverse("privacy:audit"), {"user": adjuster.username, "date_to": "2000-01-01"}
    ).content.decode()

    line = f"claims.claim#{world.claim.pk}"
    assert "Намерени лица:" in by_person
    assert "Мила Петрова" in by_person
    assert line in by_person
    assert "claim_viewed" in by_person
    assert "claim_viewed" in by_user
    assert line in by_user
    assert "claim_viewed" in by_object
    assert "Промени" in by_object
    assert "claim_viewed" not in yesterday


def test_health_values_in_the_change_history_stay_hidden_from_the_officer(client, mila, staff, dpo):
    claim = open_claim(mila, key="k-dx")
    Claim.objects.filter(pk=claim.pk).update(status="referred_medical")
    claim.refresh_from_db()
    code_diagnosis(claim, actor=staff[Role.MEDICAL_EXPERT], icd10="M51.1")
    client.force_login(dpo)

    page = client.get(
        reverse("privacy:audit"), {"object_type": "claims.claim", "object_id": claim.number}
    ).content.decode()

    assert "променено (здравни данни)" in page
    assert "M51.1" not in page


def test_a_search_without_filters_lists_nothing(client, dpo):
    client.force_login(dpo)
    page = client.get(reverse("privacy:audit"), {"person": ""}).content.decode()
    assert "Задайте поне един от филтрите." in page


# -- changes made outside a request: a command, a task of the worker ---------------------------


@task()
def withdraw_in_the_worker(claim_id: int) -> None:
    """A task changing a claim with no user (as the worker runs them)."""
    claim = Claim.objects.get(pk=claim_id)
    claim.provider = "Болница от задачата"
    claim.save()


def test_a_change_made_by_a_command_names_the_command(mila):
    """GDPR Art. 30, 32: a change with no user is attributed to the process that made it."""
    claim = open_claim(mila, key="k-cmd")
    with system_actor("command:billing_daily"):
        claim.provider = "Болница от командата"
        claim.save()
    entry = changes_of(claim).latest("timestamp")
    assert entry.actor is None
    assert entry.additional_data == {"system_actor": "command:billing_daily"}


def test_a_change_made_by_a_task_names_the_task(mila, django_capture_on_commit_callbacks):
    claim = open_claim(mila, key="k-task")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_in_the_worker.enqueue(claim.pk)
    entry = changes_of(claim).latest("timestamp")
    assert entry.actor is None
    assert entry.additional_data["system_actor"] == (
        "task:member_rights.privacy.test_audit.withdraw_in_the_worker"
    )
    assert current_system_actor() == ""  # reset when the task finished


def test_a_change_in_a_request_names_the_user_not_a_process(client, mila):
    claim = open_claim(mila, key="k-req")
    client.force_login(mila)
    with system_actor("command:runserver"):
        client.post(reverse("claims:withdraw", args=[claim.number]), {"note": "Не е нужно"})
    entry = changes_of(claim).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == mila
    assert not (entry.additional_data or {}).get("system_actor")


def test_the_retention_command_is_named_and_searched_in_the_audit_trail(client, world, dpo):
    later = timezone.now() + dt.timedelta(days=365 * 6)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("apply_retention", stdout=io.StringIO())
    rows = AuditEvent.objects.filter(verb="apply_retention")
    assert rows.exists()
    assert {r.details["system_actor"] for r in rows} == {"command:apply_retention"}
    with system_actor("command:billing_daily"):
        claim = Claim.objects.get(pk=world.claim.pk)
        claim.provider = "Болница от командата"
        claim.save()
    client.force_login(dpo)

    by_command = client.get(
        reverse("privacy:audit"), {"user": "command:apply_retention"}
    ).content.decode()
    by_other = client.get(reverse("privacy:audit"), {"user": "command:billing_daily"}).content

    assert "<code>command:apply_retention</code>" in by_command
    assert "privacy.retention#" in by_command
    assert f"claims.claim#{world.claim.pk}".encode() in by_other
    assert b"<code>command:billing_daily</code>" in by_other
