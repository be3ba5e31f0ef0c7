"""Treatment-abroad tests: a member on each version of the Best Doctors terms (2019 = 001,
2015 = 003) with the annual premium paid, a case manager and a second one."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from base.messages import compile_app_messages
from contracts.factories import compile_messages, make_person, make_user, person_holder
from zdrave.base.identity.models import Role
from zdrave.contracts import actions as contract_actions
from zdrave.contracts.models import Contract, ContractType, MemberRole

VERSIONS = {"001": dt.date(2019, 2, 1), "003": dt.date(2015, 10, 1)}


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    for app in ("claims", "treatment_abroad"):
        compile_app_messages(app)


@pytest.fixture(autouse=True)
def _settings(request, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    if request.node.get_closest_marker("postgres") is None:
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def best_doctors_member(
    username: str,
    version: str,
    *,
    started_days_ago: int = 250,
    paid=True,
    birth=dt.date(1979, 3, 8),
):
    user = make_user(username, email=f"{username}@example.bg")
    person = make_person("Петя", username.capitalize(), birth, female=True, user=user)
    start = days_ago(started_days_ago)
    contract = contract_actions.create_contract(
        actor=None,
        number=f"BD-{username}",
        type=ContractType.INDIVIDUAL,
        holder=person_holder(person, user),
        product_code="best-doctors",
        start=start,
        end=start + dt.timedelta(days=364),
    )
    if version == "003":
        # A contract sold under the 2015 terms keeps them (001/003 are not both on sale today):
        # the fixture sets the version the contract was sold under.
        Contract.objects.filter(pk=contract.pk).update(product_version=VERSIONS[version])
        contract.refresh_from_db()
    member = contract_actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
    contract_actions.add_cover(contract, actor=None, product_code="best-doctors")
    (instalment,) = contract_actions.schedule_premium(
        contract, [(start, Decimal("1200.00"))], by=None
    )
    if paid:
        contract_actions.record_premium_payment(
            instalment, start - dt.timedelta(days=3), instalment.amount, by=None
        )
    contract_actions.put_in_force(contract, actor=None)
    return member


@pytest.fixture(params=sorted(VERSIONS))
def version(request):
    return request.param


@pytest.fixture
def member(db, version):
    return best_doctors_member("petya", version)


@pytest.fixture
def manager(db):
    return make_user(
        "cm1", Role.CASE_MANAGER, email="cm1@insurer.bg", first_name="Мартин", last_name="Лазаров"
    )


@pytest.fixture
def manager2(db):
    return make_user("cm2", Role.CASE_MANAGER, email="cm2@insurer.bg")


def scan(name: str = "scan.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 240), (120, 130, 140)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
