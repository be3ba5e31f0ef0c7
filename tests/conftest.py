"""Shared test configuration.

Database tests run on SQLite by default and on PostgreSQL when ZDRAVE_DATABASE_URL is set
(scripts/test.sh runs both)."""

from pathlib import Path

import pytest


def pytest_configure(config):
    """The settings' production defaults, minus two that need a deployment: the test client and
    the live server speak plain HTTP (no redirect to HTTPS), and static files are served from the
    source folders rather than from a ``collectstatic`` manifest."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared is missing next to the repository ({SHARED})")
    return SHARED
