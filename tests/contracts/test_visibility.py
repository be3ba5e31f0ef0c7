"""Which contracts and people each user sees (zdrave.contracts.visibility), asserted through
the pages and directly."""

import datetime as dt

import pytest

from contracts.factories import make_user
from zdrave.base.identity.models import Role
from zdrave.contracts.visibility import (
    can_view_contract,
    can_view_health_data,
    can_view_person,
    visible_contracts,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_member_cannot_open_another_persons_contract(client, world):
    client.force_login(world.maria)
    assert client.get("/policies/I-1/").status_code == 200
    response = client.get("/policies/F-1/")
    assert response.status_code == 404
    assert "Иван" not in response.content.decode()
    assert client.get("/policies/G-1/").status_code == 404


def test_unknown_and_forbidden_contracts_look_the_same(client, world):
    client.force_login(world.maria)
    assert client.get("/policies/NO-SUCH/").status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get("/policies/I-1/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/policies/I-1/"


def test_family_holder_sees_the_family_on_the_contract(client, world):
    client.force_login(world.ivan)
    page = client.get("/policies/F-1/").content.decode()
    for name in ("Иван Димитров", "Елена Димитрова", "Ния Димитрова", "Александър Димитров"):
        assert name in page
    assert (
        "Пакет 2 — Извънболнична медицинска помощ · опция Луксозна · Клауза Б2 (без самоучастие)"
        in page
    )


def test_spouse_sees_the_contract_but_only_herself_on_it(client, world):
    client.force_login(world.elena)
    page = client.get("/policies/F-1/").content.decode()
    assert "Елена Димитрова" in page
    assert "Ния Димитрова" not in page
    assert "Александър Димитров" not in page


def test_health_data_of_family_members(world):
    """The holder sees a minor child's health data, not that of an adult spouse or a student."""
    elena_person = world.elena.insured_person
    assert can_view_health_data(world.ivan, world.child, today=TODAY)
    assert not can_view_health_data(world.ivan, elena_person, today=TODAY)
    assert not can_view_health_data(world.ivan, world.student, today=TODAY)
    assert can_view_health_data(world.elena, elena_person, today=TODAY)
    assert not can_view_health_data(world.elena, world.child, today=TODAY)  # not the holder
    assert can_view_person(world.ivan, elena_person)
    assert not can_view_person(world.maria, elena_person)


def test_employer_sees_group_people_but_not_their_health_data(client, world):
    assert list(visible_contracts(world.employer).values_list("number", flat=True)) == ["G-1"]
    assert can_view_person(world.employer, world.employee)
    assert not can_view_health_data(world.employer, world.employee)
    assert not can_view_person(world.employer, world.child)
    client.force_login(world.employer)
    assert client.get("/policies/G-1/").status_code == 200
    assert client.get("/policies/F-1/").status_code == 404


@pytest.mark.parametrize(
    ("role", "contracts", "health"),
    [
        (Role.UNDERWRITER, True, True),
        (Role.CLAIMS_ADJUSTER, True, True),
        (Role.MEDICAL_EXPERT, True, True),
        (Role.SERVICE_COORDINATOR, True, False),
        (Role.ADMINISTRATOR, True, False),
        (Role.PARTNER, False, False),
        (Role.SPECIALIST, False, False),
    ],
)
def test_insurer_staff_by_role(world, role, contracts, health):
    user = make_user(f"u-{role}", role)
    assert can_view_contract(user, world.family) is contracts
    assert can_view_person(user, world.child) is contracts
    assert can_view_health_data(user, world.child) is health


def test_inactive_user_sees_nothing(world):
    world.maria.is_active = False
    world.maria.save()
    assert not can_view_contract(world.maria, world.individual)
