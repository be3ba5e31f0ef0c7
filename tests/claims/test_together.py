"""``actions.together.inserts`` prepares values as Django's insert compiler does: every row a
submission writes gives the same parameters as Django's own compile of the same objects
(``pre_save`` with ``add``, then ``get_db_prep_save`` of every value), on SQLite and on
PostgreSQL, where more kinds of value are passed as they are."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from unittest import mock

import django.utils.timezone
import pytest
from django.db import connection
from django.utils import timezone

from claims.builders import FULL, line, submit
from zdrave.claims.actions import together


def comparable(value):
    # psycopg's JSON wrapper has no equality of its own: compare what it wraps.
    return ("json", value.obj) if hasattr(value, "obj") else (type(value), value)


@pytest.fixture
def frozen_now(monkeypatch):
    now = timezone.now()

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return now

    # Also the fields' defaults (``default=timezone.now`` holds the function itself): rows
    # given as values (``insert_rows``) and Django's compile of the same rows as instances then
    # get the same time.
    monkeypatch.setattr(django.utils.timezone, "datetime", Frozen)
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

    values_only = together.insert_rows
    texts = []

    def as_instances(model, rows):
        # The rows given as values: the same text and parameters as Django's own compile of
        # ``model(**row)`` — every column, defaults and ``auto_now_add`` included.
        objs = [model(**row) for row in rows]
        fields = together._compile_insert(objs, objs[0].pk is not None)[1]
        django_text, django_params = together._compile(objs, fields)
        piece = values_only(model, rows)
        pieces.append((model.__name__, piece[1], django_params))
        texts.append((model.__name__, piece[0], django_text))
        return piece

    monkeypatch.setattr(together, "inserts", both)
    monkeypatch.setattr(together, "insert_rows", as_instances)
    submit(member, member_user, amount="123.45", days_ago=5)
    names = {name for name, _, _ in pieces}
    assert {"Claim", "ClaimLine", "DecisionVersion", "Payment", "ClaimEvent"} <= names
    assert {"ClaimFile", "AuditEvent", "LogEntry"} <= names
    if queue == "database":
        assert "DBTaskResult" in names
    for name, ours, djangos in pieces:
        assert [comparable(v) for v in ours] == [comparable(v) for v in djangos], name
    for name, ours, djangos in texts:
        assert ours == djangos, name
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


def test_the_rows_given_as_values_are_written_column_by_column(member, member_user, frozen_now):
    """The rows ``decide_new`` writes without instances (``together.insert_rows``: the steps,
    the documents, the audit row) read back with every column as the instances gave it."""
    from zdrave.base.audit.models import AuditEvent
    from zdrave.base.documents.models import MedicalFile
    from zdrave.claims.models import ClaimEvent, ClaimFile

    claim = submit(member, member_user, amount="123.45", days_ago=5)
    events = ClaimEvent.objects.filter(claim=claim).order_by("id")
    assert [(e.kind, e.from_status, e.to_status, e.actor_id, e.note, e.at) for e in events] == [
        ("submitted", "submitted", "submitted", member_user.pk, "", frozen_now),
        ("auto_decided", "submitted", "approved", None, "", frozen_now),
        ("payment_scheduled", "approved", "payment_scheduled", None, "", frozen_now),
    ]
    staged = MedicalFile.objects.filter(subject_type="claims.claim", subject_id=str(claim.pk))
    files = ClaimFile.objects.filter(claim=claim).order_by("id")
    assert [(f.key, f.file_id, f.added_at) for f in files] == [
        (key, staged_file.pk, frozen_now)
        for staged_file, key in zip(staged.order_by("id"), FULL, strict=True)
    ]
    audit = AuditEvent.objects.get(object_type="claims.claim", object_id=str(claim.pk))
    assert (audit.actor_id, audit.verb, audit.at, audit.details) == (
        member_user.pk,
        "claim_submitted",
        frozen_now,
        {"status": "payment_scheduled"},
    )
    # A step with a note: the documents still missing.
    pending = submit(
        member,
        member_user,
        key="k-pending",
        docs=["claim-form"],
        lines=[line("2.1.a", days_ago=1, amount="40.00", invoice="")],
        provider="",
        diagnosis="J06.9",
    )
    assert pending.missing_documents
    events = ClaimEvent.objects.filter(claim=pending).order_by("id")
    assert [(e.kind, e.from_status, e.to_status, e.actor_id, e.note) for e in events] == [
        ("submitted", "submitted", "submitted", member_user.pk, ""),
        (
            "documents_requested",
            "submitted",
            "pending_documents",
            None,
            ", ".join(pending.missing_documents),
        ),
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the one-statement lock is PostgreSQL's",
)
def test_the_locks_instances_equal_the_orms(member, member_user):
    """``fetch.lock_for_intake`` builds its four instances without ``Model.__init__``: each has
    the values, the state and the class the ORM's own read gives."""
    from django.db import transaction

    from zdrave.claims.fetch import lock_for_intake

    def values(obj):
        return {k: v for k, v in obj.__dict__.items() if k != "_state"}

    with transaction.atomic():
        loaded = lock_for_intake(member.pk, actor_id=member_user.pk, form_key="")
    read = loaded.member
    special = read._state.fields_cache["special_conditions"]  # set by the lock, maybe None
    objs = [read, read.contract, read.person] + ([special] if special is not None else [])
    for obj in objs:
        orm = type(obj).objects.get(pk=obj.pk)
        assert type(obj) is type(orm)
        assert values(obj) == values(orm), type(obj).__name__
        assert (obj._state.adding, obj._state.db) == (False, orm._state.db)


