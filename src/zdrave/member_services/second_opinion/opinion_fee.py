"""The payment step of the second opinion (000 а) стъпка 16).

"Тъй като клиентите на … не заплащат за нищо, тук трябва само да потвърдите случая": the
insurer's clients pay nothing, so the one method is ``CoveredByInsurer``. A paid variant (a
card payment for people without Extra Care, say) would be one more ``PaymentMethod`` chosen in
``method_for``; the journey calls only the protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from zdrave.engine.terms.member_services import MemberService

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Settlement:
    method: str
    amount: Decimal  # EUR


class PaymentMethod(Protocol):
    code: str

    @property
    def label(self) -> str: ...

    def amount(self) -> Decimal:
        """What the member pays, in EUR."""
        ...

    def settle(self) -> Settlement:
        """Take the payment (or record that none is due); raise when it fails."""
        ...


class CoveredByInsurer:
    """000 а) стъпка 16: the insurer pays the partner; the member pays 0.00 EUR."""

    code = "covered_by_insurer"

    @property
    def label(self) -> str:
        return str(_("Covered by your insurer"))

    def amount(self) -> Decimal:
        return ZERO

    def settle(self) -> Settlement:
        return Settlement(method=self.code, amount=ZERO)


class NoPaymentMethod(LookupError):
    """The service is not free and the platform takes no payments yet."""


def method_for(terms: MemberService) -> PaymentMethod:
    if terms.cost.free_for_clients:
        return CoveredByInsurer()
    raise NoPaymentMethod(f"{terms.code.value}: not free for clients ({terms.cost.clause})")
