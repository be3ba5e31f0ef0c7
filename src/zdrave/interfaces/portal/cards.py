"""The legitimation card, read at a provider's front desk.

Cards are issued by ``policy_admin.sales`` and read by ``providers.network``; the two are
sibling layers that may not import each other, so the portal (which may import both) tells the
front desk how to find the person behind a card number (004 Чл.24 т.4)."""

from __future__ import annotations

from zdrave.contracts.models import InsuredPerson
from zdrave.policy_admin.sales.fetch import applicant_by_card


def person_on_card(number: str) -> InsuredPerson | None:
    applicant = applicant_by_card(number)
    if applicant is None or applicant.member_id is None:
        return None
    return applicant.member.person
