"""Complaints tests: a member with a health contract and a rejected claim (a second MRI in the
insurance year, refused by 002 II.8's count), another member, an employer with a group
contract, and the complaints staff (two officers for the second level, an administrator)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from base.messages import compile_app_messages
from claims.builders import submit
from claims.conftest import photo
from contracts.factories import build_world, compile_messages, contract_with, make_user
from zdrave.base.identity.models import Role
from zdrave.claims.models import ClaimStatus
from zdrave.member_rights.complaints.actions import ComplaintInput, file_complaint
from zdrave.member_rights.complaints.models import Category, ComplainantKind


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    for app in ("claims", "member_rights/complaints", "base/letters"):
        compile_app_messages(app)


@pytest.fixture(autouse=True)
def _tasks_at_once(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def member_user(db):
    return make_user("mila", email="mila@example.bg")


@pytest.fixture
def contract(member_user):
    return contract_with(member_user, number="H-100", extra_care=False)


@pytest.fixture
def rejected_claim(contract, member_user):
    member = contract.members.get()
    submit(member, member_user, key="mri-1", invoice="A")
    claim = submit(member, member_user, key="mri-2", invoice="B", amount="80.00")
    assert claim.status == ClaimStatus.REJECTED  # 002 II.8: one MRI a year
    return claim


@pytest.fixture
def other_user(db):
    other = make_user("oleg", email="oleg@example.bg")
    contract_with(other, number="H-200", extra_care=False)
    return other


@pytest.fixture
def officer(db):
    return make_user("sylvia", Role.COMPLAINTS_OFFICER, email="sylvia@insurer.bg")


@pytest.fixture
def second_officer(db):
    return make_user("boss", Role.ADMINISTRATOR, email="boss@insurer.bg")


@pytest.fixture
def world(db):
    return build_world()


def member_complaint(user, *, claim=None, contract=None, key="form-1", text="Не съм съгласна."):
    """A member's complaint from the portal, through the real action."""
    return file_complaint(
        ComplaintInput(
            category=Category.CLAIM_DECISION if claim else Category.CONTRACT,
            text=text,
            complainant_kind=ComplainantKind.INSURED,
            complainant_name=user.get_full_name(),
            claim=claim,
            contract=contract,
            email=user.email,
            idempotency_key=key,
        ),
        actor=user,
    )


def jpeg(name: str = "letter.jpg") -> SimpleUploadedFile:
    return photo(name)
