"""Reads that feed the adjudication engine: a claim and the person's decided lines as the
engine's frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from psycopg import sql

from zdrave.base import prepared
from zdrave.base.documents.models import MedicalFile
from zdrave.base.identity.permissions import has_role, is_signed_in, sees_all_health_data
from zdrave.base.identity.roles import Role
from zdrave.claims.duplicates import IGNORED, candidates
from zdrave.claims.models import Claim, ClaimLine, DecisionVersion, Payment
from zdrave.contracts.continuity import continues_previous
from zdrave.contracts.models import (
    Contract,
    ContractMember,
    ContractStatus,
    Cover,
    InsuredPerson,
    PremiumInstalment,
    Sex,
    SpecialConditions,
)
from zdrave.contracts.visibility import can_view_health_data
from zdrave.engine.adjudication.facts import (
    ClaimFacts,
    ContractFacts,
    CoverFacts,
    CoverSpan,
    HealthCase,
    HistoryLine,
    Instalment,
    InsuredFacts,
    SpecialWaiting,
)
from zdrave.engine.adjudication.facts import (
    ClaimLine as ClaimLineFacts,
)
from zdrave.engine.adjudication.facts import (
    SpecialConditions as SpecialConditionsFacts,
)

DAY = dt.timedelta(days=1)
# Files uploaded on a claim form before it is sent: subject ``claims.draft``, id ``<key>:<doc>``.
DRAFT = "claims.draft"
SEX = {Sex.FEMALE: "F", Sex.MALE: "M"}


HeldUsage = Callable[[int], tuple[HistoryLine, ...]]
# A held-usage source as SQL for the read after the lock (``read_after_lock``): for a member id,
# a ``SELECT`` of (date, service, form, diagnosis, quantity, paid, id) — the same lines the
# source returns, ordered by (date, id) — and its parameters.
HeldQuery = Callable[[int], tuple[str, list]]
_held_usage: list[HeldUsage] = []
_held_queries: list[HeldQuery | None] = []


def register_held_usage(source: HeldUsage, query: HeldQuery | None = None) -> None:
    """Let an app above claims add amounts held against a person's limits (a guarantee letter
    of ``providers.preauth``: 004 Чл.26 т.1) to their history: ``source(member_id)`` returns
    the held amounts as history lines, counted like paid lines until used or released.
    ``query``, if given, reads the same lines in SQL: a submission then reads them in the
    statement it reads the person's paid lines with (``read_after_lock``)."""
    if source not in _held_usage:
        _held_usage.append(source)
        _held_queries.append(query)


def held_for(member_id: int, *, skip=()) -> tuple[HistoryLine, ...]:
    """What ``register_held_usage`` sources hold against the person's limits now (but those in
    ``skip``: read already, e.g. by the front desk's one statement)."""
    return tuple(line for source in _held_usage if source not in skip for line in source(member_id))


def history_for(
    member_id: int,
    *,
    excluding_claim: int | None = None,
    decided_by: dt.datetime | None = None,
) -> tuple[HistoryLine, ...]:
    """The person's paid lines under the contract: their limit usage (004 Чл.26). With
    ``decided_by``, only the lines of claims decided by then (what a decision letter counts as
    used "after this claim")."""
    rows = ClaimLine.objects.filter(member_id=member_id, payable__gt=0)
    if excluding_claim is not None:
        rows = rows.exclude(claim_id=excluding_claim)
    if decided_by is not None:
        rows = rows.filter(claim__decided_at__lte=decided_by)
    paid = tuple(
        HistoryLine(
            date=r.date,
            service=r.service,
            form=r.claim.form,
            diagnosis=r.claim.diagnosis,
            quantity=r.paid_quantity,
            paid=r.payable,
        )
        for r in rows.select_related("claim").order_by("date", "id")
    )
    if decided_by is not None:  # a past decision's view: what was paid by then
        return paid
    return paid + held_for(member_id)


