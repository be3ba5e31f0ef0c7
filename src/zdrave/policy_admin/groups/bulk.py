"""One INSERT statement run for many rows (``executemany``), for the census's thousands of
people: Django's ``bulk_create`` builds a model instance and prepares every value of every row
through the field (about 1 ms a row here), which alone would spend the 10 s an apply may take
(docs/performance.md). Values are given ready for the database driver; JSON values go through
their field once each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """INSERT ``rows`` (tuples in the order of ``fields``, model field names) into ``model``'s
    table. Call inside the action's transaction; nothing here runs signals or field defaults, so
    every column without a database default is named."""
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    json_at = [i for i, f in enumerate(columns) if isinstance(f, models.JSONField)]
    quote = connection.ops.quote_name
    # Only model metadata (table and column names, quoted) goes into the text; values are bound.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )

    def prepared(row):
        if not json_at:
            return row
        row = list(row)
        for i in json_at:
            # Plain dicts and lists of text and numbers: no encoder needed.
            row[i] = connection.ops.adapt_json_value(row[i], None)
        return row

    batch: list = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(prepared(row))
            if len(batch) == 2000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def aware_now_for_db():
    """Now, as the database driver takes a ``DateTimeField`` value."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def pks_by(model: type[models.Model], key: str, values: Sequence[str], **equal) -> dict[str, int]:
    """``{value: pk}`` of ``model`` rows whose ``key`` is one of ``values`` (and whose other
    columns equal ``equal``), in chunks of 900 bound values (SQLite's limit is 999): the ORM
    spends more time compiling a 10 000-value ``__in`` than the database answering it."""
    meta = model._meta
    quote = connection.ops.quote_name
    column = quote(meta.get_field(key).column)
    where = "".join(f" AND {quote(meta.get_field(k).column)} = %s" for k in equal)
    found: dict[str, int] = {}
    values = list(values)
    with connection.cursor() as cursor:
        for start in range(0, len(values), 900):
            chunk = values[start : start + 900]
            cursor.execute(
                f"SELECT {column}, {quote(meta.pk.column)} FROM {quote(meta.db_table)} "  # noqa: S608
                f"WHERE {column} IN ({', '.join(['%s'] * len(chunk))}){where}",
                [*chunk, *equal.values()],
            )
            found.update(cursor.fetchall())
    return found
