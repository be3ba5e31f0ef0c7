"""The front desk (issue 12): a provider user types the patient's ЕГН and the service and is
told covered / not covered / co-payment / pre-authorisation, with the remaining limit and the
clause, from the engine and the real contract; every check is logged; only their own
institution."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.factories import make_user
from zdrave.base.audit.models import AuditEvent
from zdrave.base.identity.models import Role
from zdrave.contracts import actions as contract_actions
from zdrave.providers.network import actions, fetch
from zdrave.providers.network.models import EligibilityCheck, Verdict

URL = "/providers/front-desk/"


def post(client, user, **data):
    client.force_login(user)
    form = {"egn": "", "card": "", "service": "2.1.b", "day": timezone.localdate().isoformat()}
    return client.post(URL, {**form, **data})


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_covered_with_the_remaining_limit_and_clause(client, clinic, person):
    response = post(client, clinic, egn=person.id_number)

    body = text(response)
    assert response.status_code == 200
    assert "Покрито" in body
    assert person.full_name in body
    # 002 II.Б: option Пълна, 10 000 лв = 5 112,92 EUR a year in the subscription form.
    assert "5 112,92 € остават от 5 112,92 €" in body
    assert "002 II.Б" in body


def test_each_check_is_logged_who_asked_about_whom(client, clinic, person, institution):
    post(client, clinic, egn=person.id_number)

    check = EligibilityCheck.objects.get()
    assert (check.asked_by, check.institution, check.person) == (clinic, institution, person)
    assert (check.service, check.verdict, check.looked_up_by) == ("2.1.b", "covered", "egn")
    assert check.insurer_pays == Decimal("60.00")
    view = AuditEvent.objects.get(verb="eligibility_check")
    assert (view.actor, view.object_id) == (clinic, str(person.pk))
    assert view.details["institution"] == institution.pk


def test_a_limited_row_is_not_covered_in_the_subscription_form_002_II_bel1(
    client, clinic, person, relations, institution
):
    actions.set_price(institution, actor=relations, service="2.1.a", price=Decimal("40.00"))

    body = text(post(client, clinic, egn=person.id_number, service="2.1.a"))

    assert "Не се покрива" in body
    assert "002 II бел.*" in body


def test_flagged_row_needs_pre_authorisation(client, clinic, person):
    body = text(post(client, clinic, egn=person.id_number, service="2.8.d"))

    assert "Нужно е предварително одобрение" in body


def test_nobody_with_that_egn(client, clinic, person):
    other = "8001010008"  # a valid ЕГН nobody has
    body = text(post(client, clinic, egn=other))

    assert "Няма намерено застраховано лице" in body
    assert EligibilityCheck.objects.get().person is None
    assert not AuditEvent.objects.filter(verb="eligibility_check").exists()


@pytest.mark.parametrize(
    ("egn", "words"),
    [
        pytest.param("12345", "точно 10 цифри", id="egn-length"),
        pytest.param("8001010007", "контролната цифра", id="egn-check-digit"),
        pytest.param("", "ЕГН", id="egn-or-card-required"),
    ],
)
def test_bad_egn_is_a_clear_message_not_a_500(client, clinic, person, egn, words):
    response = post(client, clinic, egn=egn)

    assert response.status_code == 400
    assert words in text(response)
    assert not EligibilityCheck.objects.exists()


def test_terminated_contract_is_not_covered_004_chl29_t9(client, clinic, person, contract):
    contract_actions.terminate_contract(contract, on=timezone.localdate(), reason="mutual", by=None)

    body = text(post(client, clinic, egn=person.id_number))

    assert "Не се покрива" in body
    assert "Чл.29 т.9" in body


def test_card_numbers_go_through_the_registered_resolver(client, clinic, person):
    fetch.register_card_resolver(lambda number: person if number == "ZC-0001" else None)
    try:
        body = text(post(client, clinic, card="ZC-0001"))
    finally:
        fetch.register_card_resolver(fetch._no_cards)

    assert "Покрито" in body
    assert EligibilityCheck.objects.get().looked_up_by == "card"


def test_card_query_parameter_fills_the_form(client, clinic):
    client.force_login(clinic)

    response = client.get(URL + "?card=ZC-0042")

    assert 'value="ZC-0042"' in response.content.decode()


def test_provider_sees_only_own_institutions_checks(
    client, clinic, other_clinic, person, other_institution, institution
):
    post(client, clinic, egn=person.id_number)
    client.logout()
    client.force_login(other_clinic)

    body = text(client.get(URL))

    assert other_institution.name in body
    assert person.full_name not in body
    assert institution.name not in body


@pytest.mark.parametrize(
    "role",
    [
        Role.MEMBER,
        Role.EMPLOYER,
        Role.UNDERWRITER,
        Role.CLAIMS_ADJUSTER,
        Role.MEDICAL_EXPERT,
        Role.ADMINISTRATOR,
        Role.PARTNER,
        Role.SPECIALIST,
    ],
)
def test_other_roles_are_refused_the_front_desk(client, db, role, person):
    user = make_user(f"u-{role}", role)
    client.force_login(user)

    response = client.post(URL, {"egn": person.id_number, "service": "2.1.b"})

    assert response.status_code == 403
    assert person.full_name not in response.content.decode()
    assert not EligibilityCheck.objects.exists()


def test_provider_without_an_institution_is_refused(client, db, person):
    user = make_user("loose", Role.PROVIDER)
    client.force_login(user)

    assert client.post(URL, {"egn": person.id_number, "service": "2.1.b"}).status_code == 403
    assert not EligibilityCheck.objects.exists()


def test_anonymous_goes_to_log_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_day_outside_the_contract_is_not_covered(client, clinic, person):
    later = timezone.localdate() + dt.timedelta(days=400)

    body = text(post(client, clinic, egn=person.id_number, day=later.isoformat()))

    assert "Не се покрива" in body
    assert EligibilityCheck.objects.get().verdict == Verdict.NOT_COVERED
