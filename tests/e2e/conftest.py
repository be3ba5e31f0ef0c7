"""Browser journeys: Playwright (Python) driving Debian's Chromium against pytest-django's
live server, with the real product files and the demo data loaded into the test database."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from contracts.factories import compile_messages

# The live server runs in a thread of this process while Playwright's sync API owns an event
# loop here; Django would otherwise refuse ORM calls from the fixtures.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/system-deps.sh`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per journey, Bulgarian browser."""
    context = browser.new_context(
        base_url=live_server.url, locale="bg-BG", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db, settings):
    """The demo users and contracts (``zdrave demo``) on the real product files."""
    # argon2 is deliberately slow; the journeys check behaviour, not the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def products(transactional_db):
    """The product catalog loaded from products/ (``zdrave products load``)."""
    call_command("products", "load", stdout=open(os.devnull, "w"))  # noqa: SIM115
