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
    row = case.costs.filter(status=CostStatus.RESERVED).first()
    if row is None:
        return ZERO
    released = row.payable if amount is None else min(amount, row.payable)
    row.payable -= released
    if row.payable <= ZERO:
        row.payable = ZERO
        row.status = CostStatus.RELEASED
    row.save(update_fields=["payable", "status"])
    case.reserved = row.payable
    case.save(update_fields=["reserved"])
    record(actor=actor, verb="abroad_reservation_released", obj=case, amount=str(released))
    return released


def reservation(case: AbroadCase) -> CaseCost | None:
    return case.costs.filter(status=CostStatus.RESERVED).first()
