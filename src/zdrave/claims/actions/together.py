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

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import signals, sql
from django.db.models.base import ModelState
from django.db.models.query_utils import DeferredAttribute
from django.db.models.sql.compiler import SQLInsertCompiler
from django.utils import timezone

from zdrave.base import prepared

Piece = tuple[str, tuple]
Observer = Callable[..., tuple[type[models.Model], Sequence[dict]] | None]

_observers: list[Observer] = []


def observe_inserts(observer: Observer) -> None:
    """Register ``observer(created_rows, actor=user) -> (model, rows to write beside them)``
    (the rows as ``insert_rows`` takes them, or None), for a higher layer that records what is
    created, as signals would let it with ``save()``."""
    if observer not in _observers:
        _observers.append(observer)


def observed(created: Sequence[models.Model], *, actor) -> list[Piece]:
    """The observers' rows for ``created`` (already given their ids) by ``actor``, as pieces."""
    _no_partners_yet(created)
    pieces = []
    for observer in _observers:
        written = observer(created, actor=actor)
        if written and written[1]:
            pieces.append(insert_rows(*written))
    return pieces


# ``instance``: per model, its fields as ``Model.__init__`` walks them, and the keys it takes.
_init_plans: dict[type, tuple] = {}


def instance(model: type[models.Model], **values) -> models.Model:
    """``model(**values)`` (a new row, not saved) without ``Model.__init__``'s per-call work:
    the fields it walks, how each is set and the keys it takes are read once per model; each
    value goes where ``__init__`` puts it — the instance's ``__dict__`` for a plain field (whose
    class attribute sets nothing else), the field's descriptor for a related object or another
    kind of descriptor — and a field not given gets ``get_default()``. A model with its own
    ``__init__``, receivers of ``pre_init``/``post_init``, or a key ``__init__`` takes
    otherwise (a property, both a foreign key and its id) is made by ``model(**values)``.
    ``tests/claims/test_together.py`` compares the two for the rows of a submission."""
    plan = _init_plans.get(model)
    if plan is None:
        plan = _init_plans[model] = _init_plan(model)
    fields, keys = plan
    if (
        not fields
        or not keys.issuperset(values)
        or signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model)
    ):
        return model(**values)
    obj = model.__new__(model)
    obj._state = ModelState()
    own = obj.__dict__
    for name, attname, field, direct in fields:
        if name in values:
            if attname != name and attname in values:
                return model(**values)
            if direct:
                own[attname] = values[name]
            else:
                setattr(obj, name, values[name])
        elif attname in values:
            own[attname] = values[attname]  # a foreign key's id: nothing cached yet
        else:
            default = field.get_default()
            if direct or attname != name:
                own[attname] = default
            else:
                setattr(obj, attname, default)
    return obj


def _init_plan(model: type[models.Model]) -> tuple[list, frozenset]:
    """The fields ``Model.__init__`` sets from keywords (not virtual, not generated), each with
    whether its value may go straight into ``__dict__`` (the class attribute is Django's
    ``DeferredAttribute``, which sets nothing of its own); no fields when the model has its own
    ``__init__``."""
    if model.__init__ is not models.Model.__init__:
        return [], frozenset()
    fields, keys = [], set()
    for field in model._meta.fields:
        if field.column is None or field.generated:
            continue
        related = isinstance(field.remote_field, models.ForeignObjectRel)
        plain = type(model.__dict__.get(field.attname)) is DeferredAttribute
        fields.append((field.name, field.attname, field, plain and not related))
        keys.update({field.name, field.attname} if related else {field.attname})
    return fields, frozenset(keys)


# The text of each ``INSERT`` and ``UPDATE`` shape, compiled by Django once per process: the
# writes of a claim have the same shape every time (model, columns, number of rows), and
# compiling them was about a third of a submission's client CPU (docs/performance.md).
_insert_sql: dict[tuple, tuple[str, list, list]] = {}
_update_sql: dict[tuple, tuple[str, list]] = {}


def _no_partners_yet(created: Sequence[models.Model]) -> None:
    """Rows just given new ids have no row of another table pointing at them one-to-one, but
    those written beside them: say so in their relation caches, so that an observer reading
    every field (auditlog's diff reads ``claim.provider_claim``) does not ask the database."""
    for obj in created:
        if obj.pk is None:
            continue
        for rel in obj._meta.related_objects:
            if not rel.one_to_one or rel.is_cached(obj):
                continue
            target = getattr(obj, rel.field.target_field.attname)
            partner = next(
                (
                    other
                    for other in created
                    if isinstance(other, rel.related_model)
                    and getattr(other, rel.field.attname) == target
                ),
                None,
            )
            rel.set_cached_value(obj, partner)


