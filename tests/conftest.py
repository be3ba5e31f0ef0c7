"""Shared test configuration.

Database tests run on SQLite by default and on PostgreSQL when ZDRAVE_DATABASE_URL is set
(scripts/test.sh runs both)."""

from pathlib import Path

import pytest
from django.core.cache import cache


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
# The conformance pairs of docs/scenarios.md, carried by the repository.
SCENARIOS = REPO / "tests" / "engine" / "scenarios"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def scenarios_dir() -> Path:
    return SCENARIOS


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The seed texts (docs/seeds.md): third-party documents outside the repository, present in
    the project's workspace at ../shared/seeds; a plain clone skips the tests that read them."""
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"the seed texts are not at {seeds} (docs/seeds.md)")
    return seeds


@pytest.fixture(autouse=True)
def _platform_language():
    """Every test starts in the platform's language (Bulgarian): a request by a user who chose
    English activates English for the thread (``UserLanguageMiddleware``), and a test that
    calls an action afterwards must not inherit it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Throttles count in Django's cache (sign-in link failures, log-in locks): no test inherits
    another's."""
    cache.clear()


@pytest.fixture
def run_worker():
    """What ``zdrave db_worker --batch`` does: run every task that is due, then stop."""
    return run_worker_batch


def run_worker_batch() -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
