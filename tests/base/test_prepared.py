"""``base.prepared``: the hot paths' statements prepared and run through libpq's own calls
(issue 10 and issue 12, performance), with what a cursor gave: Django's logging and error
classes, the placeholders, and every row."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from psycopg.pq import TransactionStatus

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


# -- several statements in one round trip (``run_together``) ---------------------------------


@pytest.fixture
def counters(transactional_db):
    """A real table (the transactions of these tests are their own: ``transactional_db``)."""
    with connection.cursor() as plain:
        plain.execute("CREATE TABLE IF NOT EXISTS t_together (k text PRIMARY KEY, n int)")
        plain.execute("TRUNCATE t_together")
    yield
    with connection.cursor() as plain:
        plain.execute("DROP TABLE t_together")


def _count() -> int:
    with connection.cursor() as plain:
        plain.execute("SELECT count(*) FROM t_together")
        return plain.fetchone()[0]


@pytest.mark.skipif(not PG, reason="libpq's pipeline mode is PostgreSQL's")
def test_statements_together_run_in_order_in_the_transaction_and_are_logged(counters):
    with CaptureQueriesContext(connection) as seen, transaction.atomic():
        first, second = prepared.run_together(
            [
                ("INSERT INTO t_together VALUES (%s, %s) RETURNING n", ["a", 1]),
                # The second runs after the first, with a snapshot taken then: it sees the row.
                ("SELECT k, n FROM t_together WHERE n >= %s", [1]),
            ]
        )
        # The transaction was begun with them (BEGIN in the same round trip).
        assert connection.connection.pgconn.transaction_status == TransactionStatus.INTRANS
    assert first == [(1,)]
    assert second == [("a", 1)]
    assert [q["sql"] for q in seen.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")] == [
        "INSERT INTO t_together VALUES ($1, $2) RETURNING n",
        "SELECT k, n FROM t_together WHERE n >= $1",
    ]
    assert _count() == 1  # committed with the atomic block


@pytest.mark.skipif(not PG, reason="libpq's pipeline mode is PostgreSQL's")
def test_a_failing_statement_together_raises_djangos_error_and_nothing_stays(counters):
    from django.db import DataError

    with pytest.raises(DataError, match="division by zero"), transaction.atomic():
        prepared.run_together(
            [
                ("INSERT INTO t_together VALUES (%s, %s)", ["a", 1]),
                ("SELECT 1 / %s", [0]),
                ("INSERT INTO t_together VALUES (%s, %s)", ["b", 2]),  # skipped
            ]
        )
    assert _count() == 0
    # The connection is usable again at once.
    assert prepared.run_together([("SELECT %s + 1", [1])]) == [[(2,)]]


@pytest.mark.skipif(not PG, reason="libpq's pipeline mode is PostgreSQL's")
def test_names_the_server_forgot_are_prepared_again_when_the_transaction_begins_with_them(
    counters,
):
    from django.db import ProgrammingError

    statement = ("INSERT INTO t_together VALUES (%s, %s)", ["a", 1])
    with transaction.atomic():
        prepared.run_together([statement])
    with connection.cursor() as plain:
        plain.execute("DEALLOCATE ALL")  # what a pooler's DISCARD ALL does
    with transaction.atomic():
        prepared.run_together([("INSERT INTO t_together VALUES (%s, %s)", ["b", 2])])
    assert _count() == 2
    # Inside a transaction already under way the failure has aborted it: raised, not retried.
    with connection.cursor() as plain:
        plain.execute("DEALLOCATE ALL")
    with transaction.atomic():
        with connection.cursor() as plain:
            plain.execute("SELECT 1")
        sid = transaction.savepoint()
        with pytest.raises(ProgrammingError):
            prepared.run_together([("INSERT INTO t_together VALUES (%s, %s)", ["c", 3])])
        transaction.savepoint_rollback(sid)
    assert _count() == 2


@pytest.mark.skipif(not PG, reason="libpq's pipeline mode is PostgreSQL's")
def test_a_thread_waiting_for_a_row_lock_together_lets_the_holder_finish(counters):
    """The statements' wait for a lock happens outside the interpreter's lock: the thread
    holding the row lock runs on and commits (psycopg's ``get_result`` keeps the interpreter's
    lock — a wait in it would stop every thread, the holder too, for ever)."""
    import time
    from concurrent.futures import ThreadPoolExecutor
    from threading import Event

    with transaction.atomic():
        prepared.run_together([("INSERT INTO t_together VALUES (%s, %s)", ["a", 1])])
    locked = Event()

    def holder():
        try:
            with transaction.atomic(), connection.cursor() as plain:
                plain.execute("SELECT n FROM t_together WHERE k = 'a' FOR UPDATE")
                plain.execute("UPDATE t_together SET n = 2 WHERE k = 'a'")
                locked.set()
                # Python and SQL of this thread while the other one waits for the row.
                for _ in range(1000):
                    plain.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                    if plain.fetchone()[0]:
                        break
                    time.sleep(0.01)
                else:
                    return "the other thread never waited for the row"
            return "committed"
        finally:
            connection.close()

    def waiter():
        try:
            locked.wait(10)
            with transaction.atomic():
                with connection.cursor() as plain:  # a hung wait fails the test, after 5 s
                    plain.execute("SET LOCAL lock_timeout = '5s'")
                return prepared.run_together(
                    [
                        ("SELECT n FROM t_together WHERE k = %s FOR UPDATE", ["a"]),
                        ("SELECT count(*) FROM t_together WHERE n = %s", [2]),
                    ]
                )
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        held, waited = pool.submit(holder), pool.submit(waiter)
        assert held.result(timeout=30) == "committed"
        assert waited.result(timeout=30) == [[(2,)], [(1,)]]


@pytest.mark.skipif(not PG, reason="libpq's pipeline mode is PostgreSQL's")
def test_the_last_statements_of_the_outermost_block_take_its_commit_with_them(counters):
    ran = []
    with transaction.atomic():
        transaction.on_commit(lambda: ran.append("before"))
        prepared.run_together([("INSERT INTO t_together VALUES (%s, %s)", ["a", 1])], last=True)
        # Over on the server already; Django's commit at the end sends nothing and runs the
        # callbacks, those registered after the statement too.
        assert connection.connection.pgconn.transaction_status == TransactionStatus.IDLE
        transaction.on_commit(lambda: ran.append("after"))
        assert ran == []
    assert ran == ["before", "after"]
    assert _count() == 1
    # Inside a caller's block the inner block does not end the transaction.
    with transaction.atomic():
        with transaction.atomic():
            prepared.run_together([("INSERT INTO t_together VALUES (%s, %s)", ["b", 2])], last=True)
        assert connection.connection.pgconn.transaction_status == TransactionStatus.INTRANS
        transaction.set_rollback(True)
    assert _count() == 1


@pytest.mark.skipif(not PG, reason="libpq's pipeline mode is PostgreSQL's")
def test_a_commit_that_fails_with_the_statements_raises_and_keeps_nothing(counters):
    with connection.cursor() as plain:
        plain.execute(
            "CREATE TABLE t_child (k text REFERENCES t_together (k) DEFERRABLE INITIALLY DEFERRED)"
        )
    try:
        _fails_at_commit()
    finally:
        with connection.cursor() as plain:
            plain.execute("DROP TABLE t_child")


def _fails_at_commit():
    with pytest.raises(IntegrityError, match="t_child"), transaction.atomic():
        prepared.run_together(
            [
                ("INSERT INTO t_together VALUES (%s, %s)", ["a", 1]),
                ("INSERT INTO t_child VALUES (%s)", ["nobody"]),  # checked at COMMIT
            ],
            last=True,
        )
    assert _count() == 0
    assert prepared.run_together([("SELECT %s + 1", [1])]) == [[(2,)]]
