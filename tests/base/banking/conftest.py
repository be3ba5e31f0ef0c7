import pytest
from django.utils import translation

from base.messages import compile_app_messages


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_app_messages("base/banking")


@pytest.fixture(autouse=True)
def _english():
    """The platform's default language is Bulgarian; these tests read English messages unless
    they switch to Bulgarian themselves."""
    with translation.override("en"):
        yield