def case_for(
    claim: Claim,
    *,
    member: ContractMember | None = None,
    lines=None,
    loaded: Intake | None = None,
) -> HealthCase:
    """The facts of ``claim`` as the engine reads them, in five queries whatever the caller
    loaded (and one per ``register_held_usage`` source): the insured person with their
    contract, НЗОК rights and special conditions; the covers; the premium schedule; the claim's
    lines; the person's decided lines (history).
    A caller that holds the membership row (loaded with ``contract``, ``person`` and
    ``special_conditions``) and the claim's line rows passes them and saves two; a submission
    passes what ``lock_for_intake`` read with the lock (``loaded``: covers and schedule) and
    saves two more.

    The claim's own fields (form, dates, diagnosis, documents, circumstances) are taken from
    ``claim`` as given."""
    if member is None:
        member = ContractMember.objects.select_related(
            "person", "contract", "special_conditions"
        ).get(pk=claim.member_id)
    contract = member.contract
    history = None
    if lines is None:
        lines = ClaimLine.objects.filter(claim_id=claim.pk).order_by("index")
    day = service_day(claim, lines)
    if loaded is not None:
        every, instalments, history = loaded.covers, loaded.instalments, loaded.history
    else:
        every = list(contract_covers(member))
        instalments = schedule_facts(contract.pk)
    lines = tuple(
        ClaimLineFacts(
            index=line.index,
            service=line.service,
            date=line.date,
            quantity=line.quantity,
            amount=line.amount,
            currency=line.currency,
            prescribed=line.prescribed,
            nhif_paid=line.nhif_paid,
            other_insurer_paid=line.other_insurer_paid,
            dose_days=line.dose_days,
            reference_price=line.reference_price,
        )
        for line in lines
    )
    person = member.person
    return HealthCase(
        contract=contract_facts(
            contract, instalments, renewal_of_previous=continues_previous(member)
        ),
        # The covers of the first line's day; each line is decided on its own day's (``spans``).
        covers=covers_on(every, day),
        spans=cover_spans(every),
        insured=InsuredFacts(
            id=str(person.pk),
            birth_date=person.birth_date,
            sex=SEX.get(person.sex),
            covered_from=member.covered_from,
            covered_until=member.covered_until,
            nhif_rights=person.nhif_rights,
            special=special_facts(_special_conditions(member), starts=member.covered_from),
        ),
        history=history_for(member.pk, excluding_claim=claim.pk) if history is None else history,
        claim=ClaimFacts(
            form=claim.form,
            submitted=claim.submitted,
            diagnosis=claim.diagnosis,
            documents=frozenset(claim.documents),
            lines=lines,
            circumstances=frozenset(claim.circumstances or ()),
        ),
    )


# -- locks and access ----------------------------------------------------------------------------


def lock_member(member_id: int) -> ContractMember:
    """The insured person's membership row, locked, with what ``case_for`` reads of it: the
    first lock of every claim decision (person, then claim)."""
    return (
        ContractMember.objects.select_for_update(of=("self",))
        .select_related("contract", "person", "special_conditions")
        .get(pk=member_id)
    )


def contract_covers(member: ContractMember) -> QuerySet[Cover]:
    """The covers of the product of ``member``'s contract that apply to them (the contract's own
    and theirs), in the order the engine reads them (the last of a package wins)."""
    contract = member.contract
    covers = Cover.objects.filter(contract_id=contract.pk, product_code=contract.product_code)
    covers = covers.filter(Q(member__isnull=True) | Q(member_id=member.pk)).exclude(package=None)
    return covers.order_by("package", "id")


def line_covers(claim: Claim, rows) -> dict[int, dict[int, CoverFacts]]:
    """The covers in force on each line's day of service, by line index: what each line was
    decided on when an annex falls between two lines (004 Чл.27 т.2), for the claim's page and
    its decision letter. One query."""
    contract = claim.contract
    every = list(
        Cover.objects.filter(contract_id=contract.pk, product_code=contract.product_code)
        .filter(Q(member__isnull=True) | Q(member_id=claim.member_id))
        .exclude(package=None)
        .order_by("package", "id")
    )
    return {row.index: covers_on(every, row.date) for row in rows}


