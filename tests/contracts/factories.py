"""Test data built through the real actions (no shortcuts past validation), shared by the
accounts, core, policies and e2e tests."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.bg import vat

from base.messages import compile_app_messages
from zdrave.base.identity.models import Role
from zdrave.contracts import actions
from zdrave.contracts.identifiers import make_egn
from zdrave.contracts.models import Contract, ContractType, HolderKind, IdKind, MemberRole

PASSWORD = "Tr1cky-pass-9"
TEST_PRODUCTS = Path(__file__).resolve().parent / "products"
START = dt.date(2026, 1, 1)
END = dt.date(2026, 12, 31)


def compile_messages() -> None:
    """Every catalogue the tests read translated messages from (``base.messages``)."""
    compile_app_messages()


def make_user(username: str, role: str = Role.MEMBER, **extra):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        first_name=extra.pop("first_name", username.capitalize()),
        last_name=extra.pop("last_name", "Тестов"),
        **extra,
    )
    return user


# ЕГН serials only need to differ within one test's database: cycle, so a long run never
# exhausts them.
_serial = itertools.cycle(range(1, 499))


def make_person(first: str, last: str, birth: dt.date, *, female: bool = False, user=None):
    return actions.register_person(
        actor=None,
        first_name=first,
        last_name=last,
        id_kind=IdKind.EGN,
        id_number=make_egn(birth, next(_serial), female=female),
        user=user,
    )


def person_holder(person, user):
    return actions.create_holder(
        actor=None,
        kind=HolderKind.PERSON,
        name=person.full_name,
        identifier=person.id_number,
        person=person,
        users=[user] if user else [],
    )


def health_contract(number: str, kind: str, holder) -> Contract:
    return actions.create_contract(
        actor=None,
        number=number,
        type=kind,
        holder=holder,
        product_code="health",
        start=START,
        end=END,
    )


@dataclass
class World:
    """Two families and an employer: enough to test who sees what."""

    ivan: object
    elena: object
    maria: object
    employer: object
    family: Contract
    individual: Contract
    group: Contract
    child: object
    student: object
    employee: object


def contract_with(user, *, number: str, extra_care: bool, birth=dt.date(1988, 6, 14)):
    """An individual health contract (package 2, full) in force today for ``user``'s own person,
    with Extra Care when ``extra_care``: the member-service journeys' fixture."""
    person = make_person(user.first_name, user.last_name, birth, female=True, user=user)
    start = timezone.localdate() - timedelta(days=30)
    contract = actions.create_contract(
        actor=None,
        number=number,
        type=ContractType.INDIVIDUAL,
        holder=person_holder(person, user),
        product_code="health",
        start=start,
        end=start + timedelta(days=364),
    )
    member = actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
    actions.add_cover(
        contract,
        actor=None,
        member=member,
        product_code="health",
        package=2,
        option="full",
        clause="Б2",
    )
    if extra_care:
        actions.add_cover(contract, actor=None, member=member, product_code="extra-care")
    actions.put_in_force(contract, actor=None)
    return contract


def build_world() -> World:
    ivan_u, elena_u, maria_u = make_user("ivan"), make_user("elena"), make_user("maria")
    employer_u = make_user("employer", Role.EMPLOYER)
    ivan = make_person("Иван", "Димитров", dt.date(1982, 2, 20), user=ivan_u)
    elena = make_person("Елена", "Димитрова", dt.date(1984, 9, 5), female=True, user=elena_u)
    child = make_person("Ния", "Димитрова", dt.date(2016, 4, 12), female=True)
    student = make_person("Александър", "Димитров", dt.date(2005, 7, 1))
    family = health_contract("F-1", ContractType.FAMILY, person_holder(ivan, ivan_u))
    actions.add_member(family, ivan, MemberRole.HOLDER, actor=None)
    actions.add_member(family, elena, MemberRole.SPOUSE, actor=None)
    actions.add_member(family, child, MemberRole.CHILD, actor=None)
    actions.add_member(family, student, MemberRole.CHILD, actor=None, student=True)
    actions.add_cover(
        family, actor=None, product_code="health", package=2, option="luxury", clause="Б2"
    )
    actions.put_in_force(family, actor=None)

    maria = make_person("Мария", "Петрова", dt.date(1988, 6, 14), female=True, user=maria_u)
    individual = health_contract("I-1", ContractType.INDIVIDUAL, person_holder(maria, maria_u))
    m = actions.add_member(individual, maria, MemberRole.HOLDER, actor=None)
    actions.add_cover(
        individual,
        actor=None,
        member=m,
        product_code="health",
        package=3,
        option="full",
        clause="Б1",
    )
    actions.put_in_force(individual, actor=None)

    company = actions.create_holder(
        actor=None,
        kind=HolderKind.COMPANY,
        name="Акме ООД",
        identifier=_eik("12100001"),
        users=[employer_u],
    )
    group = health_contract("G-1", ContractType.GROUP, company)
    employee = None
    for i in range(10):
        person = make_person(f"Служител{i}", "Груп", dt.date(1980 + i, 3, 1 + i))
        employee = employee or person
        actions.add_member(group, person, MemberRole.EMPLOYEE, actor=None)
    actions.add_cover(
        group, actor=None, product_code="health", package=2, option="basic", clause="Б1"
    )
    actions.put_in_force(group, actor=None)
    return World(
        ivan_u, elena_u, maria_u, employer_u, family, individual, group, child, student, employee
    )


def _eik(body: str) -> str:
    return body + vat.calc_check_digit_legal(body)
