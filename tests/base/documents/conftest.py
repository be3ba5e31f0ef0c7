"""Fixtures of the documents tests: private media in a temporary folder, and the people."""

from __future__ import annotations

import pytest

from zdrave.base.identity.models import Role, User


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def member(db) -> User:
    return User.objects.create_user("ivana", "ivana@example.bg", None, role=Role.MEMBER)


@pytest.fixture
def other_member(db) -> User:
    return User.objects.create_user("petar", "petar@example.bg", None, role=Role.MEMBER)


@pytest.fixture
def expert(db) -> User:
    return User.objects.create_user("expert", "e@zdrave.example", None, role=Role.MEDICAL_EXPERT)


@pytest.fixture
def partner(db) -> User:
    return User.objects.create_user(
        "dm-team", "team@diagnose.example", None, role=Role.PARTNER, partner_code="diagnose-me"
    )