def cover_facts(covers) -> dict[int, CoverFacts]:
    return {c.package: CoverFacts(c.package, c.option, c.clause) for c in covers}


@dataclass(frozen=True)
class DatedCover:
    """A cover row as ``lock_for_intake`` reads it on PostgreSQL (the fields of ``Cover`` that
    ``covers_on`` reads)."""

    package: int
    option: str
    clause: str
    valid_from: dt.date | None
    valid_until: dt.date | None


def covers_on(covers, day: dt.date) -> dict[int, CoverFacts]:
    """The covers (``Cover`` rows or ``DatedCover``) in force on ``day``: a change of package or
    option by annex applies from 00:00 of its effective day, not to earlier services
    (004 Чл.27 т.2)."""
    return cover_facts(
        c
        for c in covers
        if (c.valid_from is None or c.valid_from <= day)
        and (c.valid_until is None or day <= c.valid_until)
    )


def cover_spans(covers) -> tuple[CoverSpan, ...]:
    """The person's cover timeline (``Cover`` rows or ``DatedCover``): one span for every
    stretch of days no annex changed, so the engine decides each line on the covers of its own
    day (004 Чл.27 т.2). Empty when no cover has dates (the same covers every day)."""
    bounds = {c.valid_from for c in covers if c.valid_from is not None}
    bounds |= {c.valid_until + DAY for c in covers if c.valid_until is not None}
    if not bounds:
        return ()
    days = sorted(bounds)
    # Before the first change, between two changes, after the last: each read on its first day
    # (the first one on the day before the first change).
    spans = [CoverSpan(None, days[0] - DAY, covers_on(covers, days[0] - DAY))]
    for start, following in zip(days, [*days[1:], None], strict=True):
        until = following - DAY if following is not None else None
        spans.append(CoverSpan(start, until, covers_on(covers, start)))
    return tuple(spans)


def service_day(claim: Claim, lines) -> dt.date:
    """The day of the service a claim's covers are read on for what is shown of the claim as a
    whole (its limits): its first line's date; without lines, the day it was submitted. The
    engine decides each line on its own day's covers (``cover_spans``)."""
    dates = [line.date for line in lines if line.date is not None]
    if dates:
        return min(dates)
    return claim.submitted or timezone.localdate()


def schedule_facts(contract_id: int) -> tuple[Instalment, ...]:
    """The contract's premium schedule as the engine reads it, by due date."""
    rows = PremiumInstalment.objects.filter(contract_id=contract_id).order_by("due", "id")
    return tuple(instalment_facts(i) for i in rows)


@dataclass
class Intake:
    """What a member's submission reads under the insured person's lock, before the engine
    decides (``lock_for_intake``)."""

    member: ContractMember
    existing_claim: int | None  # the claim an earlier submission with the same form key made
    covers: list  # every cover of the person (``Cover`` or ``DatedCover``), see ``covers_on``
    instalments: tuple[Instalment, ...]
    files: list[tuple[str, int]]  # (document key, MedicalFile id) staged on the form
    claim_id: int  # ids reserved for the new claim, its first decision version and payment
    version_id: int
    payment_id: int
    # The person's paid lines, read after the lock (``read_after_lock``).
    history: tuple[HistoryLine, ...] | None = None
    # The rows of ``after_lock_statement``, when it was sent with the lock (PostgreSQL).
    after_lock: list[tuple] | None = None


# The reads of ``lock_for_intake`` on PostgreSQL, as columns of the locking query. Covers,
# premium schedule and staged files are not what a parallel claim of the same person changes
# (that is claims and their lines, read after the lock: ``history_for``, ``duplicate_flags``);
# the ids come from the tables' own sequences.
_COVERS_SQL = """
    SELECT COALESCE(json_agg(json_build_array(c.package, c.option, c.clause, c.valid_from,
                                              c.valid_until)
                             ORDER BY c.package, c.id), '[]')
    FROM contracts_cover c JOIN contracts_contract k ON k.id = c.contract_id
    WHERE c.contract_id = contracts_contractmember.contract_id
      AND c.product_code = k.product_code AND c.package IS NOT NULL
      AND (c.member_id IS NULL OR c.member_id = contracts_contractmember.id)"""
