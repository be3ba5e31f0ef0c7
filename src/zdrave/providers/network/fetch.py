"""Reads: the network as members search it, an institution as its staff and provider users may
open it, and the facts of an eligibility check as the engine reads them.

The facts are the claims engine's own (``zdrave.claims.fetch``: the contract with its premium
schedule, special conditions, the person's paid lines), so the answer at the front desk is the
decision a provider claim for the same service would get.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import get_related_populators
from django.http import Http404
from django.utils import timezone

from zdrave.base.identity.permissions import can_act_for_institution
from zdrave.base.prepared import from_db
from zdrave.claims.catalogue import HEALTH
from zdrave.claims.fetch import (
    contract_facts,
    held_for,
    history_for,
    instalment_facts,
    special_facts,
)
from zdrave.contracts.continuity import continues_previous
from zdrave.contracts.models import (
    ContractMember,
    ContractStatus,
    Cover,
    IdKind,
    InsuredPerson,
    PremiumInstalment,
    SpecialConditions,
)
from zdrave.engine.adjudication.facts import (
    ClaimFacts,
    CoverFacts,
    HealthCase,
    HistoryLine,
    Instalment,
    InsuredFacts,
)
from zdrave.engine.adjudication.plan import SUBSCRIPTION
from zdrave.providers.network.models import (
    AgreedPrice,
    ApiToken,
    Institution,
    InstitutionStatus,
    ProviderUser,
)

SEX = {"female": "F", "male": "M"}


# -- the network as members see it ---------------------------------------------------------------


def network_on(day: dt.date) -> QuerySet[Institution]:
    """The institutions in the network on ``day`` (004 Чл.24 т.4's list)."""
    return Institution.objects.filter(
        status=InstitutionStatus.ACTIVE, agreement_from__lte=day
    ).filter(Q(agreement_to__isnull=True) | Q(agreement_to__gte=day))


def search_network(day: dt.date, *, city: str = "", specialty: str = "") -> QuerySet[Institution]:
    """The network on ``day`` in ``city`` (its own or a location's; case does not matter) with
    ``specialty`` (its own or a doctor's)."""
    found = network_on(day)
    if city:
        found = found.filter(Q(city__iexact=city) | Q(locations__city__iexact=city))
    if specialty:
        # The stored list as text holds '"cardiology"' (JSON on SQLite and PostgreSQL alike).
        found = found.filter(
            Q(specialties__icontains=f'"{specialty}"') | Q(doctors__specialty=specialty)
        )
    return found.distinct().prefetch_related("locations").order_by("city", "name")


def cities(day: dt.date) -> list[str]:
    """The cities of the network on ``day``, for the search's choice."""
    own = network_on(day).values_list("city", flat=True)
    branches = network_on(day).values_list("locations__city", flat=True)
    return sorted({c for c in (*own, *branches) if c})


def access_listed(pk: int, day: dt.date) -> Institution:
    """An institution of the network on ``day`` as a member reads it; 404 otherwise."""
    found = network_on(day).filter(pk=pk).prefetch_related("locations", "doctors").first()
    if found is None:
        raise Http404(pk)
    return found


# -- the institution a provider user acts for ---------------------------------------------------


def institution_of(user) -> Institution | None:
    """The institution ``user`` acts for, if ``can_act_for_institution`` allows it."""
    link = ProviderUser.objects.select_related("institution").filter(user_id=user.pk).first()
    if link is None or not can_act_for_institution(user, link.institution):
        return None
    return link.institution


def agreed_price(
    institution: Institution, service: str, version: dt.date, product: str = HEALTH
) -> AgreedPrice | None:
    """The price agreed for ``service`` under the product ``version`` (else under the newest
    version the institution has a price for)."""
    rows = AgreedPrice.objects.filter(
        institution=institution, product_code=product, service=service
    )
    rows = sorted(rows, key=lambda r: (r.product_version == version, r.product_version))
    return rows[-1] if rows else None


def price_list(institution: Institution, product: str = HEALTH) -> dict[str, AgreedPrice]:
    """Service code → the agreed price, for the product versions the institution has prices
    for (the newest version's price wins)."""
    rows = AgreedPrice.objects.filter(institution=institution, product_code=product).order_by(
        "product_version"
    )
    return {row.service: row for row in rows}


# -- the person at the desk ------------------------------------------------------------------------


CardResolver = Callable[[str], InsuredPerson | None]


def _no_cards(number: str) -> InsuredPerson | None:
    return None


_card_resolver: list[CardResolver] = [_no_cards]


def register_card_resolver(resolver: CardResolver) -> None:
    """Let the front desk find a person by the number printed on (or encoded in the QR code of)
    the insurer's legitimation card (004 Чл.24 т.4: "документ, издаден от ЗАСТРАХОВАТЕЛЯ").

    The cards are issued by ``policy_admin`` (a sibling layer this app may not import), so the
    app that knows the card format registers ``resolver(number) -> InsuredPerson | None`` from
    its ``AppConfig.ready()`` (or from ``interfaces``). Until one is registered no card number
    is recognised and the desk looks people up by ЕГН only."""
    _card_resolver[0] = resolver


def person_by_card(number: str) -> InsuredPerson | None:
    """The insured person whose card carries ``number`` (``register_card_resolver``)."""
    return _card_resolver[0](number.strip())


def person_by_egn(egn: str) -> InsuredPerson | None:
    return InsuredPerson.objects.filter(id_kind=IdKind.EGN, id_number=egn).first()


@dataclass(frozen=True)
class Insured:
    """One health contract of the person in force on the day, as the engine reads it."""

    member: ContractMember
    case: HealthCase


def health_membership(
    day: dt.date,
    *,
    person: InsuredPerson | None = None,
    egn: str = "",
    institution: Institution | None = None,
    service: str = "",
) -> ContractMember | None:
    """The membership of ``person`` (or of the person with ЕГН ``egn``) on a health contract on
    ``day``: in force (or terminated after it); the most recent contract first. One query, with
    the person, the contract and the special conditions.

    On PostgreSQL, given the asking ``institution`` and the ``service``, the same statement also
    reads what ``insured_on`` and ``agreed_price`` would read one query each (the covers in
    force on ``day``, the premium schedule, the person's paid lines, the agreed price, the
    amounts held by ``register_desk_held_sql`` sources) as JSON columns (``_DESK_SQL``): the
    front desk's check is then one round trip for all its reads (as
    ``claims.fetch.lock_for_intake`` reads for a submission). That statement is compiled once
    per process (``desk_membership``, ``Compiled``), not by the ORM at every check. Elsewhere
    (SQLite) those are read one by one, with the same answers
    (tests/providers/network/test_eligibility_fast_path.py)."""
    if institution is not None and connection.vendor == "postgresql":
        statement = desk_membership(by_person=person is not None)
        values = statement.values(
            day=day,
            who=person.pk if person is not None else egn,
            institution=institution.pk,
            service=service,
        )
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, values)
            row = cursor.fetchone()
        return statement.instance(row) if row is not None else None
    return _membership_query(day, person=person, egn=egn).first()


