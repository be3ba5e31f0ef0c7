"""``{{ amount|eur }}`` → ``1 234,50 €`` (zdrave.engine.money.format_eur)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from zdrave.engine.money import format_eur

register = template.Library()


@register.filter
def eur(value) -> str:
    """Show a Decimal (or an int / numeric string) as euro; empty for no value. Floats are
    refused: money never passes through binary fractions."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("eur: money must be a Decimal, not a float")
    try:
        return format_eur(Decimal(value))
    except (InvalidOperation, ValueError):
        return ""