_INSTALMENTS_SQL = """
    SELECT COALESCE(json_agg(json_build_array(i.due, i.amount::text, i.paid_on)
                             ORDER BY i.due, i.id), '[]')
    FROM contracts_premiuminstalment i
    WHERE i.contract_id = contracts_contractmember.contract_id"""
# The subject type is written into the text, not given as a parameter: the prepared lock's plan
# is made once for any values, and with a parameter there the planner reckoned on the person's
# files of any type — it then found a plan made for the values at hand (drafts are few) far
# cheaper and planned the lock again at every claim (``pg_prepared_statements``: every
# execution a custom plan, a fifth of the server's CPU per claim: docs/performance.md, stop 27).
_FILES = """
    SELECT COALESCE(json_agg(json_build_array(f.subject_id, f.id)
                             ORDER BY f.uploaded_at, f.id), '[]')
    FROM documents_medicalfile f
    WHERE f.uploaded_by_id = %s AND f.subject_type = {draft} AND starts_with(f.subject_id, %s)"""
_FILES_SQL = _FILES.format(draft=sql.Literal(DRAFT).as_string(None))
_EXISTING_SQL = "SELECT id FROM claims_claim WHERE idempotency_key = %s"
_NEXT_ID_SQL = "nextval(pg_get_serial_sequence(%s, 'id'))"


# The models the lock reads a row of, joined as ``lock_member``'s ``select_related`` joins them
# (person and contract: required; special conditions: optional).
_LOCKED = (ContractMember, Contract, InsuredPerson, SpecialConditions)
_lock_shape: tuple[str, list] | None = None


def lock_for_intake(
    member_id: int, *, actor_id: int, form_key: str, then: tuple[str, list] | None = None
) -> Intake:
    """Lock the insured person (as ``lock_member``) and read, in the same statement on
    PostgreSQL, what the engine needs of the contract besides the person's claims (the covers
    and the premium schedule), the files staged on the form ``form_key``, the claim already made
    with that key if any, and ids for the new claim and its decision. Elsewhere (SQLite, whose
    writers the transaction itself serialises) the same reads one by one.

    On PostgreSQL the statement's text is built once per process from the models' own columns
    (``_lock_statement``) and sent as a prepared statement; the four rows become model
    instances as ``select_related`` would make them (``Model.from_db`` after the fields' own
    converters). ``then``: the read that must follow the lock (``after_lock_statement``), sent
    with it and with the transaction's ``BEGIN`` in one round trip (``prepared.run_together``):
    the server runs it once the lock is held, with a snapshot taken then, so it sees every claim
    of the person committed before — as if sent after the lock's answer. Its rows are kept in
    ``after_lock`` for ``read_after_lock``."""
    if connection.vendor != "postgresql":
        return _intake_one_by_one(member_id, actor_id=actor_id, form_key=form_key)
    text, readers = _lock_statement()
    params = [
        actor_id,
        f"{form_key}:",
        form_key or None,
        Claim._meta.db_table,
        DecisionVersion._meta.db_table,
        Payment._meta.db_table,
        member_id,
    ]
    found = prepared.run_together([(text, params)] + ([then] if then else []))
    if not found[0]:
        raise ContractMember.DoesNotExist
    row = found[0][0]
    member, contract, person, special = (read(row) for read in readers)
    extra = row[-7:]
    covers_json, instalments_json, files_json, existing, claim_id, version_id, payment_id = extra
    opts = ContractMember._meta
    opts.get_field("contract").set_cached_value(member, contract)
    opts.get_field("person").set_cached_value(member, person)
    opts.get_field("special_conditions").set_cached_value(member, special)
    if special is not None:
        SpecialConditions._meta.get_field("member").set_cached_value(special, member)
    return Intake(
        member=member,
        existing_claim=existing,
        after_lock=found[1] if then else None,
        covers=[
            DatedCover(p, o, c, _day(valid_from), _day(valid_until))
            for p, o, c, valid_from, valid_until in covers_json
        ],
        instalments=tuple(
            Instalment(
                due=dt.date.fromisoformat(due),
                amount=Decimal(amount),
                paid=dt.date.fromisoformat(paid) if paid else None,
            )
            for due, amount, paid in instalments_json
        ),
        files=[(subject.split(":", 1)[1], pk) for subject, pk in files_json] if form_key else [],
        claim_id=claim_id,
        version_id=version_id,
        payment_id=payment_id,
    )


