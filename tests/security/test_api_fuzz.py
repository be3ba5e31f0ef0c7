"""Property-based fuzzing of the JSON API from the OpenAPI schema django-ninja serves at
/api/v1/openapi.json (schemathesis, against the WSGI application: no network, no server).
Every generated request — valid, malformed, out of range — must get an answer below 500."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from security.conftest import module_database

# Django's own WSGI handler, not zdrave.wsgi: that module refuses to start in production mode
# with the development key, which is what the test settings are.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(scope="module")
def _catalog(django_db_setup, django_db_blocker):
    """The real product catalog, so product and service look-ups reach the terms code."""
    # The WSGI handler closes the database connection at the start and end of each request,
    # which would end the test's transaction on PostgreSQL; Django's own test client does the
    # same disconnection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        with module_database(django_db_blocker):
            call_command("products", "load", stdout=open(os.devnull, "w"))  # noqa: SIM115
            yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_catalog")
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_api_request_gets_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error], excluded_checks=[])