def _membership_query(
    day: dt.date,
    *,
    person: InsuredPerson | int | None = None,
    egn: str = "",
    institution: Institution | int | None = None,
    service: str = "",
) -> QuerySet[ContractMember]:
    found = ContractMember.objects.filter(
        contract__product_code=HEALTH,
        contract__status__in=(ContractStatus.IN_FORCE, ContractStatus.TERMINATED),
        contract__start__lte=day,
        contract__end__gte=day,
    )
    if person is not None:
        found = found.filter(person=person)
    else:
        found = found.filter(person__id_kind=IdKind.EGN, person__id_number=egn)
    if institution is not None:
        found = found.annotate(
            desk_covers=_sql(_COVERS_ON_SQL, day, day, HEALTH),
            desk_instalments=_sql(_INSTALMENTS_SQL),
            desk_history=_sql(_HISTORY_SQL),
            desk_price=_sql(_PRICE_SQL, institution, HEALTH, service),
            **{f"desk_held_{n}": _sql(sql) for n, (_source, sql) in enumerate(_held_sql)},
        )
    return found.select_related("contract", "person", "special_conditions").order_by(
        "-contract__start", "-id"
    )


HeldUsage = Callable[[int], tuple[HistoryLine, ...]]
_held_sql: list[tuple[HeldUsage, str]] = []


