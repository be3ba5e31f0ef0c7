"""Releasing what a pre-certificate reserved against the limit (a new list of hospitals, 001
т.72.2; the contract ended; the hospital's bill paid). Caller holds the case's lock."""

from __future__ import annotations

from decimal import Decimal

from zdrave.base.audit.models import record
from zdrave.treatment_abroad.models import AbroadCase, CaseCost, CostStatus

ZERO = Decimal("0.00")


def release_reservation(case: AbroadCase, *, actor, amount: Decimal | None = None) -> Decimal:
    """Release ``amount`` of the case's reservation (all of it when None); returns what was
    released."""
    left = amount
    released = ZERO
    for row in case.costs.filter(status=CostStatus.RESERVED).order_by("id"):
        part = row.payable if left is None else min(left, row.payable)
        row.payable -= part
        released += part
        if left is not None:
            left -= part
        if row.payable <= ZERO:
            row.payable = ZERO
            row.status = CostStatus.RELEASED
        row.save(update_fields=["payable", "status"])
        if left is not None and left <= ZERO:
            break
    if released:
        case.reserved = sum(
            case.costs.filter(status=CostStatus.RESERVED).values_list("payable", flat=True), ZERO
        )
        case.save(update_fields=["reserved"])
        record(actor=actor, verb="abroad_reservation_released", obj=case, amount=str(released))
    return released


def reservation(case: AbroadCase) -> CaseCost | None:
    return case.costs.filter(status=CostStatus.RESERVED).first()