def _lock_statement() -> tuple[str, list]:
    """The lock's text and, per model of ``_LOCKED``, a reader of its columns in a result row
    (built once per process)."""
    global _lock_shape  # noqa: PLW0603 (built once per process, on first use)
    if _lock_shape is None:
        qn = connection.ops.quote_name
        tables = [qn(model._meta.db_table) for model in _LOCKED]
        member, contract, person, special = tables
        columns, readers, start = [], [], 0
        for model, table in zip(_LOCKED, tables, strict=True):
            fields = model._meta.concrete_fields
            columns += [f"{table}.{qn(f.column)}" for f in fields]
            readers.append(_reader(model, table, start, fields))
            start += len(fields)
        m_opts = ContractMember._meta
        # Names from the models' own metadata and constant SQL of this module; values are
        # parameters.
        text = (
            f"SELECT {', '.join(columns)}, ({_COVERS_SQL}), ({_INSTALMENTS_SQL}), ({_FILES_SQL}),"  # noqa: S608
            f" ({_EXISTING_SQL}), {_NEXT_ID_SQL}, {_NEXT_ID_SQL}, {_NEXT_ID_SQL}"
            f" FROM {member}"
            f" JOIN {contract} ON {contract}.id = {member}.{qn(m_opts.get_field('contract').column)}"
            f" JOIN {person} ON {person}.id = {member}.{qn(m_opts.get_field('person').column)}"
            f" LEFT JOIN {special} ON {special}."
            f"{qn(SpecialConditions._meta.get_field('member').column)} = {member}.id"
            f" WHERE {member}.id = %s FOR UPDATE OF {member}"
        )
        _lock_shape = (text, readers)
    return _lock_shape


def _reader(model, table: str, start: int, fields) -> Callable:
    """``row -> instance`` of ``model`` from ``len(fields)`` columns at ``start`` (None when
    its primary key is NULL: an optional row not joined), converted as the ORM converts."""
    from django.db.models.expressions import Col

    convert = []
    for index, field in enumerate(fields):
        col = Col(table, field)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            convert.append((index, col, found))
    pk_index = list(fields).index(model._meta.pk)
    end = start + len(fields)
    names = [field.attname for field in fields]

    def read(row):
        values = list(row[start:end])
        if values[pk_index] is None:
            return None
        for index, col, converters in convert:
            for converter in converters:
                values[index] = converter(values[index], col, connection)
        return prepared.from_db(model, connection.alias, names, values)

    return read


# What a submission reads after the lock on PostgreSQL, in one statement: the person's paid lines
# (``history_for``) and the other claims' lines a line of the new claim may duplicate
# (``duplicates.candidates``, the same conditions in SQL), told apart by the first column.
_AFTER_LOCK_SQL = """
    SELECT 'history', l.id, l.member_id, l.date, l.amount, l.invoice_number, c.provider,
           c.number, l.service, c.form, c.diagnosis, l.paid_quantity, l.payable, c.submitted,
           c.id, l.index
    FROM claims_claimline l JOIN claims_claim c ON c.id = l.claim_id
    WHERE l.member_id = %s AND l.payable > 0
    UNION ALL
    (SELECT 'duplicate', l.id, l.member_id, l.date, l.amount, l.invoice_number, c.provider,
            c.number, l.service, c.form, c.diagnosis, l.paid_quantity, l.payable, c.submitted,
            c.id, l.index
     FROM claims_claimline l JOIN claims_claim c ON c.id = l.claim_id
     WHERE l.id IN ({near}) AND c.status NOT IN ({ignored}) AND ({same})
     ORDER BY c.submitted, c.id, l.index LIMIT 50){held}"""
