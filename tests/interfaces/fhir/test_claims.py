"""Claim → ClaimResponse (issue 12): each line decided at the institution's agreed price (004
Чл.29 т.11: no more than the agreed price); a double submit makes one record."""

from __future__ import annotations

from interfaces.fhir.conftest import claim_body
from zdrave.interfaces.fhir.models import ClaimExchange


def adjudication(item):
    return {a["category"]["coding"][0]["code"]: a["amount"]["value"] for a in item["adjudication"]}


def test_claim_paid_at_the_agreed_price_and_pre_authorisation_line_refused(
    fhir, institution, person, contract
):
    member = contract.members.get()
    body = claim_body(institution, person, member.pk, items=[("2.1.b", "70.00"), ("2.8.d", "120")])

    response = fhir.post("Claim", body)

    answer = response.json()
    assert response.status_code == 201
    first, second = answer["item"]
    assert adjudication(first) == {
        "submitted": 70.0,
        "eligible": 60.0,
        "copay": 0.0,
        "benefit": 60.0,
    }
    assert adjudication(second)["benefit"] == 0.0
    assert "002 II; issue 12" in answer["processNote"][0]["text"]
    assert [t["amount"]["value"] for t in answer["total"]] == [190.0, 60.0]
    eob = fhir.get(f"ExplanationOfBenefit/{answer['id']}").json()
    assert eob["payment"]["amount"]["value"] == 60.0


def test_bill_below_the_agreed_price_pays_the_bill(fhir, institution, person, contract):
    member = contract.members.get()

    answer = fhir.post("Claim", claim_body(institution, person, member.pk, items=[("2.1.b", "50")]))

    assert adjudication(answer.json()["item"][0])["benefit"] == 50.0


def test_double_submit_creates_one_record(fhir, institution, person, contract):
    body = claim_body(institution, person, contract.members.get().pk)

    first = fhir.post("Claim", body)
    again = fhir.post("Claim", body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert ClaimExchange.objects.count() == 1


def test_claim_for_another_provider_is_403(fhir, institution, other_institution, person, contract):
    body = claim_body(other_institution, person, contract.members.get().pk)

    response = fhir.post("Claim", body)

    assert response.status_code == 403
    assert response.json()["issue"][0]["expression"] == ["provider"]
    assert not ClaimExchange.objects.exists()


def test_unknown_coverage_on_a_claim_is_422(fhir, institution, person, contract):
    response = fhir.post("Claim", claim_body(institution, person, 999999))

    assert response.status_code == 422
    assert "Coverage/999999" in response.json()["issue"][0]["diagnostics"]
    assert not ClaimExchange.objects.exists()


def test_claim_without_amount_is_422(fhir, institution, person, contract):
    body = claim_body(institution, person, contract.members.get().pk)
    del body["item"][0]["net"]

    response = fhir.post("Claim", body)

    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == ["item[0].net"]


def test_predetermination_is_not_supported(fhir, institution, person, contract):
    body = claim_body(institution, person, contract.members.get().pk, use="predetermination")

    response = fhir.post("Claim", body)

    assert response.status_code == 422
    assert response.json()["issue"][0]["code"] == "not-supported"
