"""Prepared statements through libpq's own calls, on Django's connection (PostgreSQL).

A few fixed statements run at every request of the two hottest paths: the front desk's
eligibility check (``providers.network.lean``: its read and its log) and a member's claim
(``claims.fetch`` and ``claims.actions.together``: the lock, the read after it and the write;
Django binds values on the client and turns psycopg's preparing off, and those defaults stay for
every other statement). Each is prepared once per
connection and run with ``pgconn.prepare`` / ``pgconn.exec_prepared``: psycopg's cursor
machinery (its generators, waits and per-call adapter maps) was two thirds of the client's CPU
per statement (issue 12: 0.23 → 0.10 ms for the eligibility read; docs/performance.md).

What the cursor did for us and is done here too:

- values dumped and rows loaded by psycopg's ``Transformer`` with the connection's adapters
  (Django's, the time zone's), so the types are those a cursor gives;
- a database error is psycopg's own exception class (``error_from_result``); a lost
  connection psycopg's ``OperationalError``;
- in a transaction psycopg has not begun yet (Django's ``atomic`` turned autocommit off;
  psycopg sends ``BEGIN`` before its next statement) the statement begins it first, with the
  connection's own settings;
- a statement name the server forgot (SQLSTATE 26000: a pooler's ``DISCARD ALL``, a
  ``DEALLOCATE ALL``) is prepared again and the statement run once more — outside a
  transaction only (inside one the failure has aborted it: the error is raised).

Names are ``zdrave_N``, never used twice on a connection. Statements with ``%s`` placeholders
(and ``%%`` for a percent sign), as Django's SQL has them. With PgBouncer in transaction mode,
use ≥ 1.21 with ``max_prepared_statements`` (docs/decisions.md).

``run_together([(sql, params), …])`` sends several statements in one round trip (libpq's
pipeline mode, ``BEGIN`` with them when due, ``COMMIT`` after them when the caller says they
end the outermost ``atomic`` block): a claim's lock and the read that must follow it
(``claims.fetch.lock_for_intake``), then its write and commit — two round trips a claim, not
five. ``first_row(sql, params)``
runs a statement on the default connection; ``cursor()`` gives a
Django cursor (logged like any other, counted by ``CaptureQueriesContext``, its errors turned
into Django's) whose ``execute`` runs the statement this way; ``from_db`` makes a row's model
instance as Django's ``from_db`` does, without ``Model.__init__``'s walk over the fields.
"""

from __future__ import annotations

import functools
import itertools
import re
import select
import threading
import time
import weakref
from collections.abc import Sequence
from types import SimpleNamespace

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, signals
from django.db.models.base import ModelState
from psycopg import pq
from psycopg.adapt import PyFormat, Transformer

_FOR: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_NEW = threading.Lock()
_OK = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK)


