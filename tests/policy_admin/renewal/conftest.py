"""Renewal tests: health contracts ending soon, built through the real contracts actions, a
holder with an account, staff of each role; the real product files and tariff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from base.messages import compile_app_messages
from contracts.factories import compile_messages, make_person, make_user, person_holder
from zdrave.base.identity.models import Role
from zdrave.contracts import actions
from zdrave.contracts.models import ContractType, MemberRole
from zdrave.engine.calendar import add_months


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    for app in ("policy_admin/renewal", "policy_admin/billing", "base/letters"):
        compile_app_messages(app)


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def ending_contract(
    number: str,
    *,
    end: dt.date | None = None,
    user=None,
    kind: str = ContractType.INDIVIDUAL,
    birth: dt.date = dt.date(1985, 3, 2),
    instalments: int = 4,
    amount: str = "150.00",
    others: tuple = (),
):
    """A one-year health contract in force whose last day is ``end`` (default in 30 days):
    package 2, Full, clause Б1 for everyone, ``instalments`` of ``amount``, the first paid.
    ``others``: (first, last, birth, role, student) of more people on it."""
    end = end or timezone.localdate() + dt.timedelta(days=30)
    start = add_months(end + dt.timedelta(days=1), -12)
    person = make_person("Мила", f"Петрова{number}", birth, female=True, user=user)
    contract = actions.create_contract(
        actor=None,
        number=number,
        type=kind,
        holder=person_holder(person, user),
        product_code="health",
        product_version=dt.date(2022, 11, 1),
        start=start,
        end=end,
    )
    role = MemberRole.EMPLOYEE if kind == ContractType.GROUP else MemberRole.HOLDER
    actions.add_member(contract, person, role, actor=None)
    for first, last, born, other_role, student in others:
        other = make_person(first, last, born)
        actions.add_member(contract, other, other_role, actor=None, student=student)
    actions.add_cover(
        contract, actor=None, product_code="health", package=2, option="full", clause="Б1"
    )
    dues = [add_months(start, 12 * i // instalments) for i in range(instalments)]
    schedule = actions.schedule_premium(contract, [(d, Decimal(amount)) for d in dues], by=None)
    actions.record_premium_payment(
        schedule[0], min(start, timezone.localdate()), schedule[0].amount, by=None
    )
    actions.put_in_force(contract, actor=None)
    contract.refresh_from_db()
    return contract


def group_contract(number: str, *, user=None, end=None):
    others = tuple(
        ("Колега", f"Номер{number}{i}", dt.date(1980 + i, 1, 10), MemberRole.EMPLOYEE, False)
        for i in range(9)
    )
    return ending_contract(number, user=user, end=end, kind=ContractType.GROUP, others=others)


@pytest.fixture
def holder_user(db):
    return make_user("mila", email="mila@example.bg")


@pytest.fixture
def employer(db):
    return make_user("hr", Role.EMPLOYER, email="hr@firm.bg")


@pytest.fixture
def stranger(db):
    return make_user("other", email="other@example.bg")


@pytest.fixture
def underwriter(db):
    return make_user("stefan", Role.UNDERWRITER, email="stefan@insurer.bg")


@pytest.fixture
def billing_user(db):
    return make_user("cveta", Role.BILLING, email="cveta@insurer.bg")
