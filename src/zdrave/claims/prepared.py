"""Server-side prepared statements for the few fixed-shape statements of a member's submission
(the lock, the read after it and the write: ``fetch.lock_for_intake``, ``fetch.read_after_lock``,
``actions.together.execute``; ``benchmarks/claims_online.py``).

Django binds parameters on the client by default (``ClientCursor``: every value quoted into
the text of the statement, about a hundred per claim) and turns psycopg's prepared statements
off (``prepare_threshold=None``). Those defaults stay for the rest of the application (the
database settings are not touched); only these statements go through ``cursor()``: values sent
apart from the text (server-side binding) and the statement prepared on its first use in a
connection, so PostgreSQL plans it once per connection and statement text, not per claim.
Prepared statements live as long as the connection (``CONN_MAX_AGE``); psycopg keeps at most
``prepared_max`` of them per connection and drops the oldest.

Elsewhere (SQLite) ``cursor()`` is Django's own cursor.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

_cursor_class = None
# A statement cache threshold no statement reaches by count: only statements executed with
# ``prepare=True`` (this module's) are prepared.
_ONLY_WHEN_ASKED = 2**62


def cursor():
    """A Django cursor (logged like any other, counted by ``CaptureQueriesContext``) on the
    default connection; on PostgreSQL its statements are bound on the server and prepared."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy, per use
    if db.vendor != "postgresql":
        return db.cursor()
    db.ensure_connection()
    raw = db.connection
    factory = raw.cursor_factory
    # Django's own ``create_cursor`` (health check, time zone, debug wrapper), with this
    # cursor class for this one cursor.
    raw.cursor_factory = _prepared_cursor_class()
    try:
        return db.cursor()
    finally:
        raw.cursor_factory = factory


def _prepared_cursor_class():
    global _cursor_class  # noqa: PLW0603 (built once per process, on first use)
    if _cursor_class is None:
        from functools import lru_cache

        from django.db.backends.postgresql.base import ServerBindingCursor
        from psycopg._queries import PostgresQuery, _query2pg_nocache

        # psycopg turns ``%s`` into ``$1`` … once per text, but keeps no result for a text over
        # 4 kB (the write statement of a claim is about 9 kB): these few texts are kept.
        to_postgres = lru_cache(maxsize=64)(_query2pg_nocache)

        class Query(PostgresQuery):
            __slots__ = ()

            def convert(self, query, vars) -> None:  # noqa: A002 (psycopg's name)
                if vars is None or not isinstance(query, str | bytes):
                    return super().convert(query, vars)
                converted = to_postgres(self._ensure_bytes(query), self._tx.encoding)
                self.query, self._want_formats, self._order, self._parts = converted
                self.dump(vars)
                return None

        class PreparedCursor(ServerBindingCursor):
            _query_cls = Query

            def execute(self, query, params=None, *, prepare=None, binary=None):
                # Django turns psycopg's statement cache off (``prepare_threshold=None``), and
                # with it off psycopg ignores ``prepare=True`` and sends every statement
                # unprepared (planned on each execution). The cache is on for the length of
                # this call only: these statements are prepared, the rest of the connection
                # keeps Django's behaviour.
                manager = self._conn._prepared
                threshold = manager.prepare_threshold
                manager.prepare_threshold = _ONLY_WHEN_ASKED
                try:
                    return super().execute(query, params, prepare=True, binary=binary)
                finally:
                    manager.prepare_threshold = threshold

            def _send_query_prepared(self, name, pgq, *, binary=None):
                # As psycopg's unprepared path does: the query stays readable by Django's
                # ``last_executed_query`` (the SQL of ``connection.queries`` and the logs).
                self._query = pgq
                return super()._send_query_prepared(name, pgq, binary=binary)

        _cursor_class = PreparedCursor
    return _cursor_class
