#!/usr/bin/env python3
"""A hospital system talking to Zdrave's FHIR R4 API, end to end (issue 12, docs/fhir.md).

    python scripts/fhir_client_demo.py --base http://127.0.0.1:8000/fhir/R4/ \\
        --key zdp_… --egn 8806140030 --eik 131456782

1. reads the CapabilityStatement (``metadata``) and finds its own Organization by ЕИК;
2. asks whether the patient is covered for the service (CoverageEligibilityRequest →
   CoverageEligibilityResponse);
3. asks for pre-authorisation of a service that needs it (Claim, use=preauthorization →
   ClaimResponse ``queued`` until the insurer's medical expert decides);
4. bills the service it gave (Claim, use=claim → ClaimResponse, decided by the engine);
5. reads the ExplanationOfBenefit of the bill.

Every answer is parsed by fhirclient's R4 models (strict), as a hospital's client would. Only
the standard library speaks HTTP. Point it at a server on this machine only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import urllib.error
import urllib.request
import uuid
from zoneinfo import ZoneInfo

from fhirclient.models.fhirelementfactory import FHIRElementFactory

FHIR_JSON = "application/fhir+json"
SERVICE = "urn:zdrave:cs:service"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
SOFIA = ZoneInfo("Europe/Sofia")


class Client:
    def __init__(self, base: str, key: str):
        self.base = base if base.endswith("/") else base + "/"
        self.key = key

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - the base URL is the operator's
            self.base + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.key}",
                "Accept": FHIR_JSON,
                "Content-Type": FHIR_JSON,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                status, payload = response.status, json.load(response)
        except urllib.error.HTTPError as error:
            status, payload = error.code, json.load(error)
        model = FHIRElementFactory.instantiate(payload["resourceType"], None)
        model.update_with_json(payload)  # strict: raises on anything that is not R4
        return status, payload

    def expect(self, method: str, path: str, body: dict | None = None) -> dict:
        status, payload = self.call(method, path, body)
        if status >= 400:
            issue = payload.get("issue", [{}])[0]
            raise SystemExit(f"{method} {path}: {status} {issue.get('diagnostics')}")
        return payload


def patient_by_egn(egn: str) -> dict:
    return {"identifier": {"system": "urn:zdrave:sid:egn", "value": egn}}


def claim(use, organization, egn, service, day, amount, number, diagnosis) -> dict:
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
        "patient": patient_by_egn(egn),
        "created": dt.datetime.now(SOFIA).date().isoformat(),
        "provider": {"reference": f"Organization/{organization}"},
        "priority": {"coding": [{"code": "normal"}]},
        "diagnosis": [
            {
                "sequence": 1,
                "diagnosisCodeableConcept": {"coding": [{"system": ICD10, "code": diagnosis}]},
            }
        ],
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": "Coverage/0"}}],
        "item": [
            {
                "sequence": 1,
                "productOrService": {"coding": [{"system": SERVICE, "code": service}]},
                "servicedDate": day.isoformat(),
                "net": {"value": amount, "currency": "EUR"},
            }
        ],
    }


def run(
    base: str,
    key: str,
    egn: str,
    eik: str,
    *,
    service: str = "2.1.b",
    amount: float = 60.0,
    preauth_service: str = "2.8.d",
    preauth_amount: float = 300.0,
    diagnosis: str = "M51.1",
    out=sys.stdout,
) -> dict:
    """The whole exchange; returns every answer by step name."""
    client = Client(base, key)
    found: dict = {"metadata": client.expect("GET", "metadata")}
    orgs = client.expect("GET", f"Organization?identifier=urn:zdrave:sid:eik|{eik}")
    organization = orgs["entry"][0]["resource"]["id"]
    print(f"Organization/{organization}: {orgs['entry'][0]['resource']['name']}", file=out)

    today = dt.datetime.now(SOFIA).date()
    asked = client.expect(
        "POST",
        "CoverageEligibilityRequest",
        {
            "resourceType": "CoverageEligibilityRequest",
            "status": "active",
            "purpose": ["benefits"],
            "patient": patient_by_egn(egn),
            "created": today.isoformat(),
            "servicedDate": today.isoformat(),
            "insurer": {"reference": "Organization/insurer"},
            "item": [{"productOrService": {"coding": [{"system": SERVICE, "code": service}]}}],
        },
    )
    found["eligibility"] = asked
    insurance = asked["insurance"][0]
    coverage = insurance["coverage"]["reference"]
    print(f"{service}: {asked['disposition']} ({coverage})", file=out)

    run_id = uuid.uuid4().hex[:8]
    body = claim(
        "preauthorization", organization, egn, preauth_service,
        today + dt.timedelta(days=3), preauth_amount, f"PA-{run_id}", diagnosis,
    )  # fmt: skip
    body["insurance"][0]["coverage"]["reference"] = coverage
    found["preauthorization"] = client.expect("POST", "Claim", body)
    print(
        f"pre-authorisation of {preauth_service}: {found['preauthorization']['outcome']} "
        f"({found['preauthorization'].get('disposition', '')})",
        file=out,
    )

    body = claim("claim", organization, egn, service, today, amount, f"INV-{run_id}", diagnosis)
    body["insurance"][0]["coverage"]["reference"] = coverage
    response = client.expect("POST", "Claim", body)
    found["claim_response"] = response
    total = {t["category"]["coding"][0]["code"]: t["amount"]["value"] for t in response["total"]}
    print(
        f"claim {response['id']}: {response['outcome']}, insurer pays {total.get('benefit')} EUR",
        file=out,
    )

    eob = client.expect("GET", f"ExplanationOfBenefit/{response['id']}")
    found["eob"] = eob
    print(f"EOB {eob['id']}: payment {eob.get('payment', {}).get('amount')}", file=out)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000/fhir/R4/")
    parser.add_argument("--key", required=True, help="the institution's API key (zdp_…)")
    parser.add_argument("--egn", required=True, help="the patient's ЕГН")
    parser.add_argument("--eik", required=True, help="the institution's ЕИК")
    parser.add_argument("--service", default="2.1.b")
    parser.add_argument("--amount", type=float, default=60.0)
    args = parser.parse_args(argv)
    run(args.base, args.key, args.egn, args.eik, service=args.service, amount=args.amount)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
