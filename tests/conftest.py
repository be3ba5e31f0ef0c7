"""Shared test configuration.

Database tests run on SQLite by default and on PostgreSQL when ZDRAVE_DATABASE_URL is set
(scripts/test.sh runs both)."""

from pathlib import Path

import pytest
from django.core.cache import cache

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


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Throttles count in Django's cache (sign-in link failures): no test inherits another's."""
    cache.clear()
