"""Who may use a member service that comes with a policy (000: "Ако имате активиран пакет
Extra Care"): a member whose person has a cover of the required product on a contract in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import has_role
from zdrave.contracts.models import ContractStatus, Cover, InsuredPerson
from zdrave.engine.terms.member_services import MemberService, MemberServiceCode
from zdrave.engine.terms.product import Party, ProductVersion
from zdrave.products import terms as product_terms


class Ineligible(Exception):
    """Why a user may not use the service; ``reason`` is a code the page explains in words."""

    NOT_A_MEMBER = "not_a_member"
    NO_PERSON = "no_person"
    NO_EXTRA_CARE = "no_extra_care"
    NOT_SOLD = "not_sold"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def member_cover(user, products: Iterable[str], *, today: dt.date | None = None) -> Cover:
    """A cover of one of ``products`` on a contract in force ``today`` (default: today in Sofia),
    for the whole contract or for the user's own person, who is covered from that day; the
    earliest contract first; a contract whose termination has taken effect (at 00:00 of
    ``terminated_on``, 004 Чл.27 т.2) gives none. Raises ``Ineligible``; the caller has checked
    the user's role."""
    person = InsuredPerson.objects.filter(user=user).first()
    if person is None:
        raise Ineligible(Ineligible.NO_PERSON)
    today = today or timezone.localdate()
    cover = (
        Cover.objects.on(today)
        .filter(
            # Removed by annex: covered to the last day only (004 Чл.27 т.2).
            Q(contract__members__covered_until__isnull=True)
            | Q(contract__members__covered_until__gte=today),
            product_code__in=list(products),
            contract__status=ContractStatus.IN_FORCE,
            contract__start__lte=today,
            contract__end__gte=today,
            contract__members__person=person,
            contract__members__covered_from__lte=today,
        )
        .filter(Q(member__isnull=True) | Q(member__person=person))
        .filter(Q(contract__terminated_on__isnull=True) | Q(contract__terminated_on__gt=today))
        .select_related("contract")
        .order_by("contract__start", "pk")
        .first()
    )
    if cover is None:
        raise Ineligible(Ineligible.NO_EXTRA_CARE)
    return cover


PRODUCT = "extra-care"


@dataclass(frozen=True)
class MemberServiceTerms:
    """One member service of Extra Care (000 а) second opinion, б) psychologist) as the product
    data describes it, with the partner team that runs it."""

    version: ProductVersion
    terms: MemberService
    partner: Party

    @property
    def partner_name(self) -> str:
        return self.partner.name.get(get_language() or "bg")

    def partner_name_in(self, language: str) -> str:
        return self.partner.name.get(language)


def member_service_terms(
    code: MemberServiceCode, version: dt.date | None = None, *, cls: type = MemberServiceTerms
):
    """The service ``code`` of Extra Care ``version`` (default: the one sold today), as ``cls``.
    Raises ``terms.UnknownTerms`` when the product, the service or its partner is missing."""
    if version is None:
        product = product_terms.version_in_force(PRODUCT, timezone.localdate())
    else:
        product = product_terms.terms(PRODUCT, version)
    if product.member_services is None:
        raise product_terms.UnknownTerms(f"{PRODUCT} {product.effective_from}: no member services")
    found = product.member_services.service(code)
    partner = next((p for p in product.partners if p.code == found.partner), None)
    if partner is None:
        raise product_terms.UnknownTerms(f"{PRODUCT}: partner {found.partner!r} is not in partners")
    return cls(version=product, terms=found, partner=partner)


def eligible_cover(user, service: MemberServiceCode, *, today: dt.date | None = None) -> Cover:
    """The cover that lets ``user`` use ``service`` (000: "Ако имате активиран пакет Extra
    Care"): the user is a member and has a cover of one of the service's ``requires_cover``
    products (``member_cover``). Raises ``Ineligible``."""
    if not has_role(user, Role.MEMBER):
        raise Ineligible(Ineligible.NOT_A_MEMBER)
    try:
        requires = member_service_terms(service).terms.eligibility.requires_cover
    except product_terms.UnknownTerms:
        raise Ineligible(Ineligible.NOT_SOLD) from None
    return member_cover(user, requires, today=today)
