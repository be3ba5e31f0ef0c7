"""What the person's limits leave for a requested service at the institution, from the engine's
front-desk answer at the requested amount (``engine.adjudication.front_desk``): the same facts a
provider claim would be decided on, with every valid guarantee letter already held
(``fetch.held_lines`` through ``claims.fetch.history_for``). Reads only; the caller that decides
holds the lock on the person (``claims.fetch.lock_member``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zdrave.claims.catalogue import HEALTH
from zdrave.contracts.models import ContractMember
from zdrave.engine.adjudication.front_desk import (
    Verdict,
    front_desk_answer,
    needs_preauthorisation,
)
from zdrave.engine.adjudication.health import usage_from_history
from zdrave.engine.adjudication.index import index_for
from zdrave.engine.decisions import Reason
from zdrave.products.terms import terms
from zdrave.providers.network.fetch import agreed_price, insured_on
from zdrave.providers.network.models import Institution


class UnknownService(LookupError):
    """Not a service row of the person's product terms."""


@dataclass(frozen=True)
class Room:
    verdict: str  # the engine's front-desk Verdict value
    insurer_pays: Decimal  # what the limits leave of ``amount``
    reasons: tuple[Reason, ...]
    package: int
    needs_preauthorisation: bool  # hospital care (002 III) or a row the agreement marks

    @property
    def covered(self) -> bool:
        return self.verdict != Verdict.NOT_COVERED


def room_for(
    member: ContractMember,
    institution: Institution,
    service: str,
    day,
    amount: Decimal,
    diagnosis: str = "",
) -> Room:
    """The engine's answer for ``service`` on ``day`` at ``amount`` for ``member``."""
    version = terms(HEALTH, member.contract.product_version)
    index = index_for(version)
    info = index.services.get(service)
    if info is None:
        raise UnknownService(service)
    insured = insured_on(member, diagnosis)
    usage = usage_from_history(insured.case, index)
    served = institution.packages_of(HEALTH) if institution.in_network_on(day) else frozenset()
    answer = front_desk_answer(
        insured.case,
        index,
        usage,
        service=service,
        day=day,
        price=amount,
        served_packages=served,
        flagged_for_preauthorisation=True,
        diagnosis=diagnosis,
    )
    agreed = agreed_price(institution, service, member.contract.product_version)
    flagged = bool(agreed and agreed.needs_preauthorisation)
    return Room(
        answer.verdict.value,
        answer.insurer_pays,
        answer.reasons,
        info.package_number,
        needs_preauthorisation(info.package_number, flagged),
    )
