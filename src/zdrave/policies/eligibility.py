"""Who may use a member service that comes with a policy (000: "Ако имате активиран пакет
Extra Care"): a member whose person has a cover of the required product on a contract in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from zdrave.policies.models import ContractStatus, Cover, InsuredPerson


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
    earliest contract first. Raises ``Ineligible``; the caller has checked the user's role."""
    person = InsuredPerson.objects.filter(user=user).first()
    if person is None:
        raise Ineligible(Ineligible.NO_PERSON)
    today = today or timezone.localdate()
    cover = (
        Cover.objects.filter(
            product_code__in=list(products),
            contract__status=ContractStatus.IN_FORCE,
            contract__start__lte=today,
            contract__end__gte=today,
            contract__members__person=person,
            contract__members__covered_from__lte=today,
        )
        .filter(Q(member__isnull=True) | Q(member__person=person))
        .select_related("contract")
        .order_by("contract__start", "pk")
        .first()
    )
    if cover is None:
        raise Ineligible(Ineligible.NO_EXTRA_CARE)
    return cover
