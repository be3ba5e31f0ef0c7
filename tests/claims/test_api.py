"""``/api/v1/claims``: the same intake as the pages, as JSON — one claim per Idempotency-Key,
refusals that name the field, nobody else's claims."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from claims.conftest import photo
from contracts.factories import make_user
from zdrave.claims.models import Claim, ClaimStatus

IBAN = "BG80BNBG96611020345678"


def _payload(member, **change):
    day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    payload = {
        "member": member.pk,
        "kind": "outpatient",
        "iban": IBAN,
        "diagnosis": "M54.5",
        "provider": "МЦ Здраве",
        "lines": [{"service": "2.8.e", "date": day, "amount": "80.00", "invoice_number": "77"}],
    }
    return json.dumps({**payload, **change})


def _post(client, body, key="api-key-0001"):
    return client.post(
        "/api/v1/claims/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_claim_with_its_staged_documents_is_decided_at_once_004_chl29(
    client, member, member_user
):
    client.force_login(member_user)
    for doc in ["claim-form", "ambulatory-sheet", "test-results", "imaging-report", "invoice",
                "fiscal-receipt"]:  # fmt: skip
        staged = client.post(
            "/api/v1/claims/uploads",
            {"key": "api-key-0001", "document": doc, "file": photo(f"{doc}.jpg")},
        )
        assert staged.status_code == 201, staged.content
    response = _post(client, _payload(member))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == ClaimStatus.PAYMENT_SCHEDULED
    assert body["payable"] == "80.00"
    assert body["number"].startswith("CL-")
    again = _post(client, _payload(member))
    assert again.json()["number"] == body["number"]
    assert Claim.objects.count() == 1
    listed = client.get("/api/v1/claims/").json()
    assert [c["number"] for c in listed] == [body["number"]]
    assert client.get(f"/api/v1/claims/{body['number']}").json()["lines"][0]["payable"] == "80.00"


def test_without_documents_the_claim_waits_for_them(client, member, member_user):
    client.force_login(member_user)
    body = _post(client, _payload(member)).json()
    assert body["status"] == ClaimStatus.PENDING_DOCUMENTS
    assert "invoice" in body["missing_documents"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"iban": "BG80BNBG96611020345679"}, "iban"),
        ({"diagnosis": "Q99.99"}, "diagnosis"),
    ],
    ids=["004-chl29-t7-bad-iban", "unknown-icd10"],
)
def test_bad_input_is_refused_naming_the_field(client, member, member_user, change, field):
    client.force_login(member_user)
    response = _post(client, _payload(member, **change))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert Claim.objects.count() == 0


def test_a_future_date_and_a_zero_amount_are_refused(client, member, member_user):
    client.force_login(member_user)
    future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = _post(
        client, _payload(member, lines=[{"service": "2.8.e", "date": future, "amount": "0"}])
    )
    assert response.status_code == 422
    assert len(response.json()["errors"]["lines"]) == 2
    assert Claim.objects.count() == 0


def test_nobody_claims_for_someone_else_or_reads_their_claims(client, member, member_user):
    client.force_login(member_user)
    number = _post(client, _payload(member)).json()["number"]
    client.force_login(make_user("intruder"))
    assert _post(client, _payload(member), key="other-key-001").status_code == 404
    assert client.get("/api/v1/claims/").json() == []
    assert client.get(f"/api/v1/claims/{number}").status_code == 404
    client.logout()
    assert client.get("/api/v1/claims/").status_code == 401
    assert Claim.objects.count() == 1