def inserts(objs: Sequence[models.Model]) -> Piece:
    """``INSERT`` of ``objs`` (one model, every row with or every row without its pk set), as
    ``bulk_create`` would write them; the objects count as saved once the piece is executed.
    The statement's text is Django's own, compiled on the first use of its shape; the values
    are prepared as Django's insert compiler prepares them (``pre_save`` with ``add``, then
    ``get_db_prep_save``)."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy, per value
    model = type(objs[0])
    with_pk = objs[0].pk is not None
    key = (model, with_pk, len(objs), db.vendor)
    shape = _insert_sql.get(key)
    if shape is None:
        shape = _insert_sql[key] = _compile_insert(objs, with_pk)
    text, fields, plain = shape
    params = []
    add = params.append
    for obj in objs:
        for field, attname, final, wrap in plain:
            # ``pre_save(obj, add=True)`` of each field (``getattr`` where it is
            # ``Field.pre_save``), then ``get_db_prep_save`` unless the value is final.
            value = getattr(obj, attname) if attname else field.pre_save(obj, True)
            if final is not None and (value is None or final(value)):
                add(wrap(value) if wrap is not None and value is not None else value)
            elif hasattr(value, "resolve_expression"):
                # An expression as a value (none on the intake's rows): Django compiles it.
                params = None
                break
            else:
                add(field.get_db_prep_save(value, db))
        if params is None:
            break
    if params is None:
        text, params = _compile(objs, fields)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = db.alias
    return text, tuple(params)


# Rows given as values, not instances (``insert_rows``): the text and the plan of each shape.
_row_sql: dict[tuple, tuple[str, list] | None] = {}


def insert_rows(model: type[models.Model], rows: Sequence[dict]) -> Piece:
    """``inserts([model(**row) for row in rows])`` without making the instances, for rows no
    caller reads back after the write (a claim's steps, its documents, the audit and change
    rows): each ``row`` maps a field's ``attname`` (or a foreign key's name, to an instance or
    None) to its value, as ``model(**row)`` takes them. A field not given gets its default as
    ``Model.__init__`` gives it (``get_default``); ``auto_now``/``auto_now_add`` dates are
    now, as their ``pre_save`` makes them. The same text and the same parameters as
    ``inserts`` of the instances (``tests/claims/test_together.py`` compares them with Django's
    own compile); a model with a ``pre_save`` of its own, or an expression as a value, goes
    through the instances."""
    db = connections[DEFAULT_DB_ALIAS]
    opts = model._meta
    first = rows[0]
    with_pk = opts.pk.attname in first or opts.pk.name in first
    key = (model, with_pk, len(rows), db.vendor)
    shape = _row_sql.get(key, False)
    if shape is False:
        shape = _row_sql[key] = _compile_rows(model, rows, with_pk)
    if shape is None:
        return inserts([model(**row) for row in rows])
    text, plan = shape
    params = []
    add = params.append
    for row in rows:
        for field, attname, name, target, now, final, wrap in plan:
            if now is not None:
                value = now()
            elif attname in row:
                value = row[attname]
            elif name is not None and name in row:
                value = row[name]
                value = None if value is None else getattr(value, target)
            else:
                value = field.get_default()
            if final is not None and (value is None or final(value)):
                add(wrap(value) if wrap is not None and value is not None else value)
            elif hasattr(value, "resolve_expression"):
                return inserts([model(**row) for row in rows])
            else:
                add(field.get_db_prep_save(value, db))
    return text, tuple(params)


def _now() -> dt.datetime:
    return timezone.now()  # looked up per call, as ``DateTimeField.pre_save`` does


def _today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 (as ``DateField.pre_save``)


def _compile_rows(model: type[models.Model], rows: Sequence[dict], with_pk: bool):
    """``insert_rows``' text (Django's compile of the instances, once per shape) and per field:
    where its value comes from and how it is prepared; None when a field has a ``pre_save`` of
    its own (its value is not known without the instance)."""
    objs = [model(**row) for row in rows]
    text, fields, plain = _compile_insert(objs, with_pk)
    plan = []
    for field, attname, final, wrap in plain:
        now = None
        if not attname:
            pre_save = type(field).pre_save
            if pre_save is models.DateTimeField.pre_save:
                now = _now  # ``auto_now``/``auto_now_add`` with ``add``
            elif pre_save is models.DateField.pre_save:
                now = _today
            else:
                return None
        name = field.name if field.name != field.attname else None
        target = field.target_field.attname if name is not None else None
        plan.append((field, field.attname, name, target, now, final, wrap))
    return text, plan


# Values whose ``get_db_prep_save`` is the value itself, by field class: such values (and None,
# which every one of these fields keeps) skip it, the rest go through it. A text field keeps any
# ``str`` (a choices member too: ``to_python`` returns it); a number field only an exact ``int``
# (it turns a ``bool`` or an ``IntegerChoices`` member into a plain ``int``).
def _text(value) -> bool:
    return isinstance(value, str)


def _int(value) -> bool:
    return type(value) is int


def _bool(value) -> bool:
    return type(value) is bool


_FINAL = {
    models.CharField: _text,
    models.TextField: _text,
    models.EmailField: _text,
    models.SlugField: _text,
    models.BooleanField: _bool,
    models.IntegerField: _int,
    models.SmallIntegerField: _int,
    models.BigIntegerField: _int,
    models.PositiveIntegerField: _int,
    models.PositiveSmallIntegerField: _int,
    models.PositiveBigIntegerField: _int,
    models.AutoField: _int,
    models.BigAutoField: _int,
}


# On PostgreSQL (psycopg adapts them itself) also these: ``DecimalField``'s is ``Decimal(value)``
# (the same number; it refuses a NaN or an infinity, which go through it), ``DateField``'s the
# date itself, ``DateTimeField``'s an aware datetime itself (a naive one is made aware).
def _decimal(value) -> bool:
    return type(value) is Decimal and value.is_finite()


def _date(value) -> bool:
    return type(value) is dt.date


def _aware(value) -> bool:
    return type(value) is dt.datetime and value.utcoffset() is not None


_FINAL_POSTGRESQL = {
    models.DecimalField: _decimal,
    models.DateField: _date,
    models.DateTimeField: _aware,
}


def _final(field) -> tuple[Callable | None, Callable | None]:
    """A test of values ``field`` passes as they are (or None: every value goes through
    ``get_db_prep_save``), and what wraps such a value as Django's backend does (on PostgreSQL
    with psycopg 3 an integer field's value is sent typed: ``adapt_integerfield_value``)."""
    if isinstance(field, models.ForeignKey):
        field = field.target_field
        if isinstance(field, models.ForeignKey):
            return None, None
    if connection.vendor == "postgresql" and type(field) in _FINAL_POSTGRESQL:
        return _FINAL_POSTGRESQL[type(field)], None
    wrap = None
    types = getattr(connection.ops, "integerfield_type_map", None)
    if types and isinstance(field, models.IntegerField) and not isinstance(field, models.AutoField):
        wrap = types[field.get_internal_type()]
    return _FINAL.get(type(field)), wrap