def register_desk_held_sql(source: HeldUsage, sql: str) -> None:
    """Let an app above this one read what ``source`` (registered with
    ``claims.fetch.register_held_usage``) holds against a person's limits inside the front
    desk's one statement on PostgreSQL: ``sql`` is a scalar subquery over
    ``contracts_contractmember.id`` returning a JSON array of ``[date, service, diagnosis,
    quantity, amount as text]`` in the order ``source`` gives its lines."""
    if all(known is not source for known, _sql_text in _held_sql):
        _held_sql.append((source, sql))
        desk_membership.cache_clear()
        desk_statement.cache_clear()


# -- compiled once: the front desk's statements ---------------------------------------------------


class Compiled:
    """A query built by the ORM, compiled to SQL once per process and run again with new values
    (issue 12, performance: compiling the desk's queries cost more CPU than running them).

    ``slots`` names each value that changes between runs by a sentinel the query was built
    with; every other parameter is a constant of the query. ``instance(row)`` turns the
    columns of a row into the model instance with its ``select_related`` objects and
    annotations, by Django's own converters and populators (``ModelIterable``'s steps)."""

    def __init__(self, queryset: QuerySet, slots: dict[str, object]):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        by_value = {value: name for name, value in slots.items()}
        self.params: list[tuple[str | None, object]] = []
        for value in params:
            try:
                name = by_value.get(value)
            except TypeError:  # an unhashable constant
                name = None
            self.params.append((name, None) if name else (None, value))
        named = {name for name, _value in self.params if name}
        if named != set(slots) or self.sql.count("%s") != len(params):
            raise ValueError(f"cannot compile once: {set(slots) - named}")
        self.db = queryset.db
        self.connection = compiler.connection
        self.width = len(compiler.select)
        klass = compiler.klass_info
        self.model = klass["model"]
        start, end = klass["select_fields"][0], klass["select_fields"][-1] + 1
        self.own = slice(start, end)
        self.init_list = [s[0].target.attname for s in compiler.select[start:end]]
        self.pk_at = start + self.init_list.index(self.model._meta.pk.attname)
        self.populators = get_related_populators(klass, compiler.select, queryset.db)
        self.annotations = dict(compiler.annotation_col_map)
        self.converters = list(compiler.get_converters([s[0] for s in compiler.select]).items())

    def values(self, **given) -> list:
        return [given[name] if name else value for name, value in self.params]

    def inline(self, slot: str, expression: str) -> tuple[str, list[tuple[str | None, object]]]:
        """The SQL with each ``%s`` of ``slot`` replaced by ``expression`` (a column of an
        enclosing statement), and the remaining parameters."""
        parts = self.sql.split("%s")
        sql, params = parts[0], []
        for (name, value), part in zip(self.params, parts[1:], strict=True):
            if name == slot:
                sql += expression + part
            else:
                sql += "%s" + part
                params.append((name, value))
        return sql, params

    def instance(self, row):
        """The model instance of ``row`` (this statement's columns only); None for a row of
        NULLs (an outer join that found nothing)."""
        if row[self.pk_at] is None:
            return None
        row = list(row)
        for at, (converters, expression) in self.converters:
            value = row[at]
            for convert in converters:
                value = convert(value, expression, self.connection)
            row[at] = value
        obj = from_db(self.model, self.db, self.init_list, row[self.own])
        for populator in self.populators:
            _populate(populator, row, obj)
        for name, at in self.annotations.items():
            setattr(obj, name, row[at])
        return obj


