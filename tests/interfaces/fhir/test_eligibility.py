"""CoverageEligibilityRequest → CoverageEligibilityResponse: the front desk's answer (the engine
on the real contract at the agreed price, issue 12), logged as the desk logs it."""

from __future__ import annotations

import pytest

from interfaces.fhir.conftest import eligibility_request
from zdrave.providers.network.models import EligibilityCheck


def benefits(body):
    item = body["insurance"][0]["item"][0]
    return {b["type"]["coding"][0]["code"]: b for b in item["benefit"]}, item


def test_covered_at_the_agreed_price_with_the_remaining_limit(fhir, person, contract):
    """002 II.Б: package 2 (Пълна, Б2): the insurer pays the agreed 60.00, no co-payment (002 II.Б
    т.3: 0 % under clause Б2), 5 112.92 EUR of the yearly limit left."""
    response = fhir.post("CoverageEligibilityRequest", eligibility_request(person))

    body = response.json()
    assert response.status_code == 200
    assert body["insurance"][0]["inforce"] is True
    assert body["insurance"][0]["coverage"]["reference"] == f"Coverage/{contract.members.get().pk}"
    item = body["insurance"][0]["item"][0]
    assert item["excluded"] is False
    assert item["authorizationRequired"] is False
    assert [b["allowedMoney"]["value"] for b in item["benefit"][:2]] == [60.0, 0.0]
    limit = item["benefit"][2]
    assert (limit["allowedMoney"]["value"], limit["type"]["text"].endswith("(002 II.Б)")) == (
        5112.92,
        True,
    )
    check = EligibilityCheck.objects.get()
    assert (check.via_api, check.person, str(check.pk)) == (True, person, body["id"])


def test_service_needing_pre_authorisation_says_so(fhir, person, contract):
    """The agreed price list flags 2.8.d for pre-authorisation (002 II; issue 12)."""
    body = fhir.post("CoverageEligibilityRequest", eligibility_request(person, "2.8.d")).json()

    item = body["insurance"][0]["item"][0]
    assert item["authorizationRequired"] is True
    assert "002 II; issue 12" in item["description"]


def test_operation_style_submit_answers_the_same(fhir, person, contract):
    body = fhir.post("CoverageEligibilityRequest/$submit", eligibility_request(person)).json()

    assert body["resourceType"] == "CoverageEligibilityResponse"


def test_person_without_a_contract_is_not_found_as_an_outcome(fhir, db):
    class Nobody:
        id_number = "7501020018"

    response = fhir.post("CoverageEligibilityRequest", eligibility_request(Nobody))

    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"


def test_bad_egn_is_422_naming_the_element(fhir, db):
    class Wrong:
        id_number = "1234567890"

    response = fhir.post("CoverageEligibilityRequest", eligibility_request(Wrong))

    issue = response.json()["issue"][0]
    assert response.status_code == 422
    assert issue["expression"] == ["patient.identifier.value"]
    assert not EligibilityCheck.objects.exists()


def test_unknown_service_is_422(fhir, person, contract):
    response = fhir.post("CoverageEligibilityRequest", eligibility_request(person, "9.9"))

    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == ["item[0].productOrService"]


@pytest.mark.parametrize("reference", ["Coverage/999999", "Coverage/abc", "Patient/1"])
def test_unknown_coverage_is_422_and_nothing_is_logged(fhir, person, contract, reference):
    body = eligibility_request(person, insurance=[{"coverage": {"reference": reference}}])

    response = fhir.post("CoverageEligibilityRequest", body)

    issue = response.json()["issue"][0]
    assert response.status_code == 422
    assert issue["code"] == "not-found"
    assert reference in issue["diagnostics"]
    assert not EligibilityCheck.objects.exists()


def test_two_services_in_one_request_are_refused(fhir, person, contract):
    body = eligibility_request(person)
    body["item"] = body["item"] * 2

    response = fhir.post("CoverageEligibilityRequest", body)

    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == ["item"]
