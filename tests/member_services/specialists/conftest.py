"""Fixtures for the Extra Care directory: the data files as a pure search index (no database)
and the directory loaded into the test database through ``zdrave specialists load``."""

from __future__ import annotations

import io

import pytest

from base.messages import compile_app_messages
from zdrave.member_services.specialists.directory import (
    read_directory,
    read_vocabulary,
    record_entry,
)
from zdrave.member_services.specialists.search import SearchIndex


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages() -> None:
    """The pages are asserted in Bulgarian; compile the catalogues when stale (scripts/test.sh
    compiles all of them too)."""
    compile_app_messages()


@pytest.fixture(scope="session")
def vocabulary():
    return read_vocabulary()


@pytest.fixture(scope="session")
def records(vocabulary):
    return read_directory(vocabulary=vocabulary)


@pytest.fixture(scope="session")
def index(vocabulary, records) -> SearchIndex:
    """The demo directory as the search sees it; ids are positions in the file, from 1."""
    entries = [record_entry(r, vocabulary, number) for number, r in enumerate(records, start=1)]
    return SearchIndex(entries, vocabulary)


@pytest.fixture
def directory(db):
    """The demo directory in the database, loaded by the management command."""
    from django.core.management import call_command

    from zdrave.member_services.specialists.models import Specialist

    call_command("specialists", "load", stdout=io.StringIO())
    return {s.code: s for s in Specialist.objects.all()}
