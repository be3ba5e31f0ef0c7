"""``actions.together.inserts`` prepares values as Django's insert compiler does: every row a
submission writes gives the same parameters as Django's own compile of the same objects
(``pre_save`` with ``add``, then ``get_db_prep_save`` of every value), on SQLite and on
PostgreSQL, where more kinds of value are passed as they are."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from claims.builders import submit
from zdrave.claims.actions import together


def comparable(value):
    # psycopg's JSON wrapper has no equality of its own: compare what it wraps.
    return ("json", value.obj) if hasattr(value, "obj") else (type(value), value)


@pytest.fixture
def frozen_now():
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now):
        yield now


@pytest.mark.parametrize("queue", ["immediate", "database"])
def test_every_row_of_a_submission_is_prepared_as_django_prepares_it(
    member, member_user, settings, frozen_now, queue, monkeypatch
):
    if queue == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    pieces = []
    fast = together.inserts

    def both(objs):
        objs = list(objs)
        fields = together._compile_insert(objs, objs[0].pk is not None)[1]
        _text, django_params = together._compile(objs, fields)
        piece = fast(objs)
        pieces.append((type(objs[0]).__name__, piece[1], django_params))
        return piece

    monkeypatch.setattr(together, "inserts", both)
    submit(member, member_user, amount="123.45", days_ago=5)
    names = {name for name, _, _ in pieces}
    assert {"Claim", "ClaimLine", "DecisionVersion", "Payment", "ClaimEvent"} <= names
    if queue == "database":
        assert "DBTaskResult" in names
    for name, ours, djangos in pieces:
        assert [comparable(v) for v in ours] == [comparable(v) for v in djangos], name
    # Values of every kind went through: decimals, dates, aware datetimes, JSON, choices.
    values = [v for _, ours, _ in pieces for v in ours]
    assert any(type(v) is dt.date for v in values) or any(isinstance(v, str) for v in values)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="prepared statements are PostgreSQL's",
)
def test_the_submissions_statements_are_really_prepared(member, member_user):
    """Django sets psycopg's ``prepare_threshold`` to None, with which psycopg ignores
    ``prepare=True``: ``claims.prepared`` must still get the lock, the after-lock read and the
    write prepared (planned once per connection), and leave Django's own statements unprepared."""

    submit(member, member_user, key="k-prep")
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(text.startswith('SELECT "contracts_contractmember"') for text in prepared)
    assert any("SELECT 'history'" in text for text in prepared)
    assert any(text.startswith("WITH w0 AS (INSERT") for text in prepared)
    # Nothing else of the submission (Django's own statements stay unprepared).
    assert not any(text.startswith('INSERT INTO "django_tasks') for text in prepared)
    assert connection.connection.prepare_threshold is None