# Lines that may meet one of the conditions, each found by its own index (``l.id IN``): the
# statement is prepared, and a plan made once for few rows must not test every line against
# the whole ``OR`` for every claim (a nested loop of two scans: 8–10 ms at 600 lines).
# The statuses a duplicate is not looked for in, written into the text (constants of
# ``duplicates.IGNORED``): the planner then knows how few claims they leave out, which it cannot
# for a parameter of a statement planned once.
_IGNORED_SQL = ", ".join(sql.Literal(str(status)).as_string(None) for status in IGNORED)
_NEAR_DAY_SQL = "SELECT id FROM claims_claimline WHERE member_id = %s AND date = %s AND amount = %s"
_NEAR_INVOICE_SQL = "SELECT id FROM claims_claimline WHERE UPPER(invoice_number) = UPPER(%s)"
# A ``register_held_usage`` source's lines, in the columns of ``_AFTER_LOCK_SQL``: its index in
# the third column, the row's id in the second, then date, service, form, diagnosis, quantity
# and amount where the paid lines have them.
_HELD_SQL = """
    UNION ALL
    SELECT 'held', h.id, {source}, h.date, NULL, NULL, NULL, NULL, h.service, h.form,
           h.diagnosis, h.quantity, h.paid, NULL, NULL, NULL
    FROM ({query}) AS h(date, service, form, diagnosis, quantity, paid, id)"""
_SAME_DAY_SQL = "(l.member_id = %s AND l.date = %s AND l.amount = %s)"
_SAME_INVOICE_SQL = "(UPPER(l.invoice_number) = UPPER(%s) AND UPPER(c.provider) = UPPER(%s))"


def after_lock_statement(
    member_id: int, claim: Claim, rows: list[ClaimLine]
) -> tuple[str, list] | None:
    """PostgreSQL: the one statement ``read_after_lock`` reads — the person's paid lines, the
    duplicate candidates of the new, unsaved ``claim``'s line ``rows`` and the amounts held by
    ``register_held_usage`` sources — as ``(sql, params)``; None elsewhere or without lines."""
    if connection.vendor != "postgresql" or not rows:
        return None
    same, params, near, near_params = [], [], [], []
    for line in rows:
        same.append(_SAME_DAY_SQL)
        params += [line.member_id, line.date, line.amount]
        near.append(_NEAR_DAY_SQL)
        near_params += [line.member_id, line.date, line.amount]
        if line.invoice_number:
            same.append(_SAME_INVOICE_SQL)
            params += [line.invoice_number, claim.provider]
            near.append(_NEAR_INVOICE_SQL)
            near_params.append(line.invoice_number)
    held, held_params = "", []
    if all(_held_queries):  # every source can be read in SQL (else: in Python, below)
        for index, query in enumerate(_held_queries):
            text, query_params = query(member_id)
            held += _HELD_SQL.format(source=index, query=text)
            held_params += query_params
    text = _AFTER_LOCK_SQL.format(
        near=" UNION ALL ".join(near), ignored=_IGNORED_SQL, same=" OR ".join(same), held=held
    )
    return text, [member_id, *near_params, *params, *held_params]


