"""Sales tests: the real product files and tariff, a buyer, an underwriter and billing staff;
``family`` walks a family through the application with real actions."""

from __future__ import annotations

import datetime as dt

import pytest

from base.messages import compile_app_messages
from contracts.factories import compile_messages, make_user
from policy_admin.sales.helpers import FULL, egn, next_month
from zdrave.base.identity.models import Role
from zdrave.policy_admin.sales import actions


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    for app in ("policy_admin/sales", "base/letters"):
        compile_app_messages(app)


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def buyer(db):
    return make_user("buyer", email="buyer@example.bg")


@pytest.fixture
def underwriter(db):
    return make_user("uw", Role.UNDERWRITER)


@pytest.fixture
def billing(db):
    return make_user("cashier", Role.BILLING)


@pytest.fixture
def family(buyer):
    """A family application starting next month: the mother (holder), the father (declares a
    chronic disease: referred) and a child of 10 (declaration by the parent)."""
    start = next_month()
    application = actions.start_application(
        actor=buyer, contract_type="family", start=start, instalments=4, email="buyer@example.bg"
    )
    mother = actions.add_person(
        application,
        actor=buyer,
        first_name="Мария",
        last_name="Петрова",
        egn=egn(dt.date(1988, 5, 4), 11, True),
        role="holder",
        choices=[*FULL, {"package": 6, "option": "basic", "clause": "Б1"}],
    )
    father = actions.add_person(
        application,
        actor=buyer,
        first_name="Петър",
        last_name="Петров",
        egn=egn(dt.date(1986, 2, 1), 12),
        role="spouse",
        choices=FULL,
    )
    child = actions.add_person(
        application,
        actor=buyer,
        first_name="Ива",
        last_name="Петрова",
        egn=egn(start.replace(year=start.year - 10), 13, True),
        role="child",
        choices=[{"package": 2, "option": "basic", "clause": "A"}],
    )
    return application, mother, father, child
