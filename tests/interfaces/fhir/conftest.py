"""FHIR API tests: the provider network's fixtures (an institution with agreed prices, its
front-desk user, a member with a health contract in force) plus API keys for two institutions,
and a client that speaks application/fhir+json and checks every body against the R4 models."""

from __future__ import annotations

import json

import pytest
from fhirclient.models.fhirelementfactory import FHIRElementFactory

from base.messages import compile_app_messages
from contracts.factories import compile_messages
from providers.network import conftest as network
from zdrave.providers.network import actions

# The provider network's fixtures, used here as they are.
_fast = network._fast
relations = network.relations
institution = network.institution
other_institution = network.other_institution
clinic = network.clinic
other_clinic = network.other_clinic
member_user = network.member_user
contract = network.contract
person = network.person

BASE = "/fhir/R4/"


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    for app in ("claims", "providers", "interfaces/fhir"):
        compile_app_messages(app)


FHIR_JSON = "application/fhir+json"


def round_trip(body: dict) -> dict:
    """``body`` parsed by fhirclient's R4 model (strict) and written back; must be equal."""
    model = FHIRElementFactory.instantiate(body["resourceType"], None)
    assert type(model).__name__ == body["resourceType"]
    model.update_with_json(body)
    assert model.as_json() == body
    return body


class Fhir:
    def __init__(self, client, key: str | None):
        self.client = client
        # Messages in English, so tests can name them (the Bulgarian ones: test_refusals).
        self.headers = {"Accept-Language": "en"}
        if key:
            self.headers["Authorization"] = f"Bearer {key}"

    def get(self, path: str, **params):
        response = self.client.get(BASE + path, params, headers=self.headers)
        return self._checked(response)

    def post(self, path: str, body, *, raw: bool = False):
        data = body if raw else json.dumps(body)
        response = self.client.post(BASE + path, data, content_type=FHIR_JSON, headers=self.headers)
        return self._checked(response)

    @staticmethod
    def _checked(response):
        assert response["Content-Type"].startswith(FHIR_JSON)
        round_trip(response.json())
        return response


@pytest.fixture
def key(clinic):
    return actions.issue_token(actor=clinic)[1]


@pytest.fixture
def other_key(other_clinic):
    return actions.issue_token(actor=other_clinic)[1]


@pytest.fixture
def fhir(client, key):
    return Fhir(client, key)


@pytest.fixture
def other_fhir(client, other_key):
    return Fhir(client, other_key)


def eligibility_request(person, service="2.1.b", **extra) -> dict:
    return {
        "resourceType": "CoverageEligibilityRequest",
        "status": "active",
        "purpose": ["benefits"],
        "patient": {"identifier": {"system": "urn:zdrave:sid:egn", "value": person.id_number}},
        "created": "2026-12-03",
        "insurer": {"reference": "Organization/insurer"},
        "item": [
            {"productOrService": {"coding": [{"system": "urn:zdrave:cs:service", "code": service}]}}
        ],
        **extra,
    }


def claim_body(
    institution, person, coverage_id, *, use="claim", number="INV-1", items=None, **extra
) -> dict:
    items = items or [("2.1.b", "60.00")]
    return {
        "resourceType": "Claim",
        "identifier": [{"system": "urn:zdrave:sid:provider-claim", "value": number}],
        "status": "active",
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/claim-type",
                    "code": "professional",
                }
            ]
        },
        "use": use,
        "patient": {"identifier": {"system": "urn:zdrave:sid:egn", "value": person.id_number}},
        "created": "2026-12-03",
        "provider": {"reference": f"Organization/{institution.pk}"},
        "diagnosis": [
            {
                "sequence": 1,
                "diagnosisCodeableConcept": {
                    "coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "M51.1"}]
                },
            }
        ],
        "priority": {"coding": [{"code": "normal"}]},
        "insurance": [
            {"sequence": 1, "focal": True, "coverage": {"reference": f"Coverage/{coverage_id}"}}
        ],
        "item": [
            {
                "sequence": n,
                "productOrService": {"coding": [{"system": "urn:zdrave:cs:service", "code": code}]},
                "servicedDate": extra.pop("date", None) or _today(),
                "net": {"value": float(amount), "currency": "EUR"},
            }
            for n, (code, amount) in enumerate(items, start=1)
        ],
        **extra,
    }


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()
