"""The price a provider claim is decided at (004 Чл.29 т.11).

1. The price agreed with the institution for the service row (its agreement, 004 Чл.29 т.12:
   "Начинът на предоставяне и отчитане ... е предмет на отделен договор") — ``agreed``.
2. Otherwise the reasonable and customary cost, 004 Чл.29 т.11: "средната цена на дадена
   здравна стока или услуга, изчислена като средно аритметично на цената, която ... е заплатило
   на абонаментен принцип за предходните дванадесет последователни месеца, за всички
   застрахователни претенции за същия вид стока или услуга, по цените на лечебните заведения
   ... с които застрахователят има сключени договори" — the arithmetic mean of the unit prices
   of the same service on subscription-form claims the insurer paid (status "paid") with a date
   of service in the twelve months before this one — ``customary``.
3. With neither, the billed amount stands — ``billed`` (the engine still applies the limits).

The engine caps the line at this unit price (``ClaimLine.reference_price``) with the reason
``reasonable-cost-cap`` (004 Чл.29 т.11); the co-payment of the member is the engine's too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zdrave.claims.models import ClaimForm, ClaimLine, ClaimStatus
from zdrave.engine.calendar import add_months
from zdrave.providers.network.fetch import agreed_price
from zdrave.providers.network.models import Institution

CENT = Decimal("0.01")
LOOKBACK_MONTHS = 12  # 004 Чл.29 т.11: "предходните дванадесет последователни месеца"


@dataclass(frozen=True)
class Price:
    basis: str  # "agreed" | "customary" | "billed"
    unit: Decimal | None


def customary_price(service: str, day: dt.date) -> Decimal | None:
    """004 Чл.29 т.11: the mean unit price of ``service`` on the subscription-form claims paid
    for services in the twelve months before ``day``; None when there were none."""
    start = add_months(day, -LOOKBACK_MONTHS)
    rows = ClaimLine.objects.filter(
        claim__form=ClaimForm.SUBSCRIPTION,
        claim__status=ClaimStatus.PAID,
        service=service,
        date__gte=start,
        date__lt=day,
        eligible__gt=0,
    ).values_list("eligible", "quantity")
    prices = [eligible / quantity for eligible, quantity in rows if quantity]
    if not prices:
        return None
    return (sum(prices, Decimal(0)) / len(prices)).quantize(CENT, ROUND_HALF_UP)


def price_for(institution: Institution, service: str, day: dt.date, version: dt.date) -> Price:
    agreed = agreed_price(institution, service, version)
    if agreed is not None:
        return Price("agreed", agreed.price)
    customary = customary_price(service, day)
    if customary is not None:
        return Price("customary", customary)
    return Price("billed", None)
