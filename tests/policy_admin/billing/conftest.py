"""Billing tests: contracts with premium schedules built through the real contracts actions,
dated around today (payments cannot be in the future), and staff of each role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from base.messages import compile_app_messages
from contracts.factories import compile_messages, make_person, make_user, person_holder
from zdrave.base.identity.models import Role
from zdrave.contracts import actions
from zdrave.contracts.models import ContractType, MemberRole
from zdrave.engine.calendar import add_months


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    for app in ("policy_admin/billing", "claims", "base/banking", "base/letters"):
        compile_app_messages(app)


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def billed_contract(
    number: str,
    *,
    kind: str = ContractType.INDIVIDUAL,
    start: dt.date | None = None,
    instalments: int = 4,
    amount: str = "300.00",
    paid: int = 1,
    user=None,
    holder_name: tuple[str, str] = ("Мила", "Петрова"),
):
    """A health contract in force from ``start`` (default 100 days ago) for a year, its premium
    in ``instalments`` equal parts every 12/n months, the first ``paid`` paid on their due
    dates (the first three days before the start)."""
    start = start or timezone.localdate() - dt.timedelta(days=100)
    person = make_person(*holder_name, dt.date(1985, 3, 2), female=True, user=user)
    contract = actions.create_contract(
        actor=None,
        number=number,
        type=kind,
        holder=person_holder(person, user),
        product_code="health",
        start=start,
        end=start + dt.timedelta(days=364),
    )
    role = MemberRole.EMPLOYEE if kind == ContractType.GROUP else MemberRole.HOLDER
    actions.add_member(contract, person, role, actor=None)
    if kind == ContractType.GROUP:  # 004 Чл.24 т.2: ten or more people
        for i in range(9):
            colleague = make_person("Колега", f"Номер{i}", dt.date(1980 + i, 1, 10))
            actions.add_member(contract, colleague, MemberRole.EMPLOYEE, actor=None)
    actions.add_cover(
        contract, actor=None, product_code="health", package=2, option="full", clause="Б1"
    )
    dues = [add_months(start, 12 * i // instalments) for i in range(instalments)]
    schedule = actions.schedule_premium(contract, [(due, Decimal(amount)) for due in dues], by=None)
    for i, instalment in enumerate(schedule[:paid]):
        day = start - dt.timedelta(days=3) if i == 0 else instalment.due
        actions.record_premium_payment(instalment, day, instalment.amount, by=None)
    actions.put_in_force(contract, actor=None)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def billing_user(db):
    return make_user("cveta", Role.BILLING, email="cveta@insurer.bg")


@pytest.fixture
def underwriter(db):
    return make_user("stefan", Role.UNDERWRITER, email="stefan@insurer.bg")


@pytest.fixture
def holder_user(db):
    return make_user("mila", email="mila@example.bg")


@pytest.fixture
def contract(holder_user):
    return billed_contract("H-200", user=holder_user)
