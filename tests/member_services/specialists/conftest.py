"""Fixtures for the Extra Care directory: the data files as a pure search index (no database)
and the directory loaded into the test database through ``zdrave specialists load``."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

import zdrave.member_services.second_opinion
from zdrave.member_services.specialists.directory import (
    read_directory,
    read_vocabulary,
    record_entry,
)
from zdrave.member_services.specialists.search import SearchIndex

APP_LOCALE = Path(zdrave.member_services.second_opinion.__file__).parent / "locale"


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages() -> None:
    """The pages are asserted in Bulgarian; compile the app's catalogue when it is stale
    (scripts/test.sh compiles all of them too). Temporary name + rename: safe in parallel."""
    for po in APP_LOCALE.glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        tmp = mo.with_name(f"django.{os.getpid()}.mo.tmp")
        subprocess.run(["msgfmt", "-o", str(tmp), str(po)], check=True)
        os.replace(tmp, mo)


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
