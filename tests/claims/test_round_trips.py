"""A member's claim on PostgreSQL goes to the database in few round trips (issue 10,
performance: ``docs/performance.md``): the person's lock and the read that must follow it —
their paid lines, the duplicate candidates, the amounts held — in ONE (with the transaction's
``BEGIN`` when it begins there: ``base.prepared.run_together``), then the one write."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.builders import line, submit
from zdrave.base import prepared
from zdrave.claims.models import ClaimStatus

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="libpq's pipeline mode is PostgreSQL's"
)


@pytest.fixture
def trips(monkeypatch):
    """Statements per round trip to PostgreSQL through ``base.prepared`` (BEGIN and COMMIT
    counted where they go with the statements)."""
    counted: list[int] = []
    together, alone = prepared.Statements._pipeline, prepared.Statements.run

    def pipeline(self, begin, named, commit=False):
        counted.append(len(named) + begin + commit)
        return together(self, begin, named, commit)

    def run(self, sql, params):
        counted.append(1)
        return alone(self, sql, params)

    monkeypatch.setattr(prepared.Statements, "_pipeline", pipeline)
    monkeypatch.setattr(prepared.Statements, "run", run)
    return counted


def _two_lines():
    return [line("2.8.e"), line("2.1.a", amount="25.00", invoice="0000012346")]


def test_inside_a_callers_transaction_the_lock_and_read_are_one_trip_the_write_another(
    member, member_user, trips
):
    claim = submit(member, member_user, lines=_two_lines())
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    # The test's own transaction is under way: no BEGIN; the block does not commit.
    assert trips == [2, 1]
    assert claim.lines.count() == 2  # what the write wrote


@pytest.mark.django_db(transaction=True)
def test_a_submission_is_two_round_trips_begin_lock_read_then_write_commit(
    member, member_user, trips, mailoutbox
):
    claim = submit(member, member_user, lines=_two_lines())
    assert trips == [3, 2]  # BEGIN + lock + read, then write + COMMIT
    # Committed: another connection sees it, and the e-mail (an on_commit callback) went.
    from concurrent.futures import ThreadPoolExecutor

    from zdrave.claims.models import Claim

    def seen_elsewhere():
        try:
            return Claim.objects.get(pk=claim.pk).status
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(seen_elsewhere).result() == ClaimStatus.PAYMENT_SCHEDULED
    assert [m.to for m in mailoutbox] == [[member_user.email]]


def test_the_rows_of_a_claim_carry_no_index_no_query_uses(db):
    """Every index is written with every row (a claim writes about 25 rows — three of them
    auditlog's — and updates its six files): no pattern-matching twin of a unique or indexed text column (nothing here asks
    ``LIKE 'x%'`` of them; the admin's search is ``UPPER(…) LIKE '%x%'``), and no index of a
    foreign key that a composite index already leads with (docs/decisions.md)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN"
            " ('claims_claim', 'claims_claimline', 'claims_decisionversion', 'claims_payment',"
            " 'documents_medicalfile', 'auditlog_logentry')"
        )
        found = cursor.fetchall()
    assert not [d for _t, d in found if "varchar_pattern_ops" in d]
    single = {(t, d.split("USING btree ")[1]) for t, d in found if "USING btree" in d}
    assert ("claims_claimline", "(claim_id)") not in single
    assert ("claims_claimline", "(member_id)") not in single
    assert ("claims_decisionversion", "(claim_id)") not in single
    assert ("documents_medicalfile", "(sha256)") not in single  # looked up by no query
    # The uploader's own index: the composite one below leads with it.
    assert ("documents_medicalfile", "(uploaded_by_id)") not in single
    # What stays: the unique keys and the composite indexes the reads use.
    for table, columns in [
        ("claims_claim", "(number)"),
        ("claims_claim", "(idempotency_key)"),
        ("claims_claim", "(status)"),
        ("claims_claimline", "(claim_id, index)"),
        ("claims_claimline", "(member_id, date)"),
        ("claims_decisionversion", "(claim_id, number)"),
        ("claims_payment", "(end_to_end_id)"),
        ("documents_medicalfile", "(storage_name)"),
        # A claim form's staged files, found by the person's lock (claims.fetch).
        ("documents_medicalfile", "(uploaded_by_id, subject_type, subject_id)"),
        ("auditlog_logentry", "(cid)"),
        ("auditlog_logentry", "(object_pk)"),
    ]:
        assert (table, columns) in single, (table, columns)


def _lock_plans() -> tuple[int, int]:
    """(generic, custom) executions of the prepared lock on this connection so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE 'SELECT \"contracts_contractmember\"%%FOR UPDATE%%'"
        )
        found = cursor.fetchall()
    return found[0] if found else (0, 0)


def test_the_lock_is_planned_once_not_at_every_claim(member, member_user):
    """The prepared lock keeps one plan made for any values (a generic plan). With the staged
    files' subject type as a parameter, PostgreSQL found a plan for the values at hand far
    cheaper and planned the lock again at every claim: 0.60 against 0.24 ms of the server's
    CPU (docs/performance.md, stop 27). As at a payer in service: people's files mostly on
    their claims, a few staged on a form, the statistics read."""
    from django.contrib.auth import get_user_model

    from zdrave.base.documents.models import FileKind, MedicalFile

    other = get_user_model().objects.create_user(username="another-member", role="member")
    uploaders = (member_user, other)  # in turns: each person's files spread over the table
    MedicalFile.objects.bulk_create(
        MedicalFile(
            owner=uploaders[n % 2],
            uploaded_by=uploaders[n % 2],
            subject_type="claims.claim",
            subject_id=str(n // 6),
            kind=FileKind.TEXT_DOCUMENT,
            original_name="invoice.jpg",
            storage_name=f"claimed-{n}",
            mime_type="image/jpeg",
            size=1,
            sha256="0" * 64,
        )
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE documents_medicalfile")
    generic, custom = _lock_plans()
    for n in range(9):
        submit(member, member_user, key=f"p{n}", amount=f"{100 + n}.00")
    now_generic, now_custom = _lock_plans()
    # At most the five custom plans PostgreSQL makes before it weighs a generic one.
    assert now_custom - custom <= 5
    assert now_generic - generic >= 4