def state(obj):
    """What ``Model.__init__`` leaves on a new instance: every value, the state, the cache."""
    return (
        {k: v for k, v in obj.__dict__.items() if k != "_state"},
        obj._state.adding,
        obj._state.db,
        {k: id(v) for k, v in obj._state.fields_cache.items()},
    )


@pytest.fixture
def fixed_uuid(monkeypatch):
    # ``Claim.number``'s default is random (``provisional_number``): the same for both makers.
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=271828))


def test_new_rows_are_made_as_django_makes_them(
    member, member_user, frozen_now, fixed_uuid, monkeypatch
):
    """``together.instance`` makes the claim, its lines, the decision and the payment of a
    submission without ``Model.__init__``: each equals ``model(**values)`` as made — every
    field's value (defaults included), the related objects cached, the state of a new row."""
    made = together.instance
    seen = []

    def both(model, **values):
        ours = made(model, **values)
        assert state(ours) == state(model(**values)), model.__name__
        seen.append(model.__name__)
        return ours

    monkeypatch.setattr(together, "instance", both)
    submit(member, member_user, amount="123.45", days_ago=5)
    assert set(seen) >= {"Claim", "ClaimLine", "DecisionVersion", "Payment"}


def test_instance_equals_model_init(member, member_user, frozen_now, fixed_uuid):
    """Field by field, on values as a submission gives them, an id instead of a related object,
    and keys ``Model.__init__`` takes otherwise (left to it)."""
    from zdrave.claims.models import Claim, ClaimLine, DecisionVersion, Payment

    claim_values = {
        "contract": member.contract,
        "member": member,
        "kind": "outpatient",
        "form": "reimbursement",
        "submitted_by": member_user,
        "submitted": dt.date(2026, 1, 5),
        "provider": "МЦ",
        "diagnosis": "M54.5",
        "circumstances": [],
        "iban": "BG80BNBG96611020345678",
        "idempotency_key": None,
        "hospital_nights": None,
    }
    claim = Claim(**claim_values)
    claim.pk = 7
    cases = [
        (Claim, claim_values),
        (
            ClaimLine,
            {
                "member": member,
                "index": 0,
                "service": "2.8.e",
                "date": dt.date(2026, 1, 4),
                "amount": Decimal("40.00"),
                "dose_days": None,
            },
        ),
        (ClaimLine, {"claim": claim, "member_id": member.pk, "index": 1}),
        (DecisionVersion, {"claim": claim, "number": 1, "decided_by": None, "lines": []}),
        (Payment, {"claim": claim, "version": None, "amount": Decimal("1.00")}),
        (ClaimLine, {"member": member, "member_id": member.pk}),
    ]
    for model, values in cases:
        assert state(together.instance(model, **values)) == state(model(**values)), model