def _populate(populator, row, from_obj) -> None:
    """``RelatedPopulator.populate`` (Django 5.2) with ``base.prepared.from_db``."""
    if populator.reorder_for_init:
        data = populator.reorder_for_init(row)
    else:
        data = row[populator.cols_start : populator.cols_end]
    if data[populator.pk_idx] is None:
        obj = None
    else:
        obj = from_db(populator.model_cls, populator.db, populator.init_list, data)
        for related in populator.related_populators:
            _populate(related, row, obj)
    populator.local_setter(from_obj, obj)
    if obj is not None:
        populator.remote_setter(obj, from_obj)


# Sentinels the compiled statements are built with (values no real question carries).
_DAY, _WHO, _INSTITUTION, _SERVICE, _DIGEST = (
    dt.date(1111, 11, 11),
    "\x01who",
    -271_828,
    "\x01service",
    "\x01digest",
)


@functools.cache
def desk_membership(*, by_person: bool, only: tuple[str, ...] = ()) -> Compiled:
    """``health_membership``'s statement for the desk (PostgreSQL): slots ``day``, ``who`` (the
    person's id or ЕГН), ``institution``, ``service``; ``only`` the fields read (the others
    deferred), every field when empty."""
    who = {"person": -314_159} if by_person else {"egn": _WHO}
    query = _membership_query(_DAY, institution=_INSTITUTION, service=_SERVICE, **who)
    return Compiled(
        (query.only(*only) if only else query)[:1],
        {"day": _DAY, "who": next(iter(who.values())), "institution": _INSTITUTION,
         "service": _SERVICE},
    )  # fmt: skip


@dataclass(frozen=True)
class DeskStatement:
    """The API's whole read in one statement (PostgreSQL): the key with its user, the user's
    institution link and the institution; the person's membership with everything
    ``health_membership`` reads for the desk; the person by ЕГН (for one without a contract).
    Values: ``values(digest=…, day=…, egn=…, service=…)``."""

    sql: str
    params: list
    key: Compiled
    member: Compiled
    person: Compiled

    def values(self, **given) -> list:
        return [given[name] if name else value for name, value in self.params]

    def read(self, row):
        """(the key row or None, the membership or None, the person or None)."""
        k, m = self.key.width, self.key.width + self.member.width
        return (
            self.key.instance(row[:k]),
            self.member.instance(row[k:m]),
            self.person.instance(row[m:]),
        )


@functools.cache
def desk_key(only: tuple[str, ...] = ()) -> Compiled:
    """A key (not revoked) by its SHA-256 with its user, the user's institution link and the
    institution; ``desk_institution`` the institution's id. Slot ``digest``; ``only`` the fields
    read (the others deferred), every field when empty."""
    query = ApiToken.objects.select_related("user__provider_link__institution")
    if only:
        query = query.only(*only)
    query = query.filter(digest=_DIGEST, revoked_at__isnull=True).annotate(
        desk_institution=F("user__provider_link__institution_id")
    )[:1]
    return Compiled(query, {"digest": _DIGEST})


def key_holder(digest: str):
    """The key (not revoked) with ``digest``, its user, link and institution loaded; None."""
    if connection.vendor == "postgresql":
        statement = desk_key()
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, statement.values(digest=digest))
            row = cursor.fetchone()
        return statement.instance(row) if row is not None else None
    return (
        ApiToken.objects.select_related("user__provider_link__institution")
        .filter(digest=digest, revoked_at__isnull=True)
        .first()
    )


