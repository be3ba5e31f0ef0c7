"""One database state per module: built once inside a transaction that is rolled back when the
module ends, so the walks are fast and leave nothing behind for other tests."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction

from contracts.factories import compile_messages


def pytest_configure(config):
    compile_messages()


@contextmanager
def module_database(django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