class Statements:
    """The prepared statements of one psycopg connection (one thread's: Django keeps a
    connection per thread), each named once by its text and its parameters' types."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn
        self.transformer = Transformer(conn)
        self.names: dict[tuple[str, tuple[int, ...]], bytes] = {}
        self.numbers = itertools.count()

    def run(self, sql: str, params) -> pq.abc.PGresult:
        """Run ``sql`` prepared; the result, its rows not yet loaded (``rows``)."""
        transformer, pgconn = self.transformer, self.conn.pgconn
        if not self.conn.autocommit and pgconn.transaction_status == pq.TransactionStatus.IDLE:
            self._check(pgconn.exec_(_begin(self.conn)))
        values = transformer.dump_sequence(params, _auto(len(params)))
        key = (sql, tuple(transformer.types))
        formats = transformer.formats
        result = pgconn.exec_prepared(self._name(key), values, formats)
        if _forgotten(result) and pgconn.transaction_status == pq.TransactionStatus.IDLE:
            del self.names[key]
            result = pgconn.exec_prepared(self._name(key), values, formats)
        self._check(result)
        return result

    def run_together(
        self, items: Sequence[tuple[str, Sequence]], *, commit: bool = False
    ) -> list[pq.abc.PGresult]:
        """Run the statements of ``items`` (``(sql, params)`` each) prepared, in ONE round trip
        (libpq's pipeline mode: sent together, then one sync), ``BEGIN`` first when a
        transaction is due (as ``run``); their results, in order. The server runs them one
        after the other, each with its own snapshot in READ COMMITTED, as if sent one by one;
        the first that fails is raised (the rest were skipped: the transaction is aborted). A
        forgotten name is prepared again and all run once more only when the transaction began
        with them (rolled back first: nothing else was in it). ``commit``: ``COMMIT`` follows
        them in the same round trip (skipped by the server when one of them failed; when it
        fails itself — a deferred constraint — its error is raised)."""
        transformer, pgconn = self.transformer, self.conn.pgconn
        idle = pgconn.transaction_status == pq.TransactionStatus.IDLE
        begin = idle and not self.conn.autocommit
        sends = []
        for sql, params in items:
            values = transformer.dump_sequence(params, _auto(len(params)))
            sends.append(((sql, tuple(transformer.types)), values, list(transformer.formats)))
        for attempt in (1, 2):
            # New names are prepared here, outside the pipeline (once per connection).
            named = [(self._name(key), values, formats) for key, values, formats in sends]
            results = self._pipeline(begin, named, commit)
            if attempt == 1 and idle and any(_forgotten(r) for r in results):
                if begin:
                    self._check(pgconn.exec_(b"ROLLBACK"))
                for key, _values, _formats in sends:
                    self.names.pop(key, None)
                continue
            break
        for result in results:
            self._check(result)
        if commit:
            results.pop()
        return results[1:] if begin else results

    def _pipeline(self, begin: bool, named: list, commit: bool = False) -> list[pq.abc.PGresult]:
        pgconn = self.conn.pgconn
        pgconn.enter_pipeline_mode()
        try:
            if begin:
                pgconn.send_query_params(_begin(self.conn), None)
            for name, values, formats in named:
                pgconn.send_query_prepared(name, values, formats)
            if commit:
                pgconn.send_query_params(b"COMMIT", None)
            pgconn.pipeline_sync()
            self._flush()
            results = []
            for _ in range(len(named) + begin + commit):
                result = self._result()
                if result is None:  # the link went away mid-way
                    self._lost()
                results.append(result)
                while self._result() is not None:  # the statement's end
                    pass
            sync = self._result()
            if sync is None or sync.status != pq.ExecStatus.PIPELINE_SYNC:
                self._lost()
        finally:
            if pgconn.pipeline_status != pq.PipelineStatus.OFF:
                try:
                    pgconn.exit_pipeline_mode()
                except psycopg.OperationalError:
                    self._lost()
        return results

    # libpq's waits happen here, in ``select``, without the interpreter's lock: psycopg's
    # ``get_result`` and ``flush`` keep it (psycopg calls them only once they cannot block),
    # and a thread blocked in them holding it would stop every other thread — among them the
    # one holding the row lock this thread's statement waits for.

    def _flush(self) -> None:
        """Send what libpq holds of the pipeline (the connection is non-blocking)."""
        pgconn = self.conn.pgconn
        while pgconn.flush():
            readable, _writable, _ = select.select([pgconn.socket], [pgconn.socket], [])
            if readable:
                pgconn.consume_input()

    def _result(self):
        """The next result (``get_result``), waiting for it outside the interpreter's lock."""
        pgconn = self.conn.pgconn
        while pgconn.is_busy():
            select.select([pgconn.socket], [], [])
            pgconn.consume_input()
        return pgconn.get_result()

    def _lost(self):
        message = self.conn.pgconn.get_error_message().strip()
        raise psycopg.OperationalError(message or "the connection to the database is lost")

    def rows(self, result, count: int | None = None) -> list[tuple]:
        """The first ``count`` rows of ``result`` (all of them by default) as tuples."""
        found = result.ntuples if count is None else min(count, result.ntuples)
        if not found:
            return []
        self.transformer.set_pgresult(result)
        return self.transformer.load_rows(0, found, tuple)

    def _name(self, key: tuple[str, tuple[int, ...]]) -> bytes:
        name = self.names.get(key)
        if name is None:
            name = b"zdrave_%d" % next(self.numbers)
            self._check(self.conn.pgconn.prepare(name, numbered(key[0]), key[1]))
            self.names[key] = name
        return name

    def _check(self, result) -> None:
        if result.status in _OK:
            return
        if self.conn.pgconn.status != pq.ConnStatus.OK:  # the server or the link went away
            self._lost()
        raise psycopg.errors.error_from_result(result, encoding=self.conn.info.encoding)


def statements(conn: psycopg.Connection) -> Statements:
    """The statements of ``conn`` (a psycopg connection)."""
    found = _FOR.get(conn)
    if found is None:
        with _NEW:
            found = _FOR.setdefault(conn, Statements(conn))
    return found


def first_row(sql: str, params, *, rows: bool = True):
    """Run ``sql`` on the default connection (already connected) and return its first row, or
    None (no row, or ``rows=False``)."""
    prepared = statements(connections[DEFAULT_DB_ALIAS].connection)
    result = prepared.run(sql, params)
    if not rows:
        return None
    found = prepared.rows(result, 1)
    return found[0] if found else None


class _Cursor:
    """What Django's ``CursorWrapper`` and its debug wrapper use of a cursor: ``execute``,
    ``fetchone``, ``fetchall``, ``close`` and ``_query.query`` (the statement's text for
    ``connection.queries``). The rows are loaded at ``execute``: the connection's transformer
    serves the next statement."""

    def __init__(self, prepared: Statements):
        self._prepared = prepared
        self._rows: list[tuple] = []
        self._query = None

    def execute(self, sql, params=()):
        result = self._prepared.run(sql, params or ())
        self._query = SimpleNamespace(query=numbered(sql))
        self._rows = self._prepared.rows(result)
        self.rowcount = result.command_tuples if result.command_tuples is not None else -1

    def fetchone(self):
        return self._rows.pop(0) if self._rows else None

    def fetchall(self):
        rows, self._rows = self._rows, []
        return rows

    def close(self) -> None:
        self._rows = []


def run_together(items: Sequence[tuple[str, Sequence]], *, last: bool = False) -> list[list[tuple]]:
    """Run the statements of ``items`` (``(sql, params)`` each) on the default connection in
    one round trip (``Statements.run_together``; on PostgreSQL — elsewhere one by one through
    Django's cursor) and return each one's rows. Logged like a cursor's statements (each in
    ``connection.queries``, so ``CaptureQueriesContext`` counts them), errors turned into
    Django's; with execute wrappers installed, one by one through ``cursor()`` (so that each
    wrapper sees each statement).

    ``last``: the caller's word that these are the last statements of its ``atomic`` block and
    that nothing but returning follows them. When that block is the outermost one (no
    savepoint, nothing to roll back), the ``COMMIT`` goes in the same round trip; Django's own
    commit at the block's end then finds the transaction over (psycopg sends nothing for it)
    and runs the ``on_commit`` callbacks as always. Inside a caller's transaction (a test's,
    a view's) the block commits as usual."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.execute_wrappers:
        found = []
        for sql, params in items:
            with cursor() as each:
                each.execute(sql, params)
                found.append(each.fetchall())
        return found
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_no_broken_transaction()
    prepared = statements(db.connection)
    started = time.monotonic()
    commit = last and _outermost_block(db)
    with db.wrap_database_errors:
        results = prepared.run_together(items, commit=commit)
        found = [prepared.rows(result) for result in results]
    if db.queries_logged:
        duration = time.monotonic() - started
        for sql, _params in items:
            db.queries_log.append({"sql": numbered(sql).decode(), "time": f"{duration:.3f}"})
    return found


def _outermost_block(db) -> bool:
    """In the outermost ``atomic`` block, with no savepoint and nothing marked for rollback:
    its commit is the transaction's."""
    return (
        db.in_atomic_block
        and len(db.atomic_blocks) == 1
        and not db.savepoint_ids
        and db.commit_on_exit
        and not db.needs_rollback
    )


def cursor():
    """A Django cursor on the default connection whose statements are prepared and run with
    libpq's calls (on PostgreSQL; elsewhere Django's own cursor)."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        return db.cursor()
    db.close_if_health_check_failed()
    db.ensure_connection()
    # Django's own wrapping (``BaseDatabaseWrapper._cursor``): logged when queries are, errors
    # turned into Django's.
    return db._prepare_cursor(_Cursor(statements(db.connection)))


def from_db(model: type[Model], db: str, names: list[str], values) -> Model:
    """``model.from_db(db, names, values)`` (``names`` the fields' attnames), without
    ``Model.__init__``'s walk over the fields (a tenth of the front desk's CPU, a tenth of a
    claim's lock): the values go straight into the instance's ``__dict__``, as ``__init__`` puts
    them there through the fields' descriptors on a new instance. A model with its own
    ``__init__`` or ``from_db``, or with ``pre_init``/``post_init`` receivers (asked at each
    call: they may be connected later), goes through Django's own ``from_db``. Fields not in
    ``names`` stay deferred (read on first use), as ``from_db`` leaves them."""
    if (
        not _django_init(model)
        or signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model)
    ):
        return model.from_db(db, names, values)
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values, strict=True))
    state = obj._state = ModelState()
    state.adding = False
    state.db = db
    return obj


@functools.cache
def _django_init(model: type[Model]) -> bool:
    return model.__init__ is Model.__init__ and model.from_db.__func__ is Model.from_db.__func__


def _begin(conn: psycopg.Connection) -> bytes:
    """psycopg's ``BEGIN`` for the connection's transaction settings."""
    command = [b"BEGIN"]
    if conn.isolation_level is not None:
        command.append(b"ISOLATION LEVEL " + conn.isolation_level.name.replace("_", " ").encode())
    if conn.read_only is not None:
        command.append(b"READ ONLY" if conn.read_only else b"READ WRITE")
    if conn.deferrable is not None:
        command.append(b"DEFERRABLE" if conn.deferrable else b"NOT DEFERRABLE")
    return b" ".join(command)


def _forgotten(result) -> bool:
    """The server no longer knows the statement's name (SQLSTATE 26000)."""
    return (
        result.status == pq.ExecStatus.FATAL_ERROR
        and result.error_field(pq.DiagnosticField.SQLSTATE) == b"26000"
    )


@functools.cache
def _auto(count: int) -> tuple[PyFormat, ...]:
    return (PyFormat.AUTO,) * count


_PLACEHOLDER = re.compile(r"%(.)", re.DOTALL)


@functools.lru_cache(maxsize=128)
def numbered(sql: str) -> bytes:
    """``sql`` with ``$1, $2, …`` for its ``%s`` and ``%`` for its ``%%``, encoded once (libpq
    takes the statement's bytes)."""
    counter = itertools.count(1)

    def replace(found: re.Match) -> str:
        if found.group(1) == "s":
            return f"${next(counter)}"
        if found.group(1) == "%":
            return "%"
        raise ValueError(f"unsupported placeholder %{found.group(1)} in a prepared statement")

    return _PLACEHOLDER.sub(replace, sql).encode()