# The columns the lean path's answer and log read (``lean``, ``front_desk.answer_for``,
# ``insured_on``, ``can_act_for_institution``, ``log_values``): the rest stay deferred, so the
# statement carries 55 columns instead of 96 (issue 12, performance) — and never the desk user's
# password hash. A field used later and not named here is read by one more query on first use
# (tests/providers/network/test_eligibility_lean.py counts the statements).
_KEY_FIELDS = (
    "user",
    "user__role",
    "user__is_active",
    "user__provider_link__user",
    "user__provider_link__institution",
    "user__provider_link__institution__products",
    "user__provider_link__institution__status",
    "user__provider_link__institution__agreement_from",
    "user__provider_link__institution__agreement_to",
)
_PERSON_FIELDS = ("first_name", "middle_name", "last_name", "birth_date", "sex", "nhif_rights")
_MEMBER_FIELDS = (
    "contract",
    "person",
    "covered_from",
    "covered_until",
    *(f"contract__{name}" for name in (
        "number", "type", "product_version", "start", "end", "status", "aggregate_limit",
        "terminated_on", "previous",
    )),
    *(f"person__{name}" for name in _PERSON_FIELDS),
    *(f"special_conditions__{name}" for name in (
        "member", "agreed_on", "excluded_icd10", "excluded_services", "waiting", "limit",
        "loading_percent",
    )),
)  # fmt: skip


@functools.cache
def desk_statement() -> DeskStatement:
    key = desk_key(_KEY_FIELDS)
    member = desk_membership(by_person=False, only=_MEMBER_FIELDS)
    person = Compiled(
        InsuredPerson.objects.filter(id_kind=IdKind.EGN, id_number=_WHO)
        .only(*_PERSON_FIELDS)
        .order_by("pk")[:1],
        {"egn": _WHO},
    )
    member_sql, member_params = member.inline("institution", "k.desk_institution")
    # The ORM's own SQL of three queries (every value a parameter), joined.
    sql = (
        f"SELECT k.*, m.*, p.* FROM ({key.sql}) k "  # noqa: S608
        f"LEFT JOIN LATERAL ({member_sql}) m ON TRUE "
        f"LEFT JOIN LATERAL ({person.sql}) p ON TRUE"
    )
    rename = {"day": "day", "who": "egn", "service": "service", "egn": "egn", "digest": "digest"}
    params = [
        (rename[name] if name else None, value)
        for name, value in (*key.params, *member_params, *person.params)
    ]
    return DeskStatement(sql, params, key, member, person)


# The reads of ``insured_on`` and ``agreed_price`` as columns of ``health_membership``'s query
# on PostgreSQL: each the same rows in the same order as its ORM query (``Cover.objects.on``,
# ``history_for``'s paid lines, ``agreed_price``'s choice of version).
_COVERS_ON_SQL = """
    SELECT COALESCE(json_agg(json_build_array(c.package, c.option, c.clause)
                             ORDER BY c.package, c.id), '[]')
    FROM contracts_cover c
    WHERE c.contract_id = contracts_contractmember.contract_id
      AND (c.valid_from IS NULL OR c.valid_from <= %s)
      AND (c.valid_until IS NULL OR c.valid_until >= %s)
      AND c.product_code = %s
      AND (c.member_id IS NULL OR c.member_id = contracts_contractmember.id)"""
_INSTALMENTS_SQL = """
    SELECT COALESCE(json_agg(json_build_array(i.due, i.amount::text, i.paid_on)
                             ORDER BY i.due, i.id), '[]')
    FROM contracts_premiuminstalment i
    WHERE i.contract_id = contracts_contractmember.contract_id"""
_HISTORY_SQL = """
    SELECT COALESCE(json_agg(json_build_array(l.date, l.service, c.form, c.diagnosis,
                                              l.paid_quantity, l.payable::text)
                             ORDER BY l.date, l.id), '[]')
    FROM claims_claimline l JOIN claims_claim c ON c.id = l.claim_id
    WHERE l.member_id = contracts_contractmember.id AND l.payable > 0"""
_PRICE_SQL = """
    SELECT json_build_array(a.price::text, a.needs_preauthorisation)
    FROM network_agreedprice a
    WHERE a.institution_id = %s AND a.product_code = %s AND a.service = %s
    ORDER BY a.product_version = (SELECT k.product_version FROM contracts_contract k
                                  WHERE k.id = contracts_contractmember.contract_id) DESC,
             a.product_version DESC
    LIMIT 1"""


