"""Money: Decimal only, euro by default.

Bulgaria adopted the euro on 2026-01-01 at the fixed rate 1 EUR = 1.95583 BGN (seeds README).
The product documents quote leva; the system keeps and shows euro, converting at that rate and
rounding to the cent. Leva amounts convert whatever their date: a leva invoice dated from
``EURO_ADOPTION`` on is not an input error but a document the claim waits for a euro copy of
(the adjudications hold it, reason ``bgn-after-euro``).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

BGN_PER_EUR = Decimal("1.95583")
EURO_ADOPTION = dt.date(2026, 1, 1)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CURRENCIES = ("EUR", "BGN")
NARROW_NBSP = "\u202f"


class CurrencyError(ValueError):
    pass


def cents(amount: Decimal) -> Decimal:
    """Round half up to the cent, the way a payment order is written."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_eur(amount: Decimal, currency: str) -> Decimal:
    if currency == "EUR":
        return cents(amount)
    if currency == "BGN":
        return cents(amount / BGN_PER_EUR)
    raise CurrencyError(f"unknown currency {currency!r}; expected one of {CURRENCIES}")


def format_eur(amount: Decimal) -> str:
    """``1234.5`` → ``"1 234,50 €"`` (Bulgarian grouping with a narrow no-break space)."""
    q = cents(amount)
    sign = "-" if q < 0 else ""
    whole, frac = f"{abs(q):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + NARROW_NBSP.join(groups) + "," + frac + " €"
