"""Retention: the documented period per kind of record (data/retention.yaml, the table in
docs/decisions.md) and ``zdrave apply_retention``, dry run first."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from zdrave.base.audit.models import AuditEvent
from zdrave.base.documents import storage
from zdrave.base.documents.models import MedicalFile
from zdrave.base.outbox.models import OutboxMessage
from zdrave.claims.models import Claim, ClaimFile, Payment
from zdrave.member_rights.privacy import retention
from zdrave.member_services.consultations.models import Consultation
from zdrave.member_services.second_opinion.models import ChatMessage

pytestmark = pytest.mark.django_db


def years_later(years: int, days: int = 1) -> dt.datetime:
    now = timezone.now()
    return now.replace(year=now.year + years) + dt.timedelta(days=days)


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_every_kind_has_a_period_an_action_and_a_basis(repo_dir):
    rows = yaml.safe_load(retention.DATA.read_text(encoding="utf-8"))
    kinds = [row["kind"] for row in rows]
    assert kinds == list(retention.DUE) == list(retention.KIND_LABELS)
    for row in rows:
        assert row["years"] > 0
        assert row["action"] in ("delete", "anonymise")
        assert row["basis"]
        assert row["action"] == "delete" or row["kind"] in retention.ANONYMISE
    decisions = (repo_dir / "docs" / "decisions.md").read_text(encoding="utf-8")
    for row in rows:
        assert f"| {row['kind']} | {row['years']} |" in decisions


def test_the_dry_run_counts_per_kind_and_changes_nothing(world):
    files = MedicalFile.objects.exclude(sha256="").count()
    messages = OutboxMessage.objects.count()

    out = run("--dry-run")

    assert "chat_message" in out
    assert "would delete" in out
    assert "would anonymise" in out
    assert out.strip().endswith("0 record(s) would be deleted or anonymised.")
    assert MedicalFile.objects.exclude(sha256="").count() == files
    assert OutboxMessage.objects.count() == messages


def test_004_chl31_claim_documents_go_after_five_years_the_claim_after_ten(world):
    later = years_later(5, days=40)
    results = {r.kind: r.count for r in retention.apply_retention(now=later, dry_run=True)}
    claim_files = ClaimFile.objects.filter(claim=world.claim).count()
    assert results["claim_document"] == claim_files == 6
    assert results["claim"] == 0
    assert results["payment"] == 0
    assert results["chat_message"] == 1
    assert results["outbox_message"] > 0

    retention.apply_retention(now=later, dry_run=False)

    files = MedicalFile.objects.filter(
        pk__in=ClaimFile.objects.filter(claim=world.claim).values("file_id")
    )
    assert set(files.values_list("sha256", flat=True)) == {""}
    assert not any(storage.path_of(f.storage_name).exists() for f in files)
    claim = Claim.objects.get(pk=world.claim.pk)
    assert claim.diagnosis == "M54.5"  # kept for 10 years (Закон за счетоводството чл.12)
    assert not ChatMessage.objects.exists()
    assert Consultation.objects.get().theme == "Тревожност преди изпити"  # not over yet
    rows = AuditEvent.objects.filter(verb="apply_retention")
    assert {r.object_id for r in rows} >= {"claim_document", "chat_message", "outbox_message"}


def test_after_eleven_years_claims_and_payments_are_anonymised(world):
    later = years_later(11, days=400)

    retention.apply_retention(now=later, dry_run=False)

    claim = Claim.objects.get(pk=world.claim.pk)
    assert (claim.diagnosis, claim.iban, claim.payee_name) == ("", "", "")
    payment = Payment.objects.get(claim=claim)
    assert payment.iban == ""
    assert payment.amount > 0
    person = world.claim.member.person
    person.refresh_from_db()
    assert person.first_name == retention.ANONYMOUS
    assert person.id_number == f"anon-{person.pk}"
    # Applying again finds nothing left to do.
    again = {r.kind: r.count for r in retention.apply_retention(now=later, dry_run=True)}
    assert again["claim"] == again["payment"] == again["contract_people"] == 0


def test_the_command_applies_what_the_dry_run_announced(world, monkeypatch):
    later = years_later(5, days=40)
    monkeypatch.setattr(timezone, "now", lambda: later)

    planned = run("--dry-run")
    done = run()

    assert planned.replace("would be", "were").replace("would ", "did ") == done
    assert run("--dry-run").strip().endswith("0 record(s) would be deleted or anonymised.")
