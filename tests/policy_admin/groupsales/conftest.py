import pytest

from base.messages import compile_app_messages
from contracts.factories import compile_messages, make_user
from zdrave.base.identity.models import Role


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    for app in ("policy_admin/sales", "policy_admin/groupsales", "base/letters"):
        compile_app_messages(app)


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def underwriter(db):
    return make_user("uw", Role.UNDERWRITER)


@pytest.fixture
def billing(db):
    return make_user("bill", Role.BILLING)
