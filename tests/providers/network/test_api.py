"""``/api/v1/eligibility/`` (issue 12): the front desk's question for a hospital system, with
the provider user's key; the same answer and the same log as the page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zdrave.providers.network import actions
from zdrave.providers.network.models import EligibilityCheck

URL = "/api/v1/eligibility/"


@pytest.fixture
def key(clinic):
    return actions.issue_token(actor=clinic)[1]


def ask(client, key, **params):
    return client.get(URL, params, headers={"Authorization": f"Bearer {key}"})


def test_covered_with_remaining_limit_and_clause(client, key, person):
    response = ask(client, key, egn=person.id_number, service="2.1.b")

    body = response.json()
    assert response.status_code == 200
    assert body["verdict"] == "covered"
    assert body["insured"] == person.full_name
    assert Decimal(body["insurer_pays"]) == Decimal("60.00")
    assert Decimal(body["member_pays"]) == Decimal("0.00")
    (limit,) = body["limits"]
    assert (Decimal(limit["left"]), limit["clause"]) == (Decimal("5112.92"), "002 II.Б")
    check = EligibilityCheck.objects.get()
    assert check.via_api
    assert check.person == person


def test_pre_authorisation_and_reasons_with_clauses(client, key, person):
    body = ask(client, key, egn=person.id_number, service="2.8.d").json()

    assert body["verdict"] == "preauthorisation"
    last = body["reasons"][-1]
    assert (last["code"], last["clause"]) == ("needs-preauthorisation", "002 II; issue 12")
    assert "предварително одобрение" in last["text"]


def test_bad_egn_is_422_naming_the_field(client, key):
    response = ask(client, key, egn="1234567890", service="2.1.b")

    assert response.status_code == 422
    assert "egn" in response.json()["errors"]
    assert not EligibilityCheck.objects.exists()


def test_unknown_service_is_422(client, key, person):
    response = ask(client, key, egn=person.id_number, service="9.9")

    assert response.status_code == 422
    assert "service" in response.json()["errors"]


@pytest.mark.parametrize("header", ["", "Bearer nonsense", "Token x"])
def test_without_a_valid_key_401_and_nothing_logged(client, db, person, header):
    response = client.get(
        URL, {"egn": person.id_number, "service": "2.1.b"}, headers={"Authorization": header}
    )

    assert response.status_code == 401
    assert person.full_name not in response.content.decode()
    assert not EligibilityCheck.objects.exists()


def test_a_revoked_key_is_refused(client, clinic, key, person):
    actions.revoke_token(clinic.provider_tokens.get(), actor=clinic)

    assert ask(client, key, egn=person.id_number, service="2.1.b").status_code == 401


def test_a_key_of_a_user_moved_off_the_provider_role_is_refused(client, clinic, key, person):
    clinic.role = "member"
    clinic.save(update_fields=["role"])

    assert ask(client, key, egn=person.id_number, service="2.1.b").status_code == 401


def test_the_key_acts_for_its_own_institution(client, other_clinic, other_institution, person):
    other_key = actions.issue_token(actor=other_clinic)[1]

    body = ask(client, other_key, egn=person.id_number, service="2.1.b").json()

    # The other institution has no price for the row: covered up to the limit, logged there.
    assert body["agreed_price"] is None
    assert EligibilityCheck.objects.get().institution == other_institution


def test_session_log_in_is_not_enough(client, clinic, person):
    client.force_login(clinic)

    assert client.get(URL, {"egn": person.id_number, "service": "2.1.b"}).status_code == 401


def test_the_key_names_its_institution(client, key, institution):
    body = client.get(URL + "key", headers={"Authorization": f"Bearer {key}"}).json()

    assert body == {"institution": institution.name, "user": "desk"}