def _sql(text: str, *params) -> RawSQL:
    # Constant SQL of this module, values as parameters (psycopg decodes ``json`` itself).
    return RawSQL(text, params)  # noqa: S611


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class DeskPrice(NamedTuple):
    """The agreed price as the front desk reads it with the membership (PostgreSQL)."""

    price: Decimal
    needs_preauthorisation: bool


def desk_price(member: ContractMember, institution: Institution, service: str):
    """``agreed_price`` for ``member``'s contract (its ``price`` and
    ``needs_preauthorisation``): from ``health_membership``'s own read when it made one
    (PostgreSQL), else one query."""
    if not hasattr(member, "desk_price"):
        return agreed_price(institution, service, member.contract.product_version)
    if member.desk_price is None:
        return None
    price, needs = member.desk_price
    return DeskPrice(Decimal(price), needs)


def _held_read(member: ContractMember) -> tuple[HistoryLine, ...]:
    """The held amounts ``health_membership`` read (``register_desk_held_sql``), then those of
    any source without SQL."""
    lines = []
    for n, (_source, _text) in enumerate(_held_sql):
        for day, service, diagnosis, quantity, amount in getattr(member, f"desk_held_{n}", ()):
            lines.append(
                HistoryLine(
                    date=dt.date.fromisoformat(day),
                    service=service,
                    form=SUBSCRIPTION,
                    diagnosis=diagnosis,
                    quantity=quantity,
                    paid=Decimal(amount),
                )
            )
    return tuple(lines) + held_for(member.pk, skip=[source for source, _text in _held_sql])


def insured_on(member: ContractMember, diagnosis: str = "", day: dt.date | None = None) -> Insured:
    """The facts of ``member``'s health contract (``health_membership``) for a subscription-form
    line: the real contract state (premium schedule, termination, special conditions, НЗОК
    rights, paid lines), in three more queries."""
    contract = member.contract
    person = member.person
    if hasattr(member, "desk_covers"):  # read with the membership (PostgreSQL)
        covers = [CoverFacts(p, o, c) for p, o, c in member.desk_covers]
        schedule = tuple(
            Instalment(due=dt.date.fromisoformat(due), amount=Decimal(amount), paid=_day(paid))
            for due, amount, paid in member.desk_instalments
        )
        history = tuple(
            HistoryLine(
                date=dt.date.fromisoformat(date),
                service=service,
                form=form,
                diagnosis=diagnosis,
                quantity=quantity,
                paid=Decimal(paid),
            )
            for date, service, form, diagnosis, quantity, paid in member.desk_history
        ) + _held_read(member)
    else:
        # The cover in force on the day of the visit (a change by annex applies from its day on).
        covers = [
            CoverFacts(c.package, c.option, c.clause)
            for c in Cover.objects.on(day or timezone.localdate())
            .filter(contract_id=contract.pk, product_code=HEALTH)
            .filter(Q(member__isnull=True) | Q(member_id=member.pk))
            .order_by("package", "id")
        ]
        schedule = tuple(
            instalment_facts(i)
            for i in PremiumInstalment.objects.filter(contract_id=contract.pk).order_by("due", "id")
        )
        history = history_for(member.pk)
    try:
        special = member.special_conditions
    except SpecialConditions.DoesNotExist:
        special = None
    case = HealthCase(
        contract=contract_facts(
            contract,
            schedule,
            # 001 т.25 / 003 т.23 (contracts.continuity): a renewal starts no new waiting period.
            renewal_of_previous=continues_previous(member),
        ),
        covers={c.package: c for c in covers if c.package},
        insured=InsuredFacts(
            id=str(person.pk),
            birth_date=person.birth_date,
            sex=SEX.get(person.sex),
            covered_from=member.covered_from,
            covered_until=member.covered_until,
            nhif_rights=person.nhif_rights,
            special=special_facts(special, starts=member.covered_from),
        ),
        history=history,
        claim=ClaimFacts(
            form=SUBSCRIPTION,
            submitted=None,
            diagnosis=diagnosis,
            documents=frozenset(),
            lines=(),
        ),
    )
    return Insured(member, case)
