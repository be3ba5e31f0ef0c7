"""Claims tests: a member with a health contract in force on the real product terms, staff of
each claims role, and a helper to stage real uploaded files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from base.messages import compile_app_messages
from contracts.factories import compile_messages, contract_with, make_user
from zdrave.base.identity.models import Role


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    for app in ("claims", "base/banking", "base/letters"):
        compile_app_messages(app)


@pytest.fixture(autouse=True)
def _tasks_at_once(request, settings):
    """Background tasks (the decision e-mail with its PDF letter, ``claims.tasks``) run at once,
    as the worker would run them. The parallel-load tests keep the database queue: rendering
    fifty letters in fifty threads is the worker's job, one at a time."""
    if request.node.get_closest_marker("postgres") is None:
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }


@pytest.fixture(autouse=True)
def _fast_hashes(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def member_user(db):
    return make_user("mila", email="mila@example.bg")


@pytest.fixture
def contract(member_user):
    return contract_with(member_user, number="H-100", extra_care=False)


@pytest.fixture
def member(contract):
    return contract.members.get()


@pytest.fixture
def adjuster(db):
    return make_user("adj1", Role.CLAIMS_ADJUSTER, email="adj1@insurer.bg")


@pytest.fixture
def second_adjuster(db):
    return make_user("adj2", Role.CLAIMS_ADJUSTER, email="adj2@insurer.bg")


@pytest.fixture
def medical_expert(db):
    return make_user("doc1", Role.MEDICAL_EXPERT, email="doc1@insurer.bg")


def photo(name: str = "receipt.jpg", color=(200, 180, 160)) -> SimpleUploadedFile:
    """A real JPEG photo of a document, as a phone sends it."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 900), color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
