"""``/api/v1/provider-claims/``: the provider key of the eligibility API, an Idempotency-Key,
422 naming the field, a provider's own claims only."""

from __future__ import annotations

from decimal import Decimal

from providers.settlement.helpers import check
from zdrave.providers.network import actions as network
from zdrave.providers.settlement.models import ProviderClaim

URL = "/api/v1/provider-claims/"


def post(client, key, body, idem="abc-1"):
    headers = {"Authorization": f"Bearer {key}"}
    if idem:
        headers["Idempotency-Key"] = idem
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_submit_once_per_idempotency_key(client, clinic, institution, person):
    key = network.issue_token(actor=clinic)[1]
    found = check(clinic, institution, person)
    body = {"check": found.pk, "reference": "API-1", "amount": "60.00", "diagnosis": "J06.9"}

    first = post(client, key, body)
    again = post(client, key, body)

    assert first.status_code == 201
    assert first.json()["status"] == "approved"
    assert Decimal(first.json()["insurer_pays"]) == Decimal("60.00")
    assert again.status_code == 200
    assert again.json()["number"] == first.json()["number"]
    assert ProviderClaim.objects.count() == 1
    listed = client.get(URL, headers={"Authorization": f"Bearer {key}"}).json()
    assert [c["reference"] for c in listed] == ["API-1"]


def test_bad_body_is_422_naming_the_field(client, clinic, institution, person):
    key = network.issue_token(actor=clinic)[1]
    found = check(clinic, institution, person)
    response = post(
        client, key, {"check": found.pk, "reference": "", "amount": "1.00", "diagnosis": "J06.9"}
    )
    assert response.status_code == 422
    assert "reference" in response.json()["errors"]
    assert post(client, key, {"check": found.pk}, idem="").status_code == 422
    assert not ProviderClaim.objects.exists()


def test_no_key_is_401_and_another_providers_claim_is_404(
    client, clinic, other_clinic, institution, person
):
    assert client.get(URL).status_code == 401
    key = network.issue_token(actor=clinic)[1]
    found = check(clinic, institution, person)
    number = post(
        client, key, {"check": found.pk, "reference": "A", "amount": "60.00", "diagnosis": "J06.9"}
    ).json()["number"]
    other = network.issue_token(actor=other_clinic)[1]
    response = client.get(f"{URL}{number}", headers={"Authorization": f"Bearer {other}"})
    assert response.status_code == 404