def read_after_lock(loaded: Intake, claim: Claim, rows: list[ClaimLine]) -> list[dict]:
    """Read, once the person is locked (so that their claims decided meanwhile are seen), the
    person's paid lines into ``loaded.history`` and return the duplicate candidates of the new,
    unsaved ``claim``'s line ``rows`` — on PostgreSQL the rows of ``after_lock_statement``,
    which ``lock_for_intake`` sent with the lock; elsewhere, or for a claim without lines, two
    reads now."""
    member_id = loaded.member.pk
    found = loaded.after_lock
    if found is None:
        loaded.history = history_for(member_id)
        return candidates(claim, rows) if rows else []
    history = sorted((r for r in found if r[0] == "history"), key=lambda r: (r[3], r[1]))
    paid = tuple(
        HistoryLine(date=r[3], service=r[8], form=r[9], diagnosis=r[10], quantity=r[11], paid=r[12])
        for r in history
    )
    if all(_held_queries):  # read in SQL (``after_lock_statement``)
        found_held = sorted((r for r in found if r[0] == "held"), key=lambda r: (r[2], r[3], r[1]))
        loaded.history = paid + tuple(
            HistoryLine(
                date=r[3], service=r[8], form=r[9], diagnosis=r[10], quantity=r[11], paid=r[12]
            )
            for r in found_held
        )
    else:
        loaded.history = paid + held_for(member_id)
    others = sorted((r for r in found if r[0] == "duplicate"), key=lambda r: (r[13], r[14], r[15]))
    return [
        {
            "member_id": r[2],
            "date": r[3],
            "amount": r[4],
            "invoice_number": r[5],
            "claim__provider": r[6],
            "claim__number": r[7],
        }
        for r in others
    ]


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _intake_one_by_one(member_id: int, *, actor_id: int, form_key: str) -> Intake:
    member = lock_member(member_id)
    existing = None
    files = []
    if form_key:
        existing = Claim.objects.filter(idempotency_key=form_key).values_list("pk", flat=True)
        existing = existing.first()
        staged = MedicalFile.objects.filter(
            uploaded_by_id=actor_id, subject_type=DRAFT, subject_id__startswith=f"{form_key}:"
        ).order_by("uploaded_at", "id")
        files = [(row.subject_id.split(":", 1)[1], row.pk) for row in staged]
    return Intake(
        member=member,
        existing_claim=existing,
        covers=list(contract_covers(member)),
        instalments=schedule_facts(member.contract_id),
        files=files,
        claim_id=_next_sqlite_id(Claim),
        version_id=_next_sqlite_id(DecisionVersion),
        payment_id=_next_sqlite_id(Payment),
    )


