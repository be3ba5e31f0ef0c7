"""Claim → ClaimResponse (issue 12). ``use = claim``: each item a provider claim of
``providers.settlement`` on the institution's eligibility check, priced at the agreed price
(004 Чл.29 т.11) and decided by the engine. ``use = preauthorization``: a pre-authorisation
request in the medical expert's queue; the approval's guarantee letter is the ClaimResponse's
``preAuthRef``. A double submit makes one record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.factories import make_user
from interfaces.fhir.conftest import claim_body
from zdrave.base.identity.models import Role
from zdrave.claims.models import ClaimStatus
from zdrave.interfaces.fhir.models import ClaimExchange
from zdrave.providers.network.models import EligibilityCheck
from zdrave.providers.preauth import actions as preauth
from zdrave.providers.preauth.models import PreauthRequest, RequestStatus
from zdrave.providers.settlement.models import Channel, ProviderClaim


def adjudication(item):
    return {a["category"]["coding"][0]["code"]: a["amount"]["value"] for a in item["adjudication"]}


@pytest.fixture
def member(contract):
    return contract.members.get()


def test_claim_becomes_a_provider_claim_paid_at_the_agreed_price(fhir, institution, person, member):
    """The bill (70.00) is above the agreed price (60.00): 004 Чл.29 т.11 pays the agreed price;
    clause Б2 has no co-payment (002 II.Б т.3)."""
    response = fhir.post(
        "Claim", claim_body(institution, person, member.pk, items=[("2.1.b", "70")])
    )

    answer = response.json()
    assert response.status_code == 201
    assert answer["outcome"] == "complete"
    (item,) = answer["item"]
    assert adjudication(item) == {
        "submitted": 70.0,
        "eligible": 60.0,
        "copay": 0.0,
        "benefit": 60.0,
    }
    billed = ProviderClaim.objects.get()
    assert (billed.channel, billed.reference, billed.billed) == (
        Channel.API,
        "INV-1",
        Decimal("70.00"),
    )
    assert billed.eligibility_check.via_api
    eob = fhir.get(f"ExplanationOfBenefit/{answer['id']}").json()
    assert eob["payment"]["amount"]["value"] == 60.0
    assert eob["insurance"][0]["coverage"]["reference"] == f"Coverage/{member.pk}"


def test_claim_uses_the_check_the_desk_already_made(fhir, institution, person, member):
    from interfaces.fhir.conftest import eligibility_request

    asked = fhir.post("CoverageEligibilityRequest", eligibility_request(person)).json()

    fhir.post("Claim", claim_body(institution, person, member.pk))

    assert str(ProviderClaim.objects.get().eligibility_check_id) == asked["id"]
    assert EligibilityCheck.objects.count() == 1


def test_two_items_are_two_provider_claims_and_a_possible_duplicate_waits(
    fhir, institution, person, member
):
    """The same service, day and amount twice: the claims engine's duplicate rule holds the
    second for an adjuster; the ClaimResponse is ``partial`` until they decide."""
    body = claim_body(institution, person, member.pk, items=[("2.1.b", "60"), ("2.1.b", "60")])

    answer = fhir.post("Claim", body).json()

    assert [r.reference for r in ProviderClaim.objects.order_by("pk")] == ["INV-1-1", "INV-1-2"]
    assert answer["outcome"] == "partial"
    assert [i["itemSequence"] for i in answer["item"]] == [1]
    assert [t["category"]["coding"][0]["code"] for t in answer["total"]] == ["submitted"]
    assert str(ClaimStatus.REFERRED_ADJUSTER.label) in answer["disposition"]


def test_service_needing_pre_authorisation_cannot_be_billed_directly(
    fhir, institution, person, member
):
    body = claim_body(institution, person, member.pk, items=[("2.1.b", "60"), ("2.8.d", "120")])

    response = fhir.post("Claim", body)

    issue = response.json()["issue"][0]
    assert response.status_code == 422
    assert issue["expression"] == ["item[1]"]
    assert "guarantee letter" in issue["diagnostics"]
    assert not ClaimExchange.objects.exists()
    assert not ProviderClaim.objects.exists()


def test_pre_authorisation_is_queued_then_carries_the_guarantee_letter(
    fhir, institution, person, member
):
    planned = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    body = claim_body(
        institution,
        person,
        member.pk,
        use="preauthorization",
        number="PA-1",
        items=[("2.8.d", "300")],
        date=planned,
    )

    queued = fhir.post("Claim", body).json()

    request = PreauthRequest.objects.get()
    assert (queued["outcome"], request.status, request.service) == (
        "queued",
        RequestStatus.SUBMITTED,
        "2.8.d",
    )
    assert "item" not in queued
    expert = make_user("doctor", Role.MEDICAL_EXPERT, email="expert@insurer.bg")
    letter = preauth.approve_request(request, actor=expert, amount=Decimal("300.00"))

    decided = fhir.get(f"ClaimResponse/{queued['id']}").json()
    eob = fhir.get(f"ExplanationOfBenefit/{queued['id']}").json()

    assert decided["outcome"] == "complete"
    assert decided["preAuthRef"] == letter.number
    assert decided["preAuthPeriod"]["end"] == letter.valid_until.isoformat()
    assert adjudication(decided["item"][0])["benefit"] == 300.0
    assert eob["use"] == "preauthorization"
    assert eob["preAuthRef"] == [letter.number]
    assert "payment" not in eob


def test_pre_authorisation_for_a_service_that_needs_none_is_422(fhir, institution, person, member):
    planned = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    body = claim_body(
        institution,
        person,
        member.pk,
        use="preauthorization",
        items=[("2.1.b", "60")],
        date=planned,
    )

    response = fhir.post("Claim", body)

    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == ["item[0].productOrService"]
    assert not PreauthRequest.objects.exists()


def test_double_submit_creates_one_record(fhir, institution, person, member):
    body = claim_body(institution, person, member.pk)

    first = fhir.post("Claim", body)
    again = fhir.post("Claim", body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert (ClaimExchange.objects.count(), ProviderClaim.objects.count()) == (1, 1)


def test_claim_for_another_provider_is_403(fhir, institution, other_institution, person, member):
    response = fhir.post("Claim", claim_body(other_institution, person, member.pk))

    assert response.status_code == 403
    assert response.json()["issue"][0]["expression"] == ["provider"]
    assert not ClaimExchange.objects.exists()


def test_unknown_coverage_on_a_claim_is_422(fhir, institution, person, member):
    response = fhir.post("Claim", claim_body(institution, person, 999999))

    assert response.status_code == 422
    assert "Coverage/999999" in response.json()["issue"][0]["diagnostics"]
    assert not ClaimExchange.objects.exists()


@pytest.mark.parametrize(
    ("drop", "expression"),
    [("net", "item[0].net"), ("diagnosis", "diagnosis"), ("identifier", "identifier")],
)
def test_claim_missing_a_field_is_422_naming_it(
    fhir, institution, person, member, drop, expression
):
    body = claim_body(institution, person, member.pk)
    if drop == "net":
        del body["item"][0]["net"]
    else:
        del body[drop]

    response = fhir.post("Claim", body)

    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == [expression]
    assert not ProviderClaim.objects.exists()


def test_predetermination_is_not_supported(fhir, institution, person, member):
    body = claim_body(institution, person, member.pk, use="predetermination")

    response = fhir.post("Claim", body)

    assert response.status_code == 422
    assert response.json()["issue"][0]["code"] == "not-supported"
