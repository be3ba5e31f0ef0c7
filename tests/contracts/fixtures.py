"""The fixtures of the tests that work on the small contract world (contracts, identity, portal):
their conftests import them from here."""

import pytest

from contracts.factories import TEST_PRODUCTS, compile_messages


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()


@pytest.fixture(autouse=True)
def _test_products(settings):
    """The small product copy under tests/contracts/products: these tests check our rules, not
    the (separately tested) product files."""
    settings.PRODUCTS_DIR = TEST_PRODUCTS
    # argon2 is deliberately slow; these tests check behaviour, not the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from contracts.factories import build_world

    return build_world()
