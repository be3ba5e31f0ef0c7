"""Members search the network by city and specialty (004 Чл.24 т.4: "ЗАСТРАХОВАНИЯТ има право
да получи от ЗАСТРАХОВАТЕЛЯ информация за изпълнителите на медицинска помощ, с които
ЗАСТРАХОВАТЕЛЯТ има сключени договори" — name, address, phone)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from contracts.factories import make_user
from providers.network.conftest import eik, institution_data
from zdrave.base.identity.models import Role
from zdrave.providers.network import actions

URL = "/providers/"


@pytest.fixture
def network(institution, other_institution, relations):
    actions.add_doctor(
        other_institution, actor=relations, name="Д-р Кардио", specialty="cardiology"
    )
    return institution, other_institution


def names(response) -> str:
    return response.content.decode()


def test_member_finds_by_city_and_specialty(client, member_user, network):
    sofia, plovdiv = network
    client.force_login(member_user)

    in_sofia = names(client.get(URL, {"city": "София", "specialty": "imaging"}))
    cardiology = names(client.get(URL, {"specialty": "cardiology"}))
    nothing = names(client.get(URL, {"city": "Пловдив", "specialty": "imaging"}))

    assert sofia.name in in_sofia
    assert plovdiv.name not in in_sofia
    assert sofia.address in in_sofia
    assert sofia.phone in in_sofia
    # A doctor's specialty counts for the institution (Plovdiv has a cardiologist).
    assert sofia.name in cardiology
    assert plovdiv.name in cardiology
    assert "Няма лечебно заведение от мрежата" in nothing


def test_an_institution_that_left_is_not_listed(client, member_user, network, relations):
    sofia, _plovdiv = network
    actions.leave_network(sofia, actor=relations, effective=timezone.localdate())
    client.force_login(member_user)

    assert sofia.name not in names(client.get(URL))
    assert client.get(f"{URL}{sofia.pk}/").status_code == 404


def test_prices_are_not_shown_to_members(client, member_user, network):
    sofia, _ = network
    client.force_login(member_user)

    page = names(client.get(f"{URL}{sofia.pk}/"))

    assert sofia.name in page
    assert "60,00" not in page


def test_a_future_member_of_the_network_is_not_listed_yet(client, member_user, relations):
    later = actions.add_institution(
        actor=relations,
        **institution_data(
            eik=eik("20312345"), agreement_from=timezone.localdate() + dt.timedelta(days=5)
        ),
    )
    client.force_login(member_user)

    assert later.name not in names(client.get(URL))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        pytest.param(Role.MEMBER, 200, id="member"),
        pytest.param(Role.UNDERWRITER, 200, id="underwriter"),
        pytest.param(Role.ADMINISTRATOR, 200, id="administrator"),
        pytest.param(Role.PROVIDER, 403, id="provider-sees-only-own-institution"),
        pytest.param(Role.PARTNER, 403, id="partner"),
        pytest.param(Role.EMPLOYER, 403, id="employer"),
    ],
)
def test_who_may_search(client, db, network, role, status):
    user = make_user(f"u-{role}", role)
    client.force_login(user)

    assert client.get(URL).status_code == status
