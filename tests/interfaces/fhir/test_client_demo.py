"""A hospital client end to end against a live server (issue 12): ``scripts/fhir_client_demo.py``
asks eligibility, asks pre-authorisation, bills the service and reads the EOB over real HTTP;
then the insurer's medical expert approves and the client reads the guarantee letter."""

from __future__ import annotations

import importlib.util
import io
import json
import urllib.request
from decimal import Decimal

import pytest

from contracts.factories import make_user
from zdrave.base.identity.models import Role
from zdrave.providers.network import actions
from zdrave.providers.preauth import actions as preauth
from zdrave.providers.preauth.models import PreauthRequest
from zdrave.providers.settlement.models import ProviderClaim


@pytest.fixture(scope="module")
def demo(repo_dir):
    spec = importlib.util.spec_from_file_location(
        "fhir_client_demo", repo_dir / "scripts" / "fhir_client_demo.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hospital_client_end_to_end(
    live_server, transactional_db, demo, clinic, institution, person
):
    key = actions.issue_token(actor=clinic)[1]
    base = f"{live_server.url}/fhir/R4/"
    printed = io.StringIO()

    found = demo.run(base, key, person.id_number, institution.eik, amount=70.0, out=printed)

    assert found["metadata"]["fhirVersion"] == "4.0.1"
    assert found["eligibility"]["insurance"][0]["inforce"] is True
    assert found["preauthorization"]["outcome"] == "queued"
    assert found["claim_response"]["outcome"] == "complete"
    total = {
        t["category"]["coding"][0]["code"]: t["amount"]["value"]
        for t in found["claim_response"]["total"]
    }
    assert total == {"submitted": 70.0, "benefit": 60.0}  # the agreed price, 004 Чл.29 т.11
    assert found["eob"]["payment"]["amount"] == {"value": 60.0, "currency": "EUR"}
    assert "insurer pays 60.0 EUR" in printed.getvalue()
    assert ProviderClaim.objects.get().institution == institution

    expert = make_user("doctor", Role.MEDICAL_EXPERT, email="expert@insurer.bg")
    letter = preauth.approve_request(
        PreauthRequest.objects.get(), actor=expert, amount=Decimal("300.00")
    )
    client = demo.Client(base, key)
    status, decided = client.call("GET", f"ClaimResponse/{found['preauthorization']['id']}")

    assert (status, decided["outcome"], decided["preAuthRef"]) == (200, "complete", letter.number)


def test_client_without_a_key_gets_an_operation_outcome(live_server, transactional_db, demo):
    status, body = demo.Client(f"{live_server.url}/fhir/R4/", "wrong").call("GET", "Patient")

    assert (status, body["resourceType"], body["issue"][0]["code"]) == (
        401,
        "OperationOutcome",
        "login",
    )


def test_metadata_over_http_is_fhir_json(live_server, transactional_db):
    with urllib.request.urlopen(f"{live_server.url}/fhir/R4/metadata") as response:  # noqa: S310
        assert response.headers["Content-Type"].startswith("application/fhir+json")
        assert json.load(response)["resourceType"] == "CapabilityStatement"
