"""Reads: the network as members search it, an institution as its staff and provider users may
open it, and the facts of an eligibility check as the engine reads them.

The facts are the claims engine's own (``zdrave.claims.fetch``: the contract with its premium
schedule, special conditions, the person's paid lines), so the answer at the front desk is the
decision a provider claim for the same service would get.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from zdrave.base.identity.permissions import can_act_for_institution
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
    force on ``day``, the premium schedule, the person's paid lines, the agreed price) as JSON
    columns (``_DESK_SQL``): the front desk's check is then one round trip for all its reads
    (as ``claims.fetch.lock_for_intake`` reads for a submission). Elsewhere (SQLite) those are
    read one by one, with the same answers (tests/providers/test_eligibility_fast_path.py)."""
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
    if institution is not None and connection.vendor == "postgresql":
        found = found.annotate(
            desk_covers=_sql(_COVERS_ON_SQL, day, day, HEALTH),
            desk_instalments=_sql(_INSTALMENTS_SQL),
            desk_history=_sql(_HISTORY_SQL),
            desk_price=_sql(_PRICE_SQL, institution.pk, HEALTH, service),
        )
    return (
        found.select_related("contract", "person", "special_conditions")
        .order_by("-contract__start", "-id")
        .first()
    )


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


def desk_price(member: ContractMember, institution: Institution, service: str):
    """``agreed_price`` for ``member``'s contract: from ``health_membership``'s own read when it
    made one (PostgreSQL), else one query."""
    if not hasattr(member, "desk_price"):
        return agreed_price(institution, service, member.contract.product_version)
    if member.desk_price is None:
        return None
    price, needs = member.desk_price
    return AgreedPrice(
        institution=institution,
        product_code=HEALTH,
        product_version=member.contract.product_version,
        service=service,
        price=Decimal(price),
        needs_preauthorisation=needs,
    )


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
        ) + held_for(member.pk)
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
