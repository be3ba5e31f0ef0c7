"""Every resource type the server emits round-trips through fhirclient's R4 models (strict
parse, then ``as_json`` equal to what was sent) — the ``Fhir`` client checks each body — and
says what the platform holds (issue 12, FHIR R4 API)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from interfaces.fhir.conftest import claim_body, eligibility_request, round_trip
from zdrave.interfaces.fhir import resources
from zdrave.providers.network import actions


@pytest.fixture
def member(contract):
    return contract.members.get()


@pytest.fixture
def asked(fhir, person):
    """The institution asked about ``person`` at its front desk: now its patient."""
    return fhir.post("CoverageEligibilityRequest", eligibility_request(person)).json()


def test_capability_statement_is_public_and_lists_every_resource(client):
    from interfaces.fhir.conftest import Fhir

    body = Fhir(client, None).get("metadata").json()

    assert body["fhirVersion"] == "4.0.1"
    kinds = {r["type"] for r in body["rest"][0]["resource"]}
    assert kinds == set(resources.RESOURCES)


def test_patient_with_egn_name_and_birth_date(fhir, person, asked):
    body = fhir.get(f"Patient/{person.pk}").json()

    assert body["identifier"] == [{"system": "urn:zdrave:sid:egn", "value": person.id_number}]
    assert (body["name"][0]["family"], body["birthDate"], body["gender"]) == (
        person.last_name,
        "1988-06-14",
        "female",
    )


def test_patient_search_by_identifier(fhir, person, asked):
    body = fhir.get("Patient", identifier=f"urn:zdrave:sid:egn|{person.id_number}").json()

    assert [e["resource"]["id"] for e in body["entry"]] == [str(person.pk)]


def test_organization_of_the_institution_and_the_insurer(fhir, institution):
    own = fhir.get(f"Organization/{institution.pk}").json()
    insurer = fhir.get("Organization/insurer").json()

    assert own["identifier"][0]["value"] == institution.eik
    assert own["type"][0]["coding"][0]["code"] == "prov"
    assert insurer["type"][0]["coding"][0]["code"] == "ins"


def test_practitioner_with_specialty(fhir, institution, relations):
    doctor = actions.add_doctor(
        institution, actor=relations, name="Д-р Иван Петров", specialty="cardiology"
    )

    body = fhir.get(f"Practitioner/{doctor.pk}").json()
    listed = fhir.get("Practitioner", organization=f"Organization/{institution.pk}").json()

    assert body["qualification"][0]["code"]["coding"][0]["code"] == "cardiology"
    assert listed["total"] == 1


def test_insurance_plan_from_the_product_file(fhir):
    """002 II.Б: package 2, option Пълна: a yearly limit of 10 000 лв. for the subscription form,
    5 112.92 EUR at 1.95583; 002 II.1: four specialist examinations a year."""
    body = fhir.get("InsurancePlan/health-2022-11-01").json()

    assert body["ownedBy"]["reference"] == "Organization/insurer"
    package = next(c for c in body["coverage"] if c["type"]["coding"][0]["code"] == "2")
    exam = next(b for b in package["benefit"] if b["type"]["coding"][0]["code"] == "2.1.a")
    assert exam["limit"][0]["value"]["value"] == 4
    full = next(p for p in body["plan"] if p["type"]["coding"][0]["code"] == "full")
    cost = next(c for c in full["generalCost"] if c["type"]["coding"][0]["code"] == "2")
    assert Decimal(str(cost["cost"]["value"])) == Decimal("5112.92")
    assert "002 II.Б" in cost["comment"]
    assert fhir.get("InsurancePlan").json()["total"] == len(resources.plan_versions())


def test_coverage_of_the_contract(fhir, member, contract, asked):
    body = fhir.get(f"Coverage/{member.pk}").json()

    assert body["status"] == "active"
    assert body["subscriberId"] == contract.number
    assert body["class"][0]["value"] == "health-2022-11-01"
    assert body["beneficiary"]["reference"] == f"Patient/{member.person_id}"


def test_eligibility_request_and_response_are_readable_again(fhir, asked):
    request = fhir.get(f"CoverageEligibilityRequest/{asked['id']}").json()
    response = fhir.get(f"CoverageEligibilityResponse/{asked['id']}").json()

    assert request["item"][0]["productOrService"]["coding"][0]["code"] == "2.1.b"
    assert response["insurance"][0]["item"][0]["benefit"][0]["allowedMoney"]["value"] == 60.0


def test_claim_claim_response_and_eob(fhir, institution, person, member):
    sent = claim_body(institution, person, member.pk)
    answer = fhir.post("Claim", sent).json()

    claim = fhir.get(f"Claim/{answer['id']}").json()
    response = fhir.get(f"ClaimResponse/{answer['id']}").json()
    eob = fhir.get(f"ExplanationOfBenefit/{answer['id']}").json()

    assert claim == {**sent, "id": answer["id"]}
    assert response == answer
    assert eob["claimResponse"]["reference"] == f"ClaimResponse/{answer['id']}"
    for kind in ("Claim", "ClaimResponse", "ExplanationOfBenefit", "Coverage", "Patient"):
        assert fhir.get(kind).json()["total"] >= 1


def test_the_operation_outcome_itself_round_trips(client):
    from interfaces.fhir.conftest import Fhir

    body = Fhir(client, None).get("Patient/1").json()

    assert round_trip(body)["resourceType"] == "OperationOutcome"
