"""Provider network tests: the real product terms, an institution in Sofia serving packages 1
and 2 with agreed prices, its front-desk user, and a member with a health contract in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from stdnum.bg import vat

from base.messages import compile_app_messages
from contracts.factories import compile_messages, contract_with, make_user
from zdrave.base.identity.models import Role
from zdrave.providers.network import actions


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    for app in ("claims", "providers/network"):
        compile_app_messages(app)


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def eik(body: str) -> str:
    return body + vat.calc_check_digit_legal(body)


def institution_data(**overrides) -> dict:
    data = {
        "name": "МЦ „Тест“",
        "eik": eik("13145678"),
        "address": "бул. „Витоша“ 1",
        "city": "София",
        "phone": "+359 2 111 222",
        "email": "",
        "specialties": ["cardiology", "imaging"],
        "packages": [1, 2],
        "agreement_from": timezone.localdate() - dt.timedelta(days=60),
        "agreement_to": None,
    }
    return {**data, **overrides}


@pytest.fixture
def relations(db):
    return make_user("relations", Role.ADMINISTRATOR, email="rel@insurer.bg")


@pytest.fixture
def institution(relations):
    found = actions.add_institution(actor=relations, **institution_data())
    actions.set_price(found, actor=relations, service="2.1.b", price=Decimal("60.00"))
    actions.set_price(
        found,
        actor=relations,
        service="2.8.d",
        price=Decimal("120.00"),
        needs_preauthorisation=True,
    )
    return found


@pytest.fixture
def other_institution(relations):
    return actions.add_institution(
        actor=relations,
        **institution_data(
            name="ДКЦ „Друг“", eik=eik("11567890"), city="Пловдив", specialties=["dermatology"]
        ),
    )


@pytest.fixture
def clinic(institution, relations):
    user = make_user("desk", Role.PROVIDER, email="desk@clinic.bg")
    actions.link_provider_user(user, institution, actor=relations)
    return user


@pytest.fixture
def other_clinic(other_institution, relations):
    user = make_user("desk2", Role.PROVIDER, email="desk2@clinic.bg")
    actions.link_provider_user(user, other_institution, actor=relations)
    return user


@pytest.fixture
def member_user(db):
    return make_user("mila", email="mila@example.bg")


@pytest.fixture
def contract(member_user):
    """Package 2, option Пълна, clause Б2, in force for the last 30 days."""
    return contract_with(member_user, number="H-100", extra_care=False)


@pytest.fixture
def person(contract):
    return contract.members.get().person
