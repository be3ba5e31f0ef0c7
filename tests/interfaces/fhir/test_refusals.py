"""Every bad request gets an OperationOutcome with a 4xx and a message naming what is wrong
(issue 12); and an institution reads only its own patients' resources."""

from __future__ import annotations

import pytest

from interfaces.fhir.conftest import Fhir, claim_body, eligibility_request
from zdrave.providers.network.models import EligibilityCheck


def issue(response):
    return response.json()["issue"][0]


def test_malformed_json_is_400_structure(fhir, person):
    response = fhir.post("CoverageEligibilityRequest", "{not json", raw=True)

    assert response.status_code == 400
    assert issue(response)["code"] == "structure"
    assert "not valid JSON" in issue(response)["diagnostics"]


def test_a_json_list_is_400(fhir):
    response = fhir.post("Claim", "[]", raw=True)

    assert (response.status_code, issue(response)["code"]) == (400, "structure")


def test_wrong_resource_type_is_400_naming_both(fhir, person):
    body = {**eligibility_request(person), "resourceType": "Patient"}

    response = fhir.post("CoverageEligibilityRequest", body)

    assert response.status_code == 400
    assert issue(response)["expression"] == ["resourceType"]
    assert "CoverageEligibilityRequest" in issue(response)["diagnostics"]
    assert "Patient" in issue(response)["diagnostics"]


def test_invalid_r4_is_400_naming_the_element(fhir, person):
    body = {**eligibility_request(person), "colour": "blue"}
    del body["status"]

    response = fhir.post("CoverageEligibilityRequest", body)

    assert response.status_code == 400
    assert "colour" in issue(response)["diagnostics"]
    assert "status" in issue(response)["diagnostics"]
    assert not EligibilityCheck.objects.exists()


@pytest.mark.parametrize(
    "path", ["Patient/999999", "Coverage/1x", "ClaimResponse/5", "InsurancePlan/health-1999-01-01"]
)
def test_unknown_id_is_404(fhir, path):
    response = fhir.get(path)

    assert response.status_code == 404
    assert issue(response)["code"] == "not-found"


def test_unknown_resource_type_is_404_not_supported(fhir):
    response = fhir.get("Encounter/1")

    assert (response.status_code, issue(response)["code"]) == (404, "not-supported")


def test_read_only_type_refuses_post_with_405(fhir):
    response = fhir.post("Patient", {"resourceType": "Patient"})

    assert response.status_code == 405


@pytest.mark.parametrize("key", [None, "nonsense"])
def test_missing_or_bad_key_is_401_login(client, person, contract, key):
    anonymous = Fhir(client, key)

    for response in (
        anonymous.get(f"Patient/{person.pk}"),
        anonymous.get("Coverage"),
        anonymous.post("CoverageEligibilityRequest", eligibility_request(person)),
    ):
        assert response.status_code == 401
        assert issue(response)["code"] == "login"
        assert person.last_name not in response.content.decode()
    assert not EligibilityCheck.objects.exists()


def test_revoked_key_is_401(client, clinic, key):
    from zdrave.providers.network import actions

    actions.revoke_token(clinic.provider_tokens.get(), actor=clinic)

    assert Fhir(client, key).get("Coverage").status_code == 401


def test_provider_b_cannot_read_provider_a_patients(
    fhir, other_fhir, institution, person, contract
):
    member = contract.members.get()
    checked = fhir.post("CoverageEligibilityRequest", eligibility_request(person)).json()
    claimed = fhir.post("Claim", claim_body(institution, person, member.pk)).json()

    for path in (
        f"Patient/{person.pk}",
        f"Coverage/{member.pk}",
        f"CoverageEligibilityRequest/{checked['id']}",
        f"CoverageEligibilityResponse/{checked['id']}",
        f"Claim/{claimed['id']}",
        f"ClaimResponse/{claimed['id']}",
        f"ExplanationOfBenefit/{claimed['id']}",
    ):
        assert fhir.get(path).status_code == 200, path
        refused = other_fhir.get(path)
        assert refused.status_code == 404, path
        assert person.last_name not in refused.content.decode()
    for kind in (
        "Patient",
        "Coverage",
        "CoverageEligibilityResponse",
        "ClaimResponse",
        "ExplanationOfBenefit",
    ):
        assert other_fhir.get(kind).json()["total"] == 0, kind


def test_a_patient_is_not_the_institutions_before_it_asks(fhir, person, contract):
    assert fhir.get(f"Patient/{person.pk}").status_code == 404
    assert fhir.get("Patient").json()["total"] == 0


def test_outcome_speaks_the_clients_language(client, key):
    response = client.get(
        "/fhir/R4/Patient/999",
        headers={"Authorization": f"Bearer {key}"},
        HTTP_ACCEPT_LANGUAGE="bg",
    )

    assert "няма такъв ресурс" in response.json()["issue"][0]["diagnostics"]