def _compile_insert(objs: Sequence[models.Model], with_pk: bool) -> tuple[str, list, list]:
    opts = type(objs[0])._meta
    fields = [f for f in opts.concrete_fields if not f.generated and (with_pk or f is not opts.pk)]
    text, _params = _compile(objs, fields)
    plain = [(f, f.attname if _read_as_is(f) else None, *_final(f)) for f in fields]
    return text, fields, plain


def _read_as_is(field) -> bool:
    """Whether ``field.pre_save(obj, add=True)`` is ``getattr(obj, field.attname)``: it is
    ``Field.pre_save``, or a date's without ``auto_now``/``auto_now_add``."""
    pre_save = type(field).pre_save
    if pre_save is models.Field.pre_save:
        return True
    return pre_save in (models.DateField.pre_save, models.DateTimeField.pre_save) and not (
        field.auto_now or field.auto_now_add
    )


def _compile(objs: Sequence[models.Model], fields: list) -> tuple[str, list]:
    query = sql.InsertQuery(type(objs[0]))
    query.insert_values(fields, objs)
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = None
    if connection.vendor == "postgresql":
        # One placeholder per value, not Django's ``UNNEST`` of one array per column: that
        # saves planning a new text per call, which the prepared statement saves already, and
        # costs dumping every array on the client.
        compiler.assemble_as_sql = functools.partial(SQLInsertCompiler.assemble_as_sql, compiler)
    [(text, params)] = compiler.as_sql()
    return text, list(params)


def update(queryset: models.QuerySet, **values) -> Piece:
    """``queryset.update(**values)`` as a piece (a filter on the model's own columns)."""
    query = queryset.query.chain(sql.UpdateQuery)
    query.add_update_values(values)
    text, params = query.get_compiler(connection=connection).as_sql()
    return text, tuple(params)


def update_rows(model: type[models.Model], pks: Sequence[int], **values) -> Piece:
    """``model.objects.filter(pk__in=pks).update(**values)`` as a piece, its text compiled by
    Django once per shape (model, number of rows, columns set); plain values only."""
    key = (model, len(pks), tuple(values), connection.vendor)
    shape = _update_sql.get(key)
    if shape is None:
        text, params = update(model.objects.filter(pk__in=pks), **values)
        fields = [model._meta.get_field(name) for name in values]
        if len(params) != len(values) + len(pks):  # not the plain shape: no reuse
            return text, params
        shape = _update_sql[key] = (text, fields)
    text, fields = shape
    prepared_values = [
        f.get_db_prep_save(value, connection)
        for f, value in zip(fields, values.values(), strict=True)
    ]
    return text, (*prepared_values, *pks)


def execute(pieces: Iterable[Piece], *, last: bool = False) -> int:
    """Run the pieces, in one statement where the database allows it; returns the number of
    statements sent. ``last``: nothing but returning follows in the caller's ``atomic`` block
    — the ``COMMIT`` may go with the statement (``prepared.run_together``)."""
    pieces = list(pieces)
    if connection.vendor == "postgresql" and len(pieces) > 1:
        *first, (final, final_params) = pieces
        parts = ", ".join(f"w{n} AS ({text})" for n, (text, _params) in enumerate(first))
        params = [p for _text, piece_params in first for p in piece_params]
        prepared.run_together([(f"WITH {parts} {final}", (*params, *final_params))], last=last)
        return 1
    with prepared.cursor() as cursor:
        for text, params in pieces:
            cursor.execute(text, params)
        return len(pieces)
