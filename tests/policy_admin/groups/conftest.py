"""A group contract in force (12 employees, packages 2 and 3 basic Б1, premium 12 600 EUR a
year in twelve instalments), built through the real actions, and its employer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from stdnum.bg import vat

from contracts.factories import compile_messages, make_user
from zdrave.base.identity.models import Role
from zdrave.contracts import actions
from zdrave.contracts.identifiers import make_egn
from zdrave.contracts.models import ContractType, HolderKind, IdKind, MemberRole
from zdrave.engine.calendar import add_months

YEARLY = Decimal("12600.00")


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def egn(birth: dt.date, serial: int, female: bool = False) -> str:
    return make_egn(birth, serial, female=female)


def build_group(
    number: str,
    employer,
    *,
    start: dt.date,
    eik: str = "20399999",
    size: int = 12,
    serial: int = 10,
):
    holder = actions.create_holder(
        actor=None,
        kind=HolderKind.COMPANY,
        name=f"Фирма {number}",
        identifier=eik + vat.calc_check_digit_legal(eik),
        users=[employer] if employer else [],
    )
    contract = actions.create_contract(
        actor=None,
        number=number,
        type=ContractType.GROUP,
        holder=holder,
        product_code="health",
        start=start,
        end=add_months(start, 12) - dt.timedelta(days=1),
    )
    for i in range(size):
        person = actions.register_person(
            actor=None,
            first_name=f"Служител{i}",
            last_name="Тестов",
            id_kind=IdKind.EGN,
            id_number=egn(dt.date(1980 + i, 1 + i % 12, 5), serial + i, female=bool(i % 2)),
        )
        actions.add_member(contract, person, MemberRole.EMPLOYEE, actor=None)
    for package in (2, 3):
        actions.add_cover(
            contract,
            actor=None,
            product_code="health",
            package=package,
            option="basic",
            clause="Б1",
        )
    part = (YEARLY / 12).quantize(Decimal("0.01"))
    actions.schedule_premium(contract, [(add_months(start, i), part) for i in range(12)], by=None)
    actions.put_in_force(contract, actor=None)
    return contract


@pytest.fixture
def employer(db):
    return make_user("hr", Role.EMPLOYER)


@pytest.fixture
def group(employer):
    """Started 60 days ago, so both tomorrow and last week fall within its term."""
    return build_group("G-TEST-1", employer, start=timezone.localdate() - dt.timedelta(days=60))


@pytest.fixture
def other_employer(db):
    return make_user("hr2", Role.EMPLOYER)


@pytest.fixture
def other_group(other_employer):
    return build_group(
        "G-TEST-2",
        other_employer,
        start=timezone.localdate() - dt.timedelta(days=60),
        eik="20388888",
        serial=60,
    )
