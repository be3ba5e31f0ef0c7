import pytest

from base.messages import compile_app_messages


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_app_messages("base/letters")
