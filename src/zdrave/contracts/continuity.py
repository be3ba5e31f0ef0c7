"""Continuity of cover across a renewal: whether a person on a renewed contract carries their
cover over from the contract it renews, so that no waiting period starts again.

004 counts its waiting periods from the entry into force of the person's cover (Чл.19 (1), (2),
Чл.20) and says nothing about renewals. The insurer's other general conditions do: a renewal
starts no new waiting period when there was no break in cover and the new policy came into force
within 15 days of the old one's expiry (001 т.25, 003 т.23). Zdrave applies that rule to 004
renewals too (docs/decisions.md, "Renewal without a break").
"""

from __future__ import annotations

import datetime as dt

from zdrave.contracts.models import ContractMember, PremiumInstalment
from zdrave.engine.tariff.price import cover_begins

# 001 т.25, 003 т.23: the new policy in force within 15 days of the old one's expiry.
RENEWAL_MAX_GAP_DAYS = 15
DAY = dt.timedelta(days=1)


def last_continuous_start(previous_end: dt.date) -> dt.date:
    """The last day the renewed cover may begin and still continue the previous one: the old
    contract expires at 00:00 after its last covered day ``previous_end``; 15 days from then."""
    return previous_end + DAY + dt.timedelta(days=RENEWAL_MAX_GAP_DAYS)


def continues_previous(member: ContractMember) -> bool:
    """Whether ``member`` renews cover without a break (001 т.25, 003 т.23): their contract
    renews another that ran to its end, they were on it to its end, and the new cover began
    (00:00 of the start, once the first instalment is paid: 004 Чл.24 т.3, Чл.25 т.3) within 15
    days of its expiry. No query when the contract renews nothing."""
    contract = member.contract
    if contract.previous_id is None:
        return False
    previous = contract.previous
    if previous.terminated_on is not None and previous.terminated_on <= previous.end:
        return False  # ended early: the cover was broken
    was_on = ContractMember.objects.filter(contract=previous, person_id=member.person_id).first()
    if was_on is None or (was_on.covered_until is not None and was_on.covered_until < previous.end):
        return False
    if member.covered_from > contract.start:
        return False  # joined the renewed contract later: a newcomer
    first = PremiumInstalment.objects.filter(contract=contract).order_by("due").first()
    begins = contract.start
    if first is not None:
        # Unpaid, the contract is not in force and the engine refuses for that (Чл.25 т.3).
        begins = cover_begins(contract.start, first.paid_on) or contract.start
    return begins <= last_continuous_start(previous.end)