def _next_sqlite_id(model) -> int:
    """The id SQLite's AUTOINCREMENT gives the next row of ``model``'s table (the caller holds
    the database's write lock: Django's SQLite transactions here are ``IMMEDIATE``)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
        row = cursor.fetchone()
    return (row[0] if row else 0) + 1


def lock_claim(claim_id: int) -> Claim:
    """The claim, locked, after its insured person's membership row: the one lock order of this
    app (person, then claim). The person's limit usage is the sum of their decided lines, so
    two claims of one person are decided one after the other and a limit is never exceeded."""
    member_id = Claim.objects.values_list("member_id", flat=True).get(pk=claim_id)
    ContractMember.objects.select_for_update().filter(pk=member_id).get()
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("contract", "member__person")
        .get(pk=claim_id)
    )


def visible_claims(user) -> QuerySet[Claim]:
    """The claims ``user`` may open: the health-data roles see every claim; a member the claims
    of the people whose health data they may see (themselves, a child under 18 on the family
    contract they hold — ``contracts.visibility.can_view_health_data``)."""
    claims = Claim.objects.select_related("contract", "member__person")
    if not is_signed_in(user):
        return claims.none()
    if sees_all_health_data(user):
        return claims
    if not has_role(user, Role.MEMBER):
        return claims.none()
    people = [p.pk for p in claimable_people(user)]
    return claims.filter(member__person_id__in=people)


def claimable_people(user) -> list[InsuredPerson]:
    """The insured people ``user`` may claim for and follow claims of (docs/decisions.md)."""
    if not has_role(user, Role.MEMBER):
        return []
    people = InsuredPerson.objects.filter(
        Q(user=user) | Q(memberships__contract__holder__users=user)
    ).distinct()
    return [p for p in people if can_view_health_data(user, p)]


def final_versions(claim: Claim) -> list[DecisionVersion]:
    """The claim's final decisions, oldest first (a version waiting for its second approval is
    not one yet): the last is the decision in force."""
    return [v for v in claim.versions.order_by("number") if v.final]


def may_claim_for(user, person_id: int) -> bool:
    """Whether ``user`` may claim for the insured person ``person_id`` and act on their claims."""
    return person_id in {p.pk for p in claimable_people(user)}


def lock_claim_of(user, claim_id: int) -> Claim:
    """``lock_claim`` for a member acting on a claim: ``PermissionDenied`` unless ``user`` may
    claim for its insured person."""
    claim = lock_claim(claim_id)
    if not may_claim_for(user, claim.member.person_id):
        raise PermissionDenied
    return claim


def access_claim(user, number: str) -> Claim:
    """The claim ``number`` if ``user`` may open it; 404 otherwise (nobody learns which
    numbers exist)."""
    claim = visible_claims(user).filter(number=number).first()
    if claim is None:
        raise Http404(number)
    return claim


def contract_facts(
    contract: Contract, instalments: tuple[Instalment, ...], *, renewal_of_previous: bool = False
) -> ContractFacts:
    """The contract as the engine reads it. ``paid_until`` stays None: the schedule itself
    (``instalments``) tells the engine when cover started (004 Чл.25 т.3), which instalment is
    overdue (т.5) and what falls due with a claim (т.6); a contract without a schedule is read
    as paid (docs/decisions.md, "Claims see the real contract"). ``renewal_of_previous``: the
    person renews cover without a break (``contracts.continuity``, 001 т.25 / 003 т.23), so no
    waiting period of 004 Чл.19–20 starts again."""
    return ContractFacts(
        type=contract.type,
        start=contract.start,
        # The model keeps the last day of cover; the engine takes the day named as the end,
        # at 00:00 of which the insurance ends (004 Чл.24 т.3; issue 15).
        end=contract.end + DAY,
        paid_until=None,
        terminated_on=contract.terminated_on,
        renewal_of_previous=renewal_of_previous,
        aggregate_limit=contract.aggregate_limit,
        instalments=instalments,
    )


def instalment_facts(row: PremiumInstalment) -> Instalment:
    """Paid means paid in full: a part-paid instalment is still unpaid (004 Чл.25 т.5, т.6)."""
    return Instalment(due=row.due, amount=row.amount, paid=row.paid_on)


def special_facts(
    row: SpecialConditions | None, *, starts: dt.date | None = None
) -> SpecialConditionsFacts | None:
    """The person's special conditions as the engine reads them. Agreed after ``starts`` (the
    person's first day of cover), they came by annex and apply from the day agreed (004 Чл.27
    т.1; docs/decisions.md, "Claim lines across an annex")."""
    if row is None:
        return None
    since = row.agreed_on if starts is not None and row.agreed_on > starts else None
    return SpecialConditionsFacts(
        since=since,
        excluded_icd10=tuple(row.excluded_icd10),
        excluded_services=tuple(row.excluded_services),
        waiting=tuple(
            SpecialWaiting(
                months=item["months"],
                icd10=tuple(item.get("icd10", ())),
                services=tuple(item.get("services", ())),
            )
            for item in row.waiting
        ),
        limit=row.limit,
        loading_percent=row.loading_percent,
    )


def _special_conditions(member: ContractMember) -> SpecialConditions | None:
    try:
        return member.special_conditions
    except SpecialConditions.DoesNotExist:
        return None


def memberships_in_force(people_ids, product: str, today: dt.date) -> QuerySet[ContractMember]:
    """The memberships of ``people_ids`` on a contract of ``product`` in force on ``today``
    (the people a member may claim for on that product)."""
    return (
        ContractMember.objects.filter(
            person_id__in=people_ids,
            contract__product_code=product,
            contract__status=ContractStatus.IN_FORCE,
            contract__start__lte=today,
            contract__end__gte=today,
            covered_from__lte=today,
        )
        .exclude(covered_until__lt=today)  # removed by annex (004 Чл.27 т.2)
        .select_related("contract__holder", "person")
        .order_by("contract__number", "id")
    )
