"""The pages write through one action each: the provider's form and batch file (row errors,
nothing billed), the staff's close, batch, paid and recovery — Bulgarian messages naming the
field."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from providers.settlement.helpers import bill, check
from zdrave.claims.models import ClaimStatus
from zdrave.providers.settlement.actions import first_execution_date
from zdrave.providers.settlement.models import (
    ProviderClaim,
    Recovery,
    SettlementBatch,
    StatementStatus,
)


def test_provider_form_bills_once_and_bad_input_is_400(client, clinic, institution, person):
    found = check(clinic, institution, person)
    client.force_login(clinic)
    data = {
        "check": found.pk,
        "reference": "F-1",
        "amount": "60.00",
        "quantity": 1,
        "diagnosis": "J06.9",
        "letter": "",
        "idempotency_key": "form-1",
    }
    assert client.post(reverse("settlement:provider"), data).status_code == 302
    assert client.post(reverse("settlement:provider"), data).status_code == 302  # double submit
    assert ProviderClaim.objects.count() == 1

    bad = client.post(reverse("settlement:provider"), {**data, "idempotency_key": "x"})
    assert bad.status_code == 400
    assert "Ваш номер" in bad.content.decode()


def test_batch_page_lists_row_errors_and_bills_nothing(client, clinic, institution, person):
    found = check(clinic, institution, person)
    client.force_login(clinic)
    upload = SimpleUploadedFile(
        "claims.csv", f"check;reference;amount;diagnosis\n{found.pk};B-1;0;J06.9\n".encode()
    )
    page = client.post(reverse("settlement:provider_batch"), {"file": upload})
    assert page.status_code == 400
    assert "Ред 2" in page.content.decode()
    assert not ProviderClaim.objects.exists()


def test_staff_close_batch_paid_and_recovery_pages(
    client, clinic, institution, person, account, billing, today
):
    billed = bill(clinic, institution, person)
    client.force_login(billing)
    assert client.get(reverse("settlement:staff")).status_code == 200
    assert client.post(reverse("settlement:close"), {"month": today.isoformat()}).status_code == 302
    billed.refresh_from_db()
    assert billed.statement is not None

    bad = client.post(reverse("settlement:new_batch"), {"execution_date": "2000-01-01"})
    assert bad.status_code == 400
    assert "Дата на изпълнение" in bad.content.decode()
    day = first_execution_date(today).isoformat()
    assert client.post(reverse("settlement:new_batch"), {"execution_date": day}).status_code == 302
    batch = SettlementBatch.objects.get()
    xml = client.get(reverse("settlement:batch_xml", args=[batch.pk]))
    assert xml.content == bytes(batch.xml)
    client.post(reverse("settlement:batch_paid", args=[batch.pk]), {"on": today.isoformat()})
    billed.statement.refresh_from_db()
    billed.claim.refresh_from_db()
    assert billed.statement.status == StatementStatus.PAID
    assert billed.claim.status == ClaimStatus.PAID

    url = reverse("settlement:recovery", args=[billed.pk])
    assert client.get(url).status_code == 200
    data = {"debtor": "provider", "ground": "not-owed", "amount": "10.00", "note": ""}
    assert client.post(url, data).status_code == 302
    recovery = Recovery.objects.get()
    letter = client.get(reverse("settlement:recovery_letter", args=[recovery.pk]))
    assert letter.content.startswith(b"%PDF")
    client.post(reverse("settlement:repaid", args=[recovery.pk]), {"on": today.isoformat()})
    recovery.refresh_from_db()
    assert recovery.status == "repaid"
