"""``base.prepared``: the hot paths' statements prepared and run through libpq's own calls
(issue 10 and issue 12, performance), with what a cursor gave: Django's logging and error
classes, the placeholders, and every row."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from zdrave.base import prepared

PG = connection.vendor == "postgresql"


def test_placeholders_numbered_and_percent_signs_kept():
    assert prepared.numbered("SELECT %s, %s WHERE x LIKE 'a%%'") == (
        b"SELECT $1, $2 WHERE x LIKE 'a%'"
    )
    with pytest.raises(ValueError, match="%d"):
        prepared.numbered("SELECT %d")


@pytest.mark.skipif(not PG, reason="libpq's own prepare/execute are PostgreSQL's")
def test_the_cursor_gives_every_row_is_logged_and_raises_djangos_errors(db):
    with CaptureQueriesContext(connection) as seen, prepared.cursor() as cursor:
        cursor.execute("SELECT n, n * %s FROM generate_series(1, 3) AS n", [10])
        assert cursor.fetchone() == (1, 10)
        assert cursor.fetchall() == [(2, 20), (3, 30)]
        assert cursor.fetchone() is None
        cursor.execute("SELECT 1 WHERE %s", [False])
        assert cursor.fetchall() == []
    assert [q["sql"] for q in seen.captured_queries] == [
        "SELECT n, n * $1 FROM generate_series(1, 3) AS n",
        "SELECT 1 WHERE $1",
    ]
    with connection.cursor() as plain:
        plain.execute("CREATE TEMPORARY TABLE t_once (k text PRIMARY KEY)")
    with prepared.cursor() as cursor:
        cursor.execute("INSERT INTO t_once VALUES (%s)", ["a"])
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("INSERT INTO t_once VALUES (%s)", ["a"])
        cursor.execute("SELECT count(*) FROM t_once")
        assert cursor.fetchone() == (1,)


@pytest.mark.skipif(PG, reason="on SQLite the cursor is Django's own")
def test_elsewhere_the_cursor_is_djangos_own(db):
    with prepared.cursor() as cursor:
        cursor.execute("SELECT %s + 1", [1])
        assert cursor.fetchone() == (2,)
