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

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zdrave.base.identity.permissions import can_act_for_institution
from zdrave.claims.catalogue import HEALTH
from zdrave.claims.fetch import contract_facts, history_for, instalment_facts, special_facts
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
    day: dt.date, *, person: InsuredPerson | None = None, egn: str = ""
) -> ContractMember | None:
    """The membership of ``person`` (or of the person with ЕГН ``egn``) on a health contract on
    ``day``: in force (or terminated after it); the most recent contract first. One query, with
    the person, the contract and the special conditions."""
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
    return (
        found.select_related("contract", "person", "special_conditions")
        .order_by("-contract__start", "-id")
        .first()
    )


def insured_on(member: ContractMember, diagnosis: str = "", day: dt.date | None = None) -> Insured:
    """The facts of ``member``'s health contract (``health_membership``) for a subscription-form
    line: the real contract state (premium schedule, termination, special conditions, НЗОК
    rights, paid lines), in three more queries."""
    contract = member.contract
    person = member.person
    # The cover in force on the day of the visit (a change by annex applies from its day on).
    covers = (
        Cover.objects.on(day or timezone.localdate())
        .filter(contract_id=contract.pk, product_code=HEALTH)
        .filter(Q(member__isnull=True) | Q(member_id=member.pk))
        .order_by("package", "id")
    )
    instalments = PremiumInstalment.objects.filter(contract_id=contract.pk).order_by("due")
    try:
        special = member.special_conditions
    except SpecialConditions.DoesNotExist:
        special = None
    case = HealthCase(
        contract=contract_facts(
            contract,
            tuple(instalment_facts(i) for i in instalments),
            # 001 т.25 / 003 т.23 (contracts.continuity): a renewal starts no new waiting period.
            renewal_of_previous=continues_previous(member),
        ),
        covers={c.package: CoverFacts(c.package, c.option, c.clause) for c in covers if c.package},
        insured=InsuredFacts(
            id=str(person.pk),
            birth_date=person.birth_date,
            sex=SEX.get(person.sex),
            covered_from=member.covered_from,
            covered_until=member.covered_until,
            nhif_rights=person.nhif_rights,
            special=special_facts(special),
        ),
        history=history_for(member.pk),
        claim=ClaimFacts(
            form=SUBSCRIPTION,
            submitted=None,
            diagnosis=diagnosis,
            documents=frozenset(),
            lines=(),
        ),
    )
    return Insured(member, case)
