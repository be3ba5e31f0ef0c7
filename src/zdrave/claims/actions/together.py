"""Writing the rows of one change in one statement: the hot path of a member's submission
(``actions.decide.decide_new``; ``benchmarks/claims_online.py``).

Each write is compiled by Django itself (``InsertQuery`` / ``UpdateQuery``: the same columns,
conversions and JSON encoding as ``bulk_create`` and ``update``), so nothing here spells a
column. On PostgreSQL the writes are sent as one statement of data-modifying ``WITH`` parts —
one round trip, atomic by itself, foreign keys checked at commit (Django creates them
``DEFERRABLE INITIALLY DEFERRED``); SQLite has no data-modifying ``WITH``, so there they run one
after the other in the caller's transaction. Rows are written in the order given, parents first.

No model signals are sent (as with ``bulk_create``); the claims app has none. Whoever keeps a
history of created rows (the change history of ``member_rights.privacy``) registers with
``observe_inserts`` and its rows join the same statement (``observed``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.db import connection, models
from django.db.models import sql

Piece = tuple[str, tuple]
Observer = Callable[..., Sequence[models.Model]]

_observers: list[Observer] = []


def observe_inserts(observer: Observer) -> None:
    """Register ``observer(created_rows, actor=user) -> rows to write beside them`` (all of one
    model), for
    a higher layer that records what is created, as signals would let it with ``save()``."""
    if observer not in _observers:
        _observers.append(observer)


def observed(created: Sequence[models.Model], *, actor) -> list[Piece]:
    """The observers' rows for ``created`` (already given their ids) by ``actor``, as pieces."""
    pieces = []
    for observer in _observers:
        rows = observer(created, actor=actor)
        if rows:
            pieces.append(inserts(rows))
    return pieces


def inserts(objs: Sequence[models.Model]) -> Piece:
    """``INSERT`` of ``objs`` (one model, every row with or every row without its pk set), as
    ``bulk_create`` would write them; the objects count as saved once the piece is executed."""
    model = type(objs[0])
    opts = model._meta
    with_pk = objs[0].pk is not None
    fields = [f for f in opts.concrete_fields if not f.generated and (with_pk or f is not opts.pk)]
    query = sql.InsertQuery(model)
    query.insert_values(fields, objs)
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = None
    [(text, params)] = compiler.as_sql()
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return text, tuple(params)


def update(queryset: models.QuerySet, **values) -> Piece:
    """``queryset.update(**values)`` as a piece (a filter on the model's own columns)."""
    query = queryset.query.chain(sql.UpdateQuery)
    query.add_update_values(values)
    text, params = query.get_compiler(connection=connection).as_sql()
    return text, tuple(params)


def execute(pieces: Iterable[Piece]) -> int:
    """Run the pieces, in one statement where the database allows it; returns the number of
    statements sent."""
    pieces = list(pieces)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(pieces) > 1:
            *first, (last, last_params) = pieces
            parts = ", ".join(f"w{n} AS ({text})" for n, (text, _params) in enumerate(first))
            params = [p for _text, piece_params in first for p in piece_params]
            cursor.execute(f"WITH {parts} {last}", (*params, *last_params))
            return 1
        for text, params in pieces:
            cursor.execute(text, params)
        return len(pieces)
